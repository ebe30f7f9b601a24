"""Fragments of pages kept in the shared cache under keys made of everything they show.

Event cards, story cards and thread posts are each rendered once and then served from the
cache: a fragment's key is a hash of its inputs (read as plain values in one narrow query)
and of what else shapes it (template source, language, viewer kind), so a stored fragment is
right by construction and nothing needs invalidating. Only the missing ones are loaded in
full and rendered, and all of a page's fragments are read with one ``get_many``.

Versions are the other half: a few things a fragment shows are not in its row (a profile's
name on a story card, the set of published stories behind cached counts, the sites Wagtail
routes by). Each has a token in the shared cache, drawn anew when it changes; a token that was
evicted is drawn anew too, which only costs one re-render.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Hashable, Iterable
from functools import lru_cache
from typing import Any

from django.core.cache import cache
from django.template.loader import get_template

TIMEOUT = 24 * 3600


@lru_cache(maxsize=32)
def template_version(*names: str) -> str:
    """A short hash of the templates' source: a deploy that changes them changes every key."""
    source = "".join(get_template(name).template.source for name in names)
    return hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()[:12]


def fragment_key(prefix: str, inputs: Any) -> str:
    return f"{prefix}:" + hashlib.sha1(repr(inputs).encode(), usedforsecurity=False).hexdigest()


def fetch_or_render(keys: dict[Hashable, str], render: Callable[[list], Iterable[tuple[Hashable, Any]]]) -> dict:
    """``{id: fragment}`` for every id of ``keys`` (id → cache key): from the cache, else from
    ``render(missing_ids)``, which yields ``(id, fragment)`` and whose results are stored."""
    found = cache.get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in found]
    if missing:
        rendered = {keys[pk]: fragment for pk, fragment in render(missing)}
        cache.set_many(rendered, TIMEOUT)
        found.update(rendered)
    return {pk: found[key] for pk, key in keys.items() if key in found}


def current_version(name: str) -> str:
    """The token for ``name``, drawn if there is none yet."""
    version = cache.get(name)
    if version is None:
        cache.add(name, uuid.uuid4().hex, None)
        version = cache.get(name) or "evicted"
    return version


def renew_version(name: str) -> None:
    cache.set(name, uuid.uuid4().hex, None)
