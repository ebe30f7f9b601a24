"""Text from feeds and partners, made safe for Event columns.

HTML (X-ALT-DESC text/html, HTML-looking DESCRIPTION, API descriptions) goes through
``community.sanitise``; plain text through ``linkify_text``, or, when it has nothing to
escape or link, straight into paragraphs (``plain_text_html``: the same bytes, without
bleach, which costs as much as parsing the event).
"""

from __future__ import annotations

import re

from icalendar.cal.component import Component

from community.sanitise import html_to_text, linkify_text, sanitise_html
from events.models.events import DESCRIPTION_MAX_CHARS

_HTML_RE = re.compile(r"<(?:p|br|div|span|a|b|i|strong|em|ul|ol|li|h[1-6])\b", re.IGNORECASE)
_NOT_PLAIN_RE = re.compile(r"[<>&\"'\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\uffff]")
_PARAGRAPH_SPLIT_RE = re.compile(r"\n[ \t]*\n\s*")  # as community.sanitise.linkify_text splits
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _raw(component: Component, name: str):
    return dict.get(component, name)


def clean_text(value: object, limit: int) -> str:
    text = _CONTROL_RE.sub("", str(value or "")).strip()
    return text[:limit]


def description_html_and_text(component: Component) -> tuple[str, str]:
    """The description as stored: sanitised HTML and its plain text (``Event.description_text``).

    Plain-text DESCRIPTION (most feeds) is its own text, so only HTML pays for an HTML parse."""
    html = description_html(component)
    if html.startswith("<p>") and "<" not in _TAGS_OF_PLAIN_RE.sub("", html) and "&" not in html:
        return html, " ".join(_TAGS_OF_PLAIN_RE.sub(" ", html).split())
    return html, html_to_text(html)


# What plain_text_html writes: paragraphs and line breaks, nothing else.
_TAGS_OF_PLAIN_RE = re.compile(r"</?p>|<br>")


def description_html(component: Component) -> str:
    """X-ALT-DESC (text/html) wins over DESCRIPTION; HTML-looking DESCRIPTION (Google) is HTML."""
    alt = _raw(component, "X-ALT-DESC")
    if isinstance(alt, list):
        alt = alt[0] if alt else None
    if alt is not None and "html" in str(alt.params.get("FMTTYPE", "")).lower():
        html = sanitise_html(str(alt)[: DESCRIPTION_MAX_CHARS * 2])
        if html and len(html) <= DESCRIPTION_MAX_CHARS:
            return html
    text = _raw(component, "DESCRIPTION")
    if isinstance(text, list):
        text = text[0] if text else None
    text = str(text or "")[: DESCRIPTION_MAX_CHARS * 2]
    if "<" in text and _HTML_RE.search(text):
        html = sanitise_html(text)
    else:
        html = plain_text_html(text)
        if html is None:
            html = linkify_text(text)
    if len(html) > DESCRIPTION_MAX_CHARS:
        html = linkify_text(text[: DESCRIPTION_MAX_CHARS // 3] + "…")
    return html


def plain_text_html(text: str) -> str | None:
    """What ``linkify_text`` gives for plain text with nothing to escape or link, without bleach.

    Sanitising costs as much as parsing the VEVENT; most feed descriptions are plain text
    with no markup characters and no URLs, and for those the answer is just paragraphs and
    line breaks. Anything else returns None and goes through ``community.sanitise``
    (tests compare both on generated text).
    """
    normalised = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    lowered = normalised.lower()
    if ("http" in lowered and re.search(r"https?:", lowered)) or "www." in lowered or _NOT_PLAIN_RE.search(normalised):
        return None
    paragraphs = [p for p in _PARAGRAPH_SPLIT_RE.split(normalised) if p.strip()]
    return "\n".join("<p>" + "<br>\n".join(paragraph.split("\n")) + "</p>" for paragraph in paragraphs)
