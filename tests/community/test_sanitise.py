"""Specification of the one sanitiser (community.sanitise) as an XSS suite.

Pure unit tests: no database, no Django settings. Every vector is asserted on its exact
output and, independently, on what an HTML parser sees in that output, so a change in
bleach that keeps the output "safe" but different is noticed, and one that makes it
unsafe fails twice.
"""

from __future__ import annotations

import html
import os
import random
import re
import warnings
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

from community.sanitise import html_to_text, is_safe_href, linkify_text, sanitise_html
from tests.community.xss_vectors import DANGEROUS_MARKUP, REL, UNSAFE_HREFS

# A copy of the allowlist, on purpose: widening the real one must break a test.
ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "a", "ul", "ol", "li",
    "blockquote", "code", "pre", "h2", "h3", "h4", "hr", "span",
}  # fmt: skip
ALLOWED_ATTRS = {"a": {"href", "title", "rel"}}
SAFE_SCHEMES = {"http", "https", "mailto"}

TAG_IN_SOURCE_RE = re.compile(r"<\s*/?\s*([^\s/>]+)")
SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f-\xa0\s]+")


def parse(markup: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(markup, "html.parser")


def href_scheme(href: str) -> str | None:
    """The scheme a browser could see, erring towards finding one (unescape twice, drop noise)."""
    normalised = URL_NOISE_RE.sub("", html.unescape(html.unescape(href))).lower()
    match = SCHEME_RE.match(normalised)
    return match.group(1) if match else None


def assert_only_allowlisted_markup(output: str) -> None:
    """The output, read by an independent parser and by a plain regex, holds nothing outside the allowlist."""
    for name in TAG_IN_SOURCE_RE.findall(output):
        assert name.lower() in ALLOWED_TAGS, f"tag-like text <{name}> in {output!r}"
    for element in parse(output).find_all(True):
        assert element.name in ALLOWED_TAGS, output
        for attr in element.attrs:
            assert not attr.lower().startswith("on"), output
            assert attr in ALLOWED_ATTRS.get(element.name, set()), output
        if element.name == "a":
            href = element.get("href")
            assert href, f"anchor without href survived in {output!r}"
            scheme = href_scheme(href)
            assert scheme is None or scheme in SAFE_SCHEMES, output
            assert element.get("rel") == REL.split(), output


# (id, input, exact output)

ALL_INPUTS = [
    *(pytest.param(source, id=name) for name, source, _ in DANGEROUS_MARKUP),
    *(pytest.param(f'<a href="{href}">x</a>', id=f"href-{name}") for name, href in UNSAFE_HREFS),
]


# --- dangerous input -------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "expected"), [pytest.param(s, e, id=n) for n, s, e in DANGEROUS_MARKUP])
def test_dangerous_markup_is_reduced_to_exactly_the_expected_safe_output(source: str, expected: str) -> None:
    assert sanitise_html(source) == expected


@pytest.mark.parametrize("href", [pytest.param(href, id=name) for name, href in UNSAFE_HREFS])
def test_link_with_unsafe_href_is_unwrapped_to_its_text(href: str) -> None:
    assert sanitise_html(f'<a href="{href}">x</a>') == "x"
    assert sanitise_html(f"<a href='{href}' title=t>x</a>") == "x"


def test_javascript_url_with_embedded_tab_is_removed() -> None:
    assert sanitise_html('<a href="java\tscript:alert(1)">click</a>') == "click"


def test_javascript_url_in_unquoted_attribute_is_removed() -> None:
    assert sanitise_html("<a href=javascript:alert(1)>click</a>") == "click"


def test_script_content_is_dropped_not_kept_as_text() -> None:
    assert "alert" not in sanitise_html("before<script>alert(1)</script>after")
    assert sanitise_html("before<script>alert(1)</script>after") == "beforeafter"


@pytest.mark.parametrize(
    "tag", ["script", "style", "template", "iframe", "object", "noscript", "xmp", "noembed", "title", "textarea"]
)
def test_content_of_non_text_elements_is_dropped_entirely(tag: str) -> None:
    assert sanitise_html(f"a<{tag}>secret <b>bold</b></{tag}>b") == "ab"


@pytest.mark.parametrize("tag", ["svg", "math"])
def test_foreign_content_is_dropped_entirely(tag: str) -> None:
    assert sanitise_html(f"a<{tag}><desc>secret</desc><text>more</text></{tag}>b") == "ab"


@pytest.mark.parametrize("source", ALL_INPUTS)
def test_output_contains_only_allowlisted_elements_attributes_and_schemes(source: str) -> None:
    assert_only_allowlisted_markup(sanitise_html(source))


@pytest.mark.parametrize("source", ALL_INPUTS)
def test_sanitising_is_idempotent(source: str) -> None:
    once = sanitise_html(source)
    assert sanitise_html(once) == once


def test_html_comments_are_stripped() -> None:
    assert sanitise_html("<p>a<!-- hidden --> b</p>") == "<p>a b</p>"


def test_control_characters_are_removed() -> None:
    assert sanitise_html("a\x00b\x07c\x1bd\x0ce") == "abcd e"


# Building blocks of a seeded fuzz: fragments of the vectors above, recombined.
FUZZ_PIECES = [
    "<a href='", "'>", '"', "'", "=", " ", "javascript:", "java\tscript:", "&#106;", "&#x6a", "http://a.example/",
    "www.q.example", "<a ", "href=", "title=", "onclick=", "<", "/", ">", "<p", "<pre>", "\n", "\n\n", "<svg", "<math",
    "<script", "<style", "</", "-->", "<!--", "&", "amp;", "&lt;", "&nbsp;", "x", "é", "\u200b", "<br", "<code>",
    "</code>", "<b>", "</b>", "<noscript", "<template>", "<textarea", "<![CDATA[", "<li>", "<table>", "<td>", "\x0c",
    "\x00", "<a href=javascript:x>", "</a>", "<p title='<a>'>", "<plaintext>", "<listing>", "<h1>", "<div>",
]  # fmt: skip


def fuzz_inputs(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(FUZZ_PIECES) for _ in range(rng.randint(1, 16))) for _ in range(count)]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_seeded_fuzz_output_is_safe_and_idempotent(seed: int) -> None:
    for source in fuzz_inputs(seed, 400):
        once = sanitise_html(source)
        assert_only_allowlisted_markup(once)
        assert sanitise_html(once) == once, source


