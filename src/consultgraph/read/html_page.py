"""HTML pages -> the page text layout: block elements become lines, markup is dropped."""

from __future__ import annotations

import html
import re

_BLOCK = re.compile(r"(?i)<\s*(br|/p|/div|/h[1-6]|/li|/tr|/section|/article)\b[^>]*>")
_DROP = re.compile(r"(?is)<(script|style|noscript|head)\b.*?</\1\s*>")
_TAG = re.compile(r"(?s)<[^>]+>")


def html_to_text(markup: str) -> str:
    """Flatten a saved page to lines; the text reader then finds the blocks in it."""
    text = _DROP.sub("", markup)
    text = _BLOCK.sub("\n", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln) + "\n"
