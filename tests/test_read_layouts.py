"""Each layout variant the sample README lists, and pages cut off at every block."""

from __future__ import annotations

import pytest

from consultgraph.read import PageError, decode, read_bytes

COMPACT = """Facial spasms
Three weeks ago I had facial spasms several times a day.
Is it possible to proceed with rehabilitation?
Xiao Fan, 30~39 year old female. Ask Date: 2006/12/27
Dr. Chen Xianchang reply Rehabilitation
(1) Facial twitching should first be evaluated with an EMG. Please ask Dr.
Lin for a referral.
Best regards, Mr.
Chen
Reply Date: 2006/12/28
More Info
Facial spasms can be a challenging condition.
Similar Q&A
Botox for facial tremors
Last July, I experienced twitching near the corner of my mouth...
Dr. Ye Boshou reply Neurology
Botulinum toxin is effective for 4 to 6 months...[Read More] Botox for facial tremors
Related FAQ
(Rehabilitation)
Torticollis(Rehabilitation)
"""

SEO = """Incomplete Right Bundle Branch Block: Causes and Concerns - Cardiology

Incomplete right bundle branch block of the heart?


I had an electrocardiogram (ECG) during my health check-up.

Chen, 50~59 year old female. Ask Date: 2002/08/21

Dr. Zhong Yuxun reply Cardiology


Hello Mr.
Chen: your heart rate is normal.

Reply Date: 2002/08/21

More Info


IRBBB is a conduction finding.
"""


def read(text: str, name: str = "page.txt"):
    [(_, rec)] = list(read_bytes(text.encode("utf-8"), name))
    return rec


def test_compact_layout_every_block() -> None:
    c = read(COMPACT)
    assert c.page_title is None and c.question_title == "Facial spasms"
    assert (c.asker.age_min, c.asker.age_max, c.asker.sex) == (30, 39, "female")
    assert (c.ask_date, c.reply_date) == ("2006-12-27", "2006-12-28")
    assert (c.physician_name, c.physician_specialty) == ("Chen Xianchang", "Rehabilitation")
    # "Dr." / "Mr." ending a line is not a new reply header: the reply keeps those lines.
    assert "Lin for a referral." in c.reply_text and c.reply_text.endswith("Chen")
    assert c.more_info_text == "Facial spasms can be a challenging condition."
    assert len(c.similar) == 1 and c.similar[0].physician_name == "Ye Boshou"
    assert [(t.label, t.specialty) for t in c.faq] == [("", "Rehabilitation"),
                                                      ("Torticollis", "Rehabilitation")]


def test_seo_title_layout_with_blank_lines() -> None:
    c = read(SEO)
    assert c.page_title == "Incomplete Right Bundle Branch Block: Causes and Concerns"
    assert c.page_specialty == "Cardiology"
    assert c.question_title == "Incomplete right bundle branch block of the heart?"
    assert c.question_text == "I had an electrocardiogram (ECG) during my health check-up."
    assert c.reply_text == "Hello Mr.\nChen: your heart rate is normal."
    assert c.more_info_text == "IRBBB is a conduction finding."


def test_a_dash_in_a_compact_title_is_not_a_page_title() -> None:
    c = read(COMPACT.replace("Facial spasms\n", "Menstrual Period - Si Wu Tang\n", 1))
    assert c.page_title is None and c.question_title == "Menstrual Period - Si Wu Tang"


def test_pseudonym_with_commas_and_unreliable_sex_field() -> None:
    c = read(COMPACT.replace("Xiao Fan, 30~39 year old female", "Chen, Mr., Taipei, 40~49 year old female"))
    assert c.asker.pseudonym == "Chen, Mr., Taipei"
    assert (c.asker.age_min, c.asker.age_max, c.asker.sex) == (40, 49, "female")


def test_chinese_text_crlf_and_bom_are_read() -> None:
    text = COMPACT.replace("several times a day", "several times a day (面部痙攣)")
    raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    [(_, c)] = list(read_bytes(raw, "x.txt"))
    assert "面部痙攣" in c.question_text
    assert c.text == decode(raw) and "\r" not in c.text
    assert c.reply_date == "2006-12-28"


def test_cp1252_bytes_are_read_not_refused() -> None:
    raw = COMPACT.replace("Three weeks", "Three weeks\u2014").encode("cp1252")
    [(_, c)] = list(read_bytes(raw, "x.txt"))
    assert c.question_text.startswith("Three weeks\u2014")


@pytest.mark.parametrize(
    "cut_after, expect",
    [
        ("Xiao Fan, 30~39 year old female. Ask Date: 2006/12/27\n", dict(physician_name=None)),
        ("(1) Facial twitching should", dict(reply_date=None, physician_name="Chen Xianchang")),
        ("Reply Date: 2006/12/28\n", dict(reply_date="2006-12-28")),
        ("More Info\nFacial spasms can", dict(similar=[])),
        ("Botox for facial tremors\nLast July", dict(faq=[])),
    ],
)
def test_page_cut_off_anywhere_keeps_what_it_has(cut_after: str, expect: dict) -> None:
    text = COMPACT[: COMPACT.index(cut_after) + len(cut_after)]
    c = read(text)
    assert c.ask_date == "2006-12-27"
    for key, value in expect.items():
        assert getattr(c, key) == value


def test_truncated_similar_item_keeps_its_title() -> None:
    text = COMPACT[: COMPACT.index("Dr. Ye Boshou")]
    c = read(text)
    assert [s.title for s in c.similar] == ["Botox for facial tremors"]


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("Facial spasms\nThree weeks ago I had facial spasms.\n", 2, "no asker line"),
        ("", 1, "empty"),
        ("Xiao Fan, 30~39 year old female. Ask Date: 2006/12/27\n", 1, "no question"),
        (COMPACT.replace("Ask Date: 2006/12/27", "Ask Date: 2006/13/45"), 4, "not a calendar date"),
    ],
)
def test_unpublishable_pages_say_why_and_where(text: str, line: int, words: str) -> None:
    err = read(text)
    assert isinstance(err, PageError)
    assert err.line == line and words in err.reason