# --- allowed markup --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "markup",
    [
        "<p>Plain <strong>strong</strong> <b>b</b> <em>em</em> <i>i</i> <u>u</u> <s>s</s> <span>span</span></p>",
        "<h2>Two</h2><h3>Three</h3><h4>Four</h4><hr>",
        "<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>",
        "<blockquote><p>Quoted</p></blockquote>",
        "<p>line<br>break</p>",
        "<pre><code>if a &lt; b &amp;&amp; c:\n    pass</code></pre>",
        f'<a href="https://example.com/path?q=1&amp;r=2#frag" title="Example" rel="{REL}">link</a>',
        f'<a href="/relative/path" rel="{REL}">relative</a>',
        f'<a href="#section" rel="{REL}">anchor</a>',
        "<p>Caf\u00e9 &amp; cr\u00e8me &lt;3 &copy;</p>",
    ],
)
def test_allowed_markup_survives_exactly(markup: str) -> None:
    assert sanitise_html(markup) == markup


def test_every_link_gets_rel_nofollow_ugc_noopener() -> None:
    assert sanitise_html('<a href="https://example.com/">x</a>') == f'<a href="https://example.com/" rel="{REL}">x</a>'


def test_given_rel_and_target_are_replaced() -> None:
    source = '<a href="https://example.com/" rel="opener noreferrer" target="_blank">x</a>'
    assert sanitise_html(source) == f'<a href="https://example.com/" rel="{REL}">x</a>'


def test_mailto_link_is_kept_with_rel() -> None:
    source = '<a href="mailto:someone@example.com">mail</a>'
    assert sanitise_html(source) == f'<a href="mailto:someone@example.com" rel="{REL}">mail</a>'


def test_anchor_without_href_is_unwrapped() -> None:
    assert sanitise_html('<a name="top" title="t">text</a>') == "text"


def test_link_inside_pre_still_gets_rel() -> None:
    source = '<pre><a href="https://example.com/">x</a></pre>'
    assert sanitise_html(source) == f'<pre><a href="https://example.com/" rel="{REL}">x</a></pre>'


def test_disallowed_tags_are_stripped_keeping_their_text() -> None:
    source = "<h1>Title</h1><p><font color=red>red</font> x<sup>2</sup> <kbd>k</kbd></p>"
    assert sanitise_html(source) == "Title<p>red x2 k</p>"


def test_span_loses_all_attributes() -> None:
    assert sanitise_html('<span class="x" id="y" style="color:red" title="t">s</span>') == "<span>s</span>"


