"""The one sanitiser: every path that renders user-supplied or imported HTML goes through here.

Keeping bleach behind this single module means the allowlist, the link policy and the
workarounds for bleach's gaps live in one audited place instead of drifting per caller.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import partial
from html import escape as _escape
from html import unescape as _unescape
from typing import Any

from bleach import html5lib_shim
from bleach.linkifier import LinkifyFilter
from bleach.sanitizer import Cleaner

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_PROTOCOLS",
    "ALLOWED_TAGS",
    "LINK_REL",
    "html_to_text",
    "is_safe_href",
    "linkify_text",
    "sanitise_html",
]

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p", "br", "strong", "b", "em", "i", "u", "s", "a", "ul", "ol", "li",
        "blockquote", "code", "pre", "h2", "h3", "h4", "hr", "span",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {"a": frozenset({"href", "title", "rel"})}
ALLOWED_PROTOCOLS: frozenset[str] = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# bleach's strip mode keeps the text of removed elements; for these the "text" is code,
# markup or fallback nobody should see, so the whole element goes.
DROP_CONTENT_TAGS: frozenset[str] = frozenset(
    {
        "script", "style", "template", "iframe", "object", "embed", "applet", "svg", "math",
        "noscript", "noembed", "noframes", "xmp", "title", "textarea",
    }
)  # fmt: skip

# Treated as word boundaries when flattening to text, so "<p>a</p><p>b</p>" is "a b", not "ab".
_TEXT_BREAK_TAGS = html5lib_shim.HTML_TAGS_BLOCK_LEVEL | {"br", "td", "th", "tr", "dd", "dt", "option"}

# Only http(s) URLs or www. hosts are linkified. bleach's default also links bare
# domains, which turns "notes.md" or "model.py" (real TLDs) into links.
_URL_RE = re.compile(
    r"""\(*                                   # opening parens, balanced later by bleach
    \b(?<![@.\w/])
    (?:https?://|www\.)
    [\w-]+(?:\.[\w-]+)+                       # dotted host, no userinfo (user@host is a phishing trick)
    (?::[0-9]{1,5})?
    (?:[/?\#][^\s{}|\\^`<>"]*)?               # path, query, fragment
    """,
    re.IGNORECASE | re.VERBOSE,
)
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Browsers ignore ASCII whitespace/control chars inside a scheme; we also drop non-ASCII
# so homoglyph or invisible characters cannot hide one.
_URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f-\xa0`\s]+|[^\x00-\x7f]")
_RELATIVE_HEAD_RE = re.compile(r"[/?#]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_PARAGRAPH_SPLIT_RE = re.compile(r"\n[ \t]*\n\s*")

_AttrKey = tuple[str | None, str] | str
_Token = dict[str, Any]


def is_safe_href(href: str) -> bool:
    """Second opinion on a link target, independent of bleach's own URI check.

    Decoding entities with the stdlib (which also accepts legacy forms such as
    ``&#0000106`` without a semicolon) and stripping noise errs on the side of seeing a
    scheme, so a value a browser could read as ``javascript:`` is never passed.
    """
    normalised = _URL_NOISE_RE.sub("", _unescape(href)).lower()
    match = _SCHEME_RE.match(normalised)
    if match is None:
        # No scheme: relative URL, fragment or query; it stays on our own origin.
        return ":" not in _RELATIVE_HEAD_RE.split(normalised, maxsplit=1)[0]
    return match.group(1) in ALLOWED_PROTOCOLS


_BREAKS_RE = re.compile(r"[\s\u2028\u2029]+")


def one_line(text: str) -> str:
    """A title: control characters gone, line breaks and runs of spaces made one space.

    A title travels into email subjects, feed entries and page headings; a line break in
    one breaks an email header (Django refuses to send it) and reads as two headings.
    """
    return _BREAKS_RE.sub(" ", _strip_controls(text or "").replace("\x0b", " ")).strip()


def _strip_controls(text: str) -> str:
    """Control characters carry no meaning in our content and bleach handles them
    inconsistently (form feed becomes "?" only on a second pass), so remove them up front."""
    return _CONTROL_RE.sub("", text).replace("\x0c", " ")


def _quote_safe(value: str) -> str:
    """Encode literal double quotes as an entity (values here are still entity-encoded).

    With a literal ``"`` the serializer switches to single quotes and bleach then
    double-escapes entities in the value (``&lt;`` becomes ``&amp;lt;``) on every pass.
    """
    return value.replace('"', "&quot;")


def _link_policy(attrs: dict[_AttrKey, str], new: bool = False) -> dict[_AttrKey, str] | None:
    """Linkify callback: rebuild every anchor's attributes so nothing but our policy survives.

    Returning None makes bleach unwrap the anchor and keep only its text.
    """
    href = attrs.get((None, "href"))
    if not href or not is_safe_href(href):
        return None
    result: dict[_AttrKey, str] = {(None, "href"): _quote_safe(href)}
    title = attrs.get((None, "title"))
    if title:
        result[(None, "title")] = _quote_safe(title)
    result[(None, "rel")] = LINK_REL
    if "_text" in attrs:
        result["_text"] = attrs["_text"]
    return result


class _DropContentFilter(html5lib_shim.Filter):
    """Removes DROP_CONTENT_TAGS elements together with everything inside them."""

    def __iter__(self) -> Iterator[_Token]:
        depth = 0
        for token in super().__iter__():
            kind = token["type"]
            if depth:
                if kind == "StartTag":
                    depth += 1
                elif kind == "EndTag":
                    depth -= 1
                continue
            if kind in ("StartTag", "EmptyTag") and token["name"].lower() in DROP_CONTENT_TAGS:
                if kind == "StartTag":
                    depth = 1
                continue
            yield token


class _LinkPolicyFilter(html5lib_shim.Filter):
    """Applies the link policy to every anchor, unwrapping those without a safe href.

    Runs both before LinkifyFilter and after it, so no anchor escapes the policy whatever
    LinkifyFilter's own bookkeeping skips.
    """

    def __iter__(self) -> Iterator[_Token]:
        kept: list[bool] = []
        for token in super().__iter__():
            if token.get("name") == "a":
                if token["type"] == "StartTag":
                    attrs = _link_policy(dict(token.get("data") or {}))
                    kept.append(attrs is not None)
                    if attrs is None:
                        continue
                    token["data"] = attrs
                elif token["type"] == "EndTag":
                    if kept and not kept.pop():
                        continue
                elif token["type"] == "EmptyTag":
                    continue
            yield token


class _PreNewlineFilter(html5lib_shim.Filter):
    """Keeps sanitising idempotent for <pre> content that starts with a newline.

    The HTML parser swallows one newline right after ``<pre>`` and the serializer does not
    put it back, so each pass would eat another leading newline. Doubling it restores it.
    """

    def __iter__(self) -> Iterator[_Token]:
        after_pre = False
        for token in super().__iter__():
            if after_pre and token["type"] in ("Characters", "SpaceCharacters") and token["data"].startswith("\n"):
                token = {**token, "data": "\n" + token["data"]}
            after_pre = token["type"] == "StartTag" and token["name"] == "pre"
            yield token


class _LiteralAmpersandFilter(html5lib_shim.Filter):
    """Stops LinkifyFilter from turning an escaped ``&amp;lt;`` into a real ``&lt;``.

    bleach hands ``&amp;`` to the linkifier as a bare "&" so URLs can span it, and the
    linkifier then re-reads "&" + "lt;" as an entity: literal text would change meaning on
    each pass. A bare "&" that would start an entity is pinned as ``&amp;`` here instead.
    """

    def __iter__(self) -> Iterator[_Token]:
        for token in super().__iter__():
            data = token.get("data") if token["type"] == "Characters" else None
            if not data or "&" not in data:
                yield token
                continue
            chunk = ""
            for part in html5lib_shim.next_possible_entity(data):
                if part.startswith("&") and html5lib_shim.match_entity(part) is not None:
                    if chunk:
                        yield {"type": "Characters", "data": chunk}
                    yield {"type": "Entity", "name": "amp"}
                    chunk = part[1:]
                else:
                    chunk += part
            if chunk:
                yield {"type": "Characters", "data": chunk}


class _Linkifier(LinkifyFilter):
    """LinkifyFilter that also leaves an unbalanced closing parenthesis out of a URL.

    bleach only balances parentheses when the match starts with one, so in
    "(see http://x.example/a_(b))" the last ")" would end up in the link.
    """

    def strip_non_url_bits(self, fragment: str) -> tuple[str, str, str]:
        fragment, prefix, suffix = super().strip_non_url_bits(fragment)
        while fragment.endswith(")") and fragment.count(")") > fragment.count("("):
            fragment, suffix = fragment[:-1], ")" + suffix
        return fragment, prefix, suffix


class _SanitisingCleaner(Cleaner):
    """bleach Cleaner whose parse keeps DROP_CONTENT_TAGS as elements so they can be dropped whole.

    bleach's tokenizer turns every disallowed tag into text before tree building, so
    ``<script>`` content would otherwise surface as plain text.
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.parser = html5lib_shim.BleachHTMLParser(
            tags=frozenset(self.tags) | DROP_CONTENT_TAGS,
            strip=True,
            consume_entities=False,
            namespaceHTMLElements=False,
        )
        tree_walker = self.walker
        self.walker = lambda dom: _DropContentFilter(tree_walker(dom))


def _build_cleaner() -> Cleaner:
    return _SanitisingCleaner(
        tags=ALLOWED_TAGS,
        attributes={tag: sorted(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            # Unwrap unusable anchors first so LinkifyFilter sees their text as text; otherwise
            # a URL inside <a href="javascript:..."> is only linkified on a second pass.
            _LinkPolicyFilter,
            _LiteralAmpersandFilter,
            partial(
                _Linkifier,
                callbacks=[_link_policy],
                skip_tags={"pre", "code"},
                parse_email=False,
                url_re=_URL_RE,
            ),
            _LinkPolicyFilter,
            _PreNewlineFilter,
        ],
    )


def _build_text_parser() -> html5lib_shim.BleachHTMLParser:
    return html5lib_shim.BleachHTMLParser(tags=None, strip=False, consume_entities=True, namespaceHTMLElements=False)


# bleach objects are costly to build but hold parser state, so they are cached per thread
# (bleach documents Cleaner as not thread-safe; Django may render from several threads).
_local = threading.local()
_tree_walker = html5lib_shim.getTreeWalker("etree")


def _cleaner() -> Cleaner:
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = _build_cleaner()
    return cleaner


def _text_parser() -> html5lib_shim.BleachHTMLParser:
    parser = getattr(_local, "text_parser", None)
    if parser is None:
        parser = _local.text_parser = _build_text_parser()
    return parser


def sanitise_html(html: str | None) -> str:
    """Reduce untrusted HTML to the allowlist, with every link made safe and marked as user content.

    Returns a plain str; callers decide where to mark it safe. Idempotent, so storing
    sanitised HTML and sanitising again on render is harmless.
    """
    if not html:
        return ""
    return _cleaner().clean(_strip_controls(str(html)))


def linkify_text(text: str | None) -> str:
    """Render plain text (a bio, an imported DESCRIPTION) as safe HTML with links and line breaks.

    The text is escaped first, then goes through sanitise_html, so the link policy is the same
    one used for HTML input.
    """
    if not text:
        return ""
    normalised = str(text).replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    paragraphs = [p for p in _PARAGRAPH_SPLIT_RE.split(normalised) if p.strip()]
    markup = "\n".join(
        "<p>" + "<br>\n".join(_escape(line, quote=False) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs
    )
    return sanitise_html(markup)


def html_to_text(html: str | None) -> str:
    """Flatten HTML to one line of plain text for iCalendar DESCRIPTION and search indexing.

    Script/style and the other DROP_CONTENT_TAGS contribute nothing. The result is NOT
    HTML-safe: it is unescaped text, so escape it again before putting it in markup.
    """
    if not html:
        return ""
    dom = _text_parser().parseFragment(str(html))
    parts: list[str] = []
    for token in _DropContentFilter(_tree_walker(dom)):
        kind = token["type"]
        if kind in ("Characters", "SpaceCharacters"):
            parts.append(token["data"])
        elif kind in ("StartTag", "EndTag", "EmptyTag") and token["name"].lower() in _TEXT_BREAK_TAGS:
            parts.append(" ")
    return " ".join(_strip_controls("".join(parts)).split())
