"""The blocks of a practice story's body.

Rich text is sanitised on write (``sanitise_story_body``), after Wagtail's internal links are
expanded to plain hrefs: the one sanitiser knows nothing of ``linktype`` attributes, and a
link that still works is worth more than one the editor can re-choose. Images and embeds are
separate blocks, so rich text carries neither.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText, expand_db_html

from community.sanitise import sanitise_html

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "blockquote"]

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_VIMEO_ID = re.compile(r"^[0-9]{4,12}$")


def video_embed_url(url: str) -> str | None:
    """The privacy-friendly player address for a YouTube or Vimeo link, or None.

    Built from the video id alone, so no provider is contacted when a page renders and no
    part of the member's URL reaches the iframe.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    if parts.scheme not in {"http", "https"}:
        return None
    video_id = None
    if host == "youtube.com" and parts.path == "/watch":
        video_id = (parse_qs(parts.query).get("v") or [""])[0]
    elif host in {"youtube.com", "youtube-nocookie.com"} and parts.path.startswith(("/embed/", "/shorts/")):
        video_id = parts.path.split("/")[2]
    elif host == "youtu.be":
        video_id = parts.path.lstrip("/")
    if video_id is not None:
        return f"https://www.youtube-nocookie.com/embed/{video_id}" if _YOUTUBE_ID.match(video_id) else None
    if host in {"vimeo.com", "player.vimeo.com"}:
        vimeo_id = parts.path.rstrip("/").rsplit("/", 1)[-1]
        return f"https://player.vimeo.com/video/{vimeo_id}" if _VIMEO_ID.match(vimeo_id) else None
    return None


class VideoBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("YouTube or Vimeo address"))
    title = blocks.CharBlock(label=_("title"), max_length=200)

    class Meta:
        icon = "media"
        template = "community/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        if video_embed_url(value["url"]) is None:
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("Give a YouTube or Vimeo video address."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_url"] = video_embed_url(value["url"])
        return context


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), max_length=300, required=False)
    credit = blocks.CharBlock(label=_("credit"), max_length=200, required=False)

    class Meta:
        icon = "image"
        template = "community/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"), max_length=2000)
    attribution = blocks.CharBlock(label=_("who said it"), max_length=200, required=False)

    class Meta:
        icon = "openquote"
        template = "community/blocks/quote.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("link text"), max_length=200, required=False)

    class Meta:
        icon = "doc-full"
        template = "community/blocks/document.html"


class OutcomeBlock(blocks.StructBlock):
    """What changed: the before, the after and how the team knows."""

    before = blocks.TextBlock(label=_("before"), max_length=2000)
    after = blocks.TextBlock(label=_("after"), max_length=2000)
    evidence = blocks.TextBlock(label=_("how we know"), max_length=2000, required=False)

    class Meta:
        icon = "success"
        label = _("What changed")
        template = "community/blocks/outcome.html"


class StoryBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)
    image = ImageBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    document = DocumentBlock()
    outcome = OutcomeBlock()


def sanitise_rich_text(source: str) -> str:
    """Rich text as stored: internal links expanded to hrefs, then the one sanitiser."""
    return sanitise_html(expand_db_html(source or ""))


def sanitise_story_body(body) -> None:
    """Sanitise every rich-text block of a story body in place (plain-text blocks are escaped on render)."""
    for child in body:
        if child.block_type == "text":
            source = child.value.source if isinstance(child.value, RichText) else str(child.value)
            clean = sanitise_rich_text(source)
            if clean != source:
                child.value = RichText(clean)
