"""Parts of the event pages rendered once per state of the shared calendar and kept in the cache.

A fragment's key holds its template's source, the language, the values it was asked for and
two counters from ``events.calendar_counters``: ``events`` (moved by every event write) and
``event-filters`` (moved when an organisation, theme, sector or language is saved or
deleted; see ``events.signals``). Whatever a fragment shows changes only with those, so a
stored one is right until they move; entries also expire, for what changes as time passes
(counts of upcoming events).

Free text (a search or dates) is not cached: it would fill the cache with one-off pages.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from community.fragment_cache import fragment_key, template_version
from events import calendar_counters
from events.filters import FILTER_PARAMS

TIMEOUT = 600
_FREE_TEXT = ("q", "start", "end")


def calendar_versions() -> tuple[int, ...]:
    """The two counters every calendar fragment is keyed by, in one query."""
    return calendar_counters.read(scopes=[calendar_counters.EVENTS, calendar_counters.FILTER_OPTIONS])


def calendar_fragment(
    template: str,
    *,
    params: QueryDict,
    extra: tuple,
    context: Callable[[], dict],
    cacheable: bool = True,
    versions: Callable[[], tuple[int, ...]] = calendar_versions,
) -> SafeString:
    """``template`` rendered with ``context()``, from the cache when the calendar, the
    language, the filter values in ``params`` and ``extra`` are what they were. A page with
    several fragments passes one memoised ``versions`` so the counters are read once."""
    if not cacheable or any(params.get(name) for name in _FREE_TEXT):
        return mark_safe(render_to_string(template, context()))
    chosen = tuple((name, tuple(params.getlist(name))) for name in FILTER_PARAMS if name in params)
    inputs = (template, template_version(template), translation.get_language(), versions(), chosen, extra)
    key = fragment_key("calendar-fragment", inputs)
    html = cache.get(key)
    if html is None:
        html = render_to_string(template, context())
        cache.set(key, html, TIMEOUT)
    return mark_safe(html)
