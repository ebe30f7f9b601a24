"""The event list's filter panel, rendered once per state of what it offers and kept in the cache.

The panel lists every organiser, theme, sector, language and country with its count: five
queries and a hundred template loops on every view of `/events/`, for options that change
only when an event or one of those lists does. Its key holds the language, the chosen
values, the template's source and two counters from ``events.calendar_counters``: ``events``
(moved by every event write, so country counts and languages follow) and ``event-filters``
(moved when an organisation, theme, sector or language is saved or deleted; see
``events.signals``). Country counts are of upcoming events, which also change as time
passes, so entries expire after ten minutes.

Free text (a search or dates) is not cached: it would fill the cache with one-off pages.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.http import QueryDict
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from community.country_counts import country_counts
from community.models import Language, Organisation, Sector, Theme
from events import calendar_counters
from events.filters import FILTER_PARAMS
from events.models import Event

PANEL = "events/includes/event_filters.html"
TIMEOUT = 600
_FREE_TEXT = ("q", "start", "end")


@lru_cache(maxsize=1)
def _template_version() -> str:
    source = get_template(PANEL).template.source
    return hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()[:12]


def filter_options() -> dict:
    """What the panel offers (lazy querysets; a cached panel evaluates none of them)."""
    return {
        "all_organisers": Organisation.objects.order_by("name").only("slug", "name"),
        "all_themes": Theme.objects.all(),
        "all_sectors": Sector.objects.all(),
        "all_countries": lambda: country_counts(Event.objects.listed().filter(parent__isnull=True).upcoming()),
        # EXISTS per language (an index probe each), not a join over every event.
        "all_languages": Language.objects.filter(Exists(Event.objects.filter(language=OuterRef("pk")))),
    }


def filter_panel(*, params: QueryDict, view: str, open_: bool, valid: bool = True) -> SafeString:
    """The panel's HTML for these request parameters (``valid`` False: values that were refused,
    never cached)."""
    context = {"params": params, "view": view, "open": open_, **filter_options()}
    if not valid or any(params.get(name) for name in _FREE_TEXT):
        return mark_safe(render_to_string(PANEL, context))
    chosen = tuple((name, tuple(params.getlist(name))) for name in FILTER_PARAMS if name in params)
    versions = calendar_counters.read(scopes=[calendar_counters.EVENTS, calendar_counters.FILTER_OPTIONS])
    inputs = (_template_version(), translation.get_language(), versions, view, open_, chosen)
    key = "event-filter-panel:" + hashlib.sha1(repr(inputs).encode(), usedforsecurity=False).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render_to_string(PANEL, context)
        cache.set(key, html, TIMEOUT)
    return mark_safe(html)
