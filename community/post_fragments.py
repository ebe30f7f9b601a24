"""A thread page's posts, each rendered once and kept in the cache under a key made of
everything it shows.

A page of 50 posts spent most of its time formatting the same dates, URLs and author
links on every view. The key is a hash of every input of the header and body (the post's
fields, its author's name, address and visibility, the reply's number, the viewer's
language, time zone, whether they are signed in or a moderator, and the templates' own
source), so a stored fragment is right by construction: an edit, a rename or a hide makes
a new key, and nothing needs invalidating. One ``get_many`` per page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache

from django.core.cache import cache
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from community.models import Post, Profile

HEADER = "community/includes/post_header.html"
BODY = "community/includes/post_body.html"
TIMEOUT = 24 * 3600


@lru_cache(maxsize=1)
def _templates_version() -> str:
    sources = "".join(get_template(name).template.source for name in (HEADER, BODY))
    return hashlib.sha1(sources.encode(), usedforsecurity=False).hexdigest()[:12]


def _profile_of(post: Post) -> Profile | None:
    if post.author_id is None:
        return None
    try:
        return post.author.profile
    except Profile.DoesNotExist:
        return None


def _key(post: Post, *, context: tuple) -> str:
    profile = _profile_of(post)
    author = (profile.display_name, profile.slug, profile.visibility) if profile else None
    username = post.author.get_username() if post.author_id and profile is None else None
    reply = (post.reply_to_id, post.reply_to.number) if post.reply_to_id else None
    inputs = (
        context, post.pk, post.number, post.created, post.edited_at, post.deleted_at, post.hidden_at,
        post.body_html, post.author_id, author, username, reply,
    )  # fmt: skip
    return "post-fragment:" + hashlib.sha1(repr(inputs).encode(), usedforsecurity=False).hexdigest()


def attach_fragments(posts: Iterable[Post], *, signed_in: bool, moderator: bool) -> None:
    """Set ``header_html`` and ``body_part`` on each post (includes/post.html uses them)."""
    posts = list(posts)
    context = (
        _templates_version(),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        signed_in,
        moderator,
    )
    keys = {post.pk: _key(post, context=context) for post in posts}
    found = cache.get_many(list(keys.values()))
    missing = {}
    for post in posts:
        parts = found.get(keys[post.pk])
        if parts is None:
            values = {"post": post, "viewer_signed_in": signed_in, "moderator": moderator}
            parts = (render_to_string(HEADER, values), render_to_string(BODY, values))
            missing[keys[post.pk]] = parts
        post.header_html, post.body_part = mark_safe(parts[0]), mark_safe(parts[1])
    if missing:
        cache.set_many(missing, TIMEOUT)