def test_leading_newline_in_pre_is_stable() -> None:
    source = "<pre>\n\ncode</pre>"
    assert sanitise_html(source) == source
    assert sanitise_html(sanitise_html(source)) == source


@pytest.mark.parametrize(
    "markup",
    [
        "<p>&amp;lt;script&amp;gt; is how you write &lt;script&gt;</p>",
        "<p>&amp;amp; &amp;copy; &amp;#106; &amp;</p>",
        f'<a href="https://x.example/" rel="{REL}">&amp;lt;</a>',
        "<code>&amp;lt;</code>",
    ],
)
def test_escaped_entities_in_text_stay_escaped(markup: str) -> None:
    assert sanitise_html(markup) == markup


def test_double_quote_in_attribute_value_does_not_grow_escaping() -> None:
    once = sanitise_html("<a href='https://example.com/\"<x' title='say \"hi\" & <bye>'>x</a>")
    assert once == (
        f'<a href="https://example.com/&quot;&lt;x" title="say &quot;hi&quot; &amp; &lt;bye>" rel="{REL}">x</a>'
    )
    assert sanitise_html(once) == once


@pytest.mark.parametrize("empty", [None, ""])
def test_empty_input_gives_empty_string(empty: str | None) -> None:
    assert sanitise_html(empty) == ""
    assert linkify_text(empty) == ""
    assert html_to_text(empty) == ""


def test_result_is_plain_str() -> None:
    assert type(sanitise_html("<b>x</b>")) is str
    assert type(linkify_text("x")) is str


# --- linkifying bare URLs in HTML ------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "<p>see https://example.com/a?b=1&amp;c=2 now</p>",
            f'<p>see <a href="https://example.com/a?b=1&amp;c=2" rel="{REL}">https://example.com/a?b=1&amp;c=2</a>'
            " now</p>",
            id="https-with-query",
        ),
        pytest.param(
            "visit www.example.org.",
            f'visit <a href="http://www.example.org" rel="{REL}">www.example.org</a>.',
            id="www-without-scheme-and-trailing-period",
        ),
        pytest.param(
            "(see http://example.com/foo_(bar))",
            f'(see <a href="http://example.com/foo_(bar)" rel="{REL}">http://example.com/foo_(bar)</a>)',
            id="balanced-parentheses",
        ),
        pytest.param(
            "https://example.com:8443/x, then",
            f'<a href="https://example.com:8443/x" rel="{REL}">https://example.com:8443/x</a>, then',
            id="port-and-trailing-comma",
        ),
    ],
)
def test_bare_urls_are_linkified(source: str, expected: str) -> None:
    assert sanitise_html(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("<pre>http://example.com/</pre>", id="inside-pre"),
        pytest.param("<code>http://example.com/</code>", id="inside-code"),
        pytest.param("see notes.md and model.py", id="file-names-that-end-in-a-tld"),
        pytest.param("javascript:alert(1)", id="javascript-text"),
        pytest.param("mailto:someone@example.com", id="mailto-text"),
        pytest.param("someone@example.com", id="email-address"),
        pytest.param("ftp://example.com/file", id="ftp-text"),
        pytest.param("javascript://www.evil.example/%0aalert(1)", id="www-inside-javascript-url"),
    ],
)
def test_text_that_is_not_a_web_url_is_not_linkified(source: str) -> None:
    assert "<a" not in sanitise_html(source)


def test_userinfo_urls_are_not_linkified() -> None:
    assert sanitise_html("http://user:pw@evil.example") == "http://user:pw@evil.example"


def test_existing_link_text_is_not_linkified_again() -> None:
    source = f'<a href="https://a.example/" rel="{REL}">https://b.example/</a>'
    assert sanitise_html(source) == source


def test_url_inside_an_unwrapped_unsafe_link_is_linkified_in_one_pass() -> None:
    expected = f'see <a href="https://ok.example/" rel="{REL}">https://ok.example/</a>'
    assert sanitise_html('<a href="javascript:alert(1)">see https://ok.example/</a>') == expected


def test_linkify_cannot_introduce_an_unsafe_scheme() -> None:
    output = sanitise_html("vbscript:www.example.com data:text/html,http://example.com javascript:alert(1)")
    assert output == (
        f'vbscript:<a href="http://www.example.com" rel="{REL}">www.example.com</a> '
        f'data:text/html,<a href="http://example.com" rel="{REL}">http://example.com</a> javascript:alert(1)'
    )
    assert_only_allowlisted_markup(output)


