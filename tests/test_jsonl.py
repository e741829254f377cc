"""JSON Lines records from other sources: read like pages, bad lines quarantined by number."""

import json

from consultgraph.read import PageError, read_bytes


def test_records_are_read_and_bad_lines_name_their_line() -> None:
    good = {
        "id": "ext-1", "question_title": "Headache", "question": "I have had a headache for a week.",
        "asker": {"pseudonym": "Lee, K.", "age_min": 20, "age_max": 29, "sex": "male"},
        "ask_date": "2024-05-01", "physician": {"name": "Wang Da", "specialty": "Neurology"},
        "reply": "An MRI may be considered.", "reply_date": "2024-05-02",
        "faq": [{"label": "Migraine", "specialty": "Neurology"}],
    }
    lines = [json.dumps(good), "{not json", json.dumps({"id": "ext-3"}), "",
             json.dumps({**good, "id": "ext-4", "ask_date": "2024-02-30"})]
    out = list(read_bytes("\n".join(lines).encode(), "batch.jsonl"))
    assert len(out) == 4
    (n1, c), (n2, e2), (n3, e3), (n5, e5) = out
    assert c.id == "ext-1" and c.asker.pseudonym == "Lee, K." and c.reply_date == "2024-05-02"
    assert c.physician_specialty == "Neurology" and c.faq[0].label == "Migraine"
    assert c.reply_text == "An MRI may be considered."
    assert isinstance(e2, PageError) and e2.line == 2 and "not valid JSON" in e2.reason
    assert isinstance(e3, PageError) and e3.line == 3 and "question" in e3.reason
    assert isinstance(e5, PageError) and e5.line == 5 and "calendar date" in e5.reason
    assert n5 == "batch.jsonl:5"
