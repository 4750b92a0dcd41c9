"""Text the public writes: cleaned on the way in, rendered safely on the way out.

What visitors type is stored as plain text. On the way in, :func:`clean_public_text`
normalises it (NFC) and drops what has no business in a comment: control
characters, and invisible formatting characters such as the bidi overrides that
can make text read differently from what it is (U+202E) — while keeping the joiners
that some scripts and emoji need. On the way out, :func:`plain_text_html` escapes
everything, turns web addresses into links (Django's ``urlize``) and passes the
result through nh3 with an allow-list of three tags, so no markup or script a
visitor wrote can ever reach a page.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import nh3
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

# Zero-width non-joiner and joiner: needed by Persian and other scripts, and by emoji.
_KEEP_FORMAT = {"\u200c", "\u200d"}
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[^\S\n]+")
ALLOWED_TAGS = {"p", "br", "a"}
LINK_REL = "nofollow ugc noopener noreferrer"
URL_DISPLAY_LIMIT = 60


def _keep(ch: str, multiline: bool) -> bool:
    if ch == "\n":
        return multiline
    category = unicodedata.category(ch)
    if category == "Cf":
        return ch in _KEEP_FORMAT
    # Control characters, lone surrogates (which no database can store) and private use.
    return category not in {"Cc", "Cs", "Co"}


def clean_public_text(value: str, *, multiline: bool = True) -> str:
    """``value`` as we store it: NFC, no control or invisible formatting characters,
    runs of spaces collapsed, at most one blank line in a row, trimmed."""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    value = value.replace("\t", " ")
    if not multiline:
        value = value.replace("\n", " ")
    value = "".join(ch for ch in value if _keep(ch, multiline))
    value = _SPACES.sub(" ", value)
    if multiline:
        value = "\n".join(line.strip() for line in value.split("\n"))
        value = _BLANK_LINES.sub("\n\n", value)
    return value.strip()


@functools.lru_cache(maxsize=4096)
def plain_text_html(text: str) -> SafeString:
    """Plain text as HTML: paragraphs, line breaks and safe links, nothing else.

    A pure function of the text, remembered for the texts a process shows most
    (status texts and descriptions repeat on every view of a page).
    """
    paragraphs = [p for p in re.split(r"\n{2,}", text.strip()) if p.strip()]
    parts = []
    for paragraph in paragraphs:
        linked = urlize(paragraph, trim_url_limit=URL_DISPLAY_LIMIT, autoescape=True)
        parts.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    cleaned = nh3.clean(
        "".join(parts),
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
    )
    return mark_safe(cleaned)  # noqa: S308  (escaped by urlize, then allow-listed by nh3)
