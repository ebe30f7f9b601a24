"""Events in the site's one search (``community.site_search``), registered by a Wagtail hook
so community never imports events."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from community.folding import fold, matches_every_word
from community.models import User
from community.site_search import HITS_PER_KIND, SearchHit
from events.models import Event


def search_events(*, q: str, user: User) -> list[SearchHit]:
    """Published events and conferences whose title, description or city hold every word, the
    coming ones first, then the recent past (a year back)."""
    if not fold(q).split():
        return []
    match = matches_every_word(q)
    now = timezone.now()
    qs = Event.objects.listed().filter(match, parent__isnull=True).exclude(series_end__lt=now - dt.timedelta(days=365))
    qs = qs.select_related("language")
    coming = qs.filter(Q(series_end__gte=now) | Q(series_end__isnull=True)).order_by("start", "id")
    upcoming = list(coming[:HITS_PER_KIND])
    past = list(qs.filter(series_end__lt=now).order_by("-start", "-id")[: HITS_PER_KIND - len(upcoming)])
    return [
        SearchHit(
            kind="events",
            title=event.title,
            url=event.get_absolute_url(),
            snippet=event.description_text[:240],
            language=event.language.code if event.language_id else "",
            date=event.start,
        )
        for event in [*upcoming, *past]
    ]
