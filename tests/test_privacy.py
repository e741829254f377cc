"""De-identification: personal data replaced by typed placeholders, physicians kept."""

from consultgraph.privacy import redact


def test_contact_details_and_names_are_replaced() -> None:
    text = ("Hello Mr. Chen, mail me at chen.w@example.com or call 0912-345-678. "
            "See https://example.com/u/chen. Dear Xiao Liu, thanks. Dr. Lin Wufu agrees.")
    out, _ = redact(text, pseudonym="A-Chuan")
    for secret in ("Chen,", "chen.w@example.com", "0912-345-678", "example.com/u", "Xiao Liu"):
        assert secret not in out
    for placeholder in ("Mr. [NAME]", "[EMAIL]", "[PHONE]", "[URL]", "Dear [NAME]"):
        assert placeholder in out
    assert "Dr. Lin Wufu" in out


def test_pseudonym_is_replaced_and_offsets_follow() -> None:
    text = "Thank you! Danny\nI have a rash on my arm."
    out, offmap = redact(text, pseudonym="danny")
    start = text.index("rash")
    assert out[offmap(start) : offmap(start + 4)] == "rash"
    assert "Danny" not in out and "[ASKER]" in out
