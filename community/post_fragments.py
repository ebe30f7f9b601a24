"""A thread page's posts, each rendered once and kept in the cache under a key made of
everything it shows.

A page of 50 posts spent most of its time formatting the same dates, URLs and author
links on every view. The key is a hash of every input of the header and body (the post's
fields, its author's name, address and visibility, the reply's number, the viewer's
language, time zone, whether they are signed in or a moderator, and the templates' own
source), so a stored fragment is right by construction: an edit, a rename or a hide makes
a new key, and nothing needs invalidating. One narrow query and one ``get_many`` per page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from community.fragment_cache import fetch_or_render, fragment_key, template_version
from community.models import Post
from community.models.discussions import PostPlace

HEADER = "community/includes/post_header.html"
BODY = "community/includes/post_body.html"
ITEM = "community/includes/post.html"


# Everything a post's header and body show, read as plain values: building 150 model rows
# (posts, authors, profiles) per page cost more than rendering the page from the cache.
_KEY_FIELDS = (
    "pk",
    "number",
    "created",
    "edited_at",
    "deleted_at",
    "hidden_at",
    "body_html",
    "author_id",
    "author__username",
    "author__profile__pk",
    "author__profile__display_name",
    "author__profile__slug",
    "author__profile__visibility",
    "reply_to_id",
    "reply_to__number",
)


@dataclass(frozen=True)
class ShownPost(PostPlace):
    """A post as the thread page lists it: its number, state and its cached fragments;
    ``item_html`` is the whole list item, kept for visitors who are not signed in (for them
    nothing around the fragments depends on who is looking)."""

    pk: int
    number: int
    author_id: int | None
    deleted_at: dt.datetime | None
    hidden_at: dt.datetime | None
    header_html: SafeString
    body_part: SafeString
    item_html: SafeString | None = None


def shown_posts(posts: QuerySet[Post], *, signed_in: bool, moderator: bool) -> list[ShownPost]:
    """The posts of ``posts`` (one page of a thread), with header and body from the cache;
    only the posts whose key is not there are loaded in full and rendered."""
    context = (
        template_version(HEADER, BODY, ITEM),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        signed_in,
        moderator,
    )
    rows = {row.pk: row for row in posts.values_list(*_KEY_FIELDS, named=True)}
    keys = {pk: fragment_key("post-fragment", (context, row)) for pk, row in rows.items()}

    def render(missing: list[int]):
        for post in Post.objects.filter(pk__in=missing).select_related("thread", "author__profile", "reply_to"):
            values = {"post": post, "viewer_signed_in": signed_in, "moderator": moderator}
            header, body = render_to_string(HEADER, values), render_to_string(BODY, values)
            item = "" if signed_in else render_to_string(ITEM, {"post": _shown(rows[post.pk], (header, body, ""))})
            yield post.pk, (header, body, item)

    found = fetch_or_render(keys, render)
    return [_shown(row, found[pk]) for pk, row in rows.items() if pk in found]


def _shown(row, parts: tuple[str, str, str]) -> ShownPost:
    return ShownPost(
        pk=row.pk,
        number=row.number,
        author_id=row.author_id,
        deleted_at=row.deleted_at,
        hidden_at=row.hidden_at,
        header_html=mark_safe(parts[0]),
        body_part=mark_safe(parts[1]),
        item_html=mark_safe(parts[2]) if parts[2] else None,
    )