# --- is_safe_href ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "href", ["https://x.example/", "HTTP://X.EXAMPLE", "mailto:a@b.example", "/p", "#a:b", "?q=a:b", "//x.example"]
)
def test_safe_hrefs_are_accepted(href: str) -> None:
    assert is_safe_href(href)


@pytest.mark.parametrize("href", [pytest.param(href, id=name) for name, href in UNSAFE_HREFS if href])
def test_unsafe_hrefs_are_rejected(href: str) -> None:
    assert not is_safe_href(href)


# --- linkify_text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Hi <b>there</b>", "<p>Hi &lt;b&gt;there&lt;/b&gt;</p>", id="escapes-tags"),
        pytest.param("line one\nline two", "<p>line one<br>\nline two</p>", id="newline-becomes-br"),
        pytest.param("one\r\ntwo", "<p>one<br>\ntwo</p>", id="crlf-becomes-br"),
        pytest.param("para one\n\n\npara two", "<p>para one</p>\n<p>para two</p>", id="blank-line-splits-paragraphs"),
        pytest.param("AT&T &lt;", "<p>AT&amp;T &amp;lt;</p>", id="ampersands-are-literal"),
        pytest.param(
            '<a href="javascript:alert(1)">x</a>',
            '<p>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;</p>',
            id="typed-markup-is-text",
        ),
        pytest.param(
            "Site: https://example.com/me",
            f'<p>Site: <a href="https://example.com/me" rel="{REL}">https://example.com/me</a></p>',
            id="links-urls",
        ),
        pytest.param("javascript:alert(1)", "<p>javascript:alert(1)</p>", id="javascript-stays-text"),
    ],
)
def test_linkify_text(text: str, expected: str) -> None:
    assert linkify_text(text) == expected


@pytest.mark.parametrize("text", ["a <b>\nb\n\nhttp://x.example/?a=1&b=2 <script>", "x\x00y\x0cz", "  indented\n\ttab"])
def test_linkify_text_output_is_stable_under_sanitise_html(text: str) -> None:
    html_out = linkify_text(text)
    assert sanitise_html(html_out) == html_out
    assert_only_allowlisted_markup(html_out)


# --- html_to_text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("<p>Hello <b>world</b></p><p>Next&nbsp;para</p>", "Hello world Next para", id="blocks-and-nbsp"),
        pytest.param("Hel<b>lo</b>", "Hello", id="inline-tags-do-not-split-words"),
        pytest.param("a<br>b<hr>c", "a b c", id="breaks-separate-words"),
        pytest.param("<ul><li>one</li><li>two</li></ul>", "one two", id="list-items"),
        pytest.param("&lt;b&gt;not a tag&lt;/b&gt; &amp; more", "<b>not a tag</b> & more", id="unescapes-entities"),
        pytest.param("&amp;lt;", "&lt;", id="unescapes-only-once"),
        pytest.param("<script>alert(1)</script><style>p{}</style>Visible", "Visible", id="drops-script-and-style"),
        pytest.param("<!-- secret -->shown", "shown", id="drops-comments"),
        pytest.param("  a \n\t b\x00\x07  ", "a b", id="collapses-whitespace-and-controls"),
        pytest.param('<a href="https://x.example/">link text</a>', "link text", id="keeps-link-text"),
    ],
)
def test_html_to_text(source: str, expected: str) -> None:
    assert html_to_text(source) == expected


# --- template filters ------------------------------------------------------------------------


def test_template_filters_return_safe_sanitised_strings() -> None:
    from django.utils.safestring import SafeString

    from community.templatetags.sanitise import linkify, sanitise

    assert sanitise('<b onclick="x">a</b><script>y</script>') == "<b>a</b>"
    assert isinstance(sanitise("<b>a</b>"), SafeString)
    assert sanitise(None) == ""
    assert linkify("a <b>\nb") == "<p>a &lt;b&gt;<br>\nb</p>"
    assert isinstance(linkify("x"), SafeString)


# --- the one place ---------------------------------------------------------------------------


def test_bleach_is_imported_only_by_the_sanitiser() -> None:
    root = Path(__file__).resolve().parents[2]
    import_re = re.compile(r"^\s*(?:import\s+bleach|from\s+bleach[\s.])", re.MULTILINE)
    offenders = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [d for d in subdirectories if not d.startswith(".") and d != "node_modules"]
        for name in files:
            path = Path(directory, name)
            relative = path.relative_to(root).as_posix()
            if not name.endswith(".py") or relative == "community/sanitise.py":
                continue
            if import_re.search(path.read_text(encoding="utf-8", errors="replace")):
                offenders.append(relative)
    assert offenders == []
