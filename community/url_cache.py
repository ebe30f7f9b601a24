"""``reverse()`` once per URL name, not once per object on a page.

A thread page links 50 posts and 50 authors; Django's ``reverse()`` costs tens of
microseconds each (about a quarter of the page's rendering). The URL of one object
differs from another's only in its key, so the pattern is reversed once with a
sentinel key and the key is put in its place. Cached per URLconf, script prefix and
language, the three things ``reverse()`` depends on here.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_SENTINELS = {int: "9081726354", str: "zq-sentinel-qz"}


@lru_cache(maxsize=256)
def _template(name: str, kwarg: str, kind: type, urlconf, prefix: str, language: str | None) -> str:
    return reverse(name, urlconf=urlconf, kwargs={kwarg: _SENTINELS[kind]})


def object_url(name: str, kwarg: str, value: int | str) -> str:
    """What ``reverse(name, kwargs={kwarg: value})`` gives, for an id or a slug.

    Only for keys the pattern's converter accepts as they are (ids, slugs); the result is
    checked against ``reverse()`` in the tests.
    """
    kind = int if isinstance(value, int) else str
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    template = _template(name, kwarg, kind, urlconf, get_script_prefix(), get_language())
    return template.replace(_SENTINELS[kind], str(value), 1)
