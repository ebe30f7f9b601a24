"""Markdown for posts and member-written stories: markdown-it-py, then the one sanitiser.

markdown-it's ``js-default`` preset escapes raw HTML and refuses ``javascript:`` links
itself; the sanitiser is still the last word, so its allowlist and link policy hold even if
the parser's defaults change. Rendered once, on write.
"""

from __future__ import annotations

import threading

from markdown_it import MarkdownIt

from community.sanitise import html_to_text, sanitise_html

_local = threading.local()


def _parser() -> MarkdownIt:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = MarkdownIt("js-default").enable("strikethrough").disable("image")
    return parser


def render_markdown(source: str) -> tuple[str, str]:
    """The sanitised HTML and the plain text of a Markdown source."""
    html = sanitise_html(_parser().render(source or ""))
    return html, html_to_text(html)


def quote_markdown(*, text: str, author: str) -> str:
    """A Markdown blockquote of someone's post, for the reply box."""
    lines = [f"**{escape_markdown(author)}** wrote:", "", *text.strip().splitlines()]
    return "\n".join(f"> {line}" if line else ">" for line in lines) + "\n\n"


def escape_markdown(text: str) -> str:
    return "".join(f"\\{char}" if char in "\\`*_{}[]()#+-.!<>|~" else char for char in text)
