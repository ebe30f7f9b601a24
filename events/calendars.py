"""Which events each calendar feed holds, and the feed's version without rendering it.

Views, the API and management commands call these, so every interface serves the
same feed for the same URL. Each returns a QuerySet of master rows (no overrides:
``events.ical.export.event_queryset_for_feed`` brings those with their series).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.utils import timezone

from community.models import Organisation, User
from events import calendar_counters
from events.filters import EventFilters
from events.ical import export, vtimezone
from events.models import Event, EventFollow, OrganisationFollow, ThemeFollow

try:  # the VTIMEZONEs follow tzdata, so a new tzdata is a new feed version
    from tzdata import IANA_VERSION as _TZDATA_VERSION
except ImportError:  # pragma: no cover - system tzdata
    _TZDATA_VERSION = "system"


def calendar_window_start(now: dt.datetime | None = None) -> dt.datetime:
    """Feeds keep CALENDAR_PAST_DAYS of the past: enough for "what was that last week"."""
    return (now or timezone.now()) - dt.timedelta(days=settings.CALENDAR_PAST_DAYS)


def _window_q(since: dt.datetime) -> Q:
    """Series that still have an occurrence after ``since``, judged by ``series_end``.

    A null ``series_end`` means a rule that never ends; a row written around ``save()``
    (a bulk write that forgot ``normalise()``) falls back to its own ``end``.
    """
    return Q(series_end__gte=since) | Q(series_end__isnull=True) & (~Q(rrule="") | Q(end__gte=since))


_LIVE = Q(removed_at__isnull=True) & (Q(parent__isnull=True) | Q(parent__removed_at__isnull=True))


@dataclass(frozen=True)
class CalendarScope:
    """The rows a feed is made of, before the window and removals are applied.

    ``rows`` are master rows (no overrides), removed ones included: the version counts a
    removal as a change. ``events()`` is what the body shows.
    """

    rows: QuerySet[Event]
    since: dt.datetime | None

    def window(self) -> Q:
        return _window_q(self.since) if self.since is not None else Q()

    def events(self) -> QuerySet[Event]:
        return self.rows.filter(_LIVE & self.window())


def _masters() -> QuerySet[Event]:
    return Event.objects.filter(recurrence_id__isnull=True)


def public_calendar_scope(filters: EventFilters | None = None, *, now: dt.datetime | None = None) -> CalendarScope:
    """``/events/calendar.ics``: the shared calendar, narrowed by the same filters as ``/events/``.

    Cancelled events stay (as STATUS:CANCELLED) so subscribers' copies are cancelled too;
    removed ones go. ``start``/``end`` filters move the window's edges.
    """
    since = calendar_window_start(now)
    qs = _masters()
    if filters is not None:
        qs = filters.apply(qs)
        if filters.start is not None:
            since = filters.start
        if filters.end is not None:
            qs = qs.filter(start__lt=filters.end)
    return CalendarScope(qs, since)


def organisation_calendar_scope(organisation: Organisation, *, now: dt.datetime | None = None) -> CalendarScope:
    """``/organisations/<slug>/calendar.ics``: what the organisation publishes."""
    return CalendarScope(_masters().filter(organiser=organisation), calendar_window_start(now))


def personal_calendar_scope(user: User, *, now: dt.datetime | None = None) -> CalendarScope:
    """``/calendar/<token>.ics``: events the member follows, the sessions of conferences
    they follow, and everything from the organisations and themes they follow.

    Written with ``IN (subquery)`` rather than joins, so no DISTINCT is needed and the
    database can use its indexes on each follow table.
    """
    followed = EventFollow.objects.filter(user=user).values("event_id")
    organisations = OrganisationFollow.objects.filter(user=user).values("organisation_id")
    themed = Event.themes.through.objects.filter(
        theme_id__in=ThemeFollow.objects.filter(user=user).values("theme_id")
    ).values("event_id")
    qs = _masters().filter(
        Q(pk__in=followed) | Q(parent_id__in=followed) | Q(organiser_id__in=organisations) | Q(pk__in=themed)
    )
    return CalendarScope(qs, calendar_window_start(now))


def single_event_calendar_scope(pk: int) -> CalendarScope:
    """``/events/<id>.ics``: one event, or a conference with its sessions; never windowed."""
    return CalendarScope(_masters().filter(Q(pk=pk) | Q(parent_id=pk)), None)


@dataclass(frozen=True)
class CalendarVersion:
    """What a conditional request needs: the ETag, Last-Modified and the row count.

    ``valid_until``: when the first shown row leaves the window (the body changes then
    without any write); None if nothing ever leaves.
    """

    etag: str
    last_modified: dt.datetime | None
    count: int
    valid_until: dt.datetime | None = None


def _source_version() -> str:
    """The writer's own version: a hash of the modules that decide the bytes of a feed, so a
    change to how feeds are written is a new ETag without anyone remembering to bump one."""
    digest = hashlib.sha256()
    for module in (export, vtimezone):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


FORMAT_VERSION = _source_version()


def block_version() -> str:
    """Everything besides a row that decides the bytes of its VEVENT (``events.ical.blocks``)."""
    return f"{FORMAT_VERSION}|{_TZDATA_VERSION}|{settings.SITE_URL}|{settings.LANGUAGE_CODE}"


def calendar_version(
    scope: CalendarScope, *, params: str = "", changed_at: dt.datetime | None = None
) -> CalendarVersion:
    """The feed's version in ONE aggregate query, for a 304 answered before rendering.

    The ETag is a function of exactly what the body is made of: which rows are shown (their
    number and two checksums of their ids), the newest ``updated`` among them and their
    overrides, and
    ``params`` (the URL, the feed's title), the writer's source and tzdata versions. Every
    change that reaches the body touches ``updated`` (``events.signals``: themes, organisers,
    renames), so the ETag changes exactly when the body does.

    Last-Modified is the newest of those stamps, of the removed rows still in the window (a
    removal touches ``updated``), of ``changed_at`` (e.g. when a member last followed or
    unfollowed something) and of the moment the latest row left the window.
    """
    window = scope.window()
    live = _LIVE & window
    aggregates = {
        "shown_updated": Max("updated", filter=live),
        "touched": Max("updated", filter=window),  # removals too: for Last-Modified only
        "count": Count("id", filter=live, distinct=True),
        "id_sum": Sum("id", filter=live, distinct=True),
        "id_squares": Sum(F("id") * F("id"), filter=live, distinct=True),
        "overrides_updated": Max("overrides__updated", filter=live),
        "overrides": Count("overrides", filter=live, distinct=True),
    }
    if scope.since is not None:
        aggregates["left_window"] = Max("series_end", filter=~window)
        aggregates["first_exit"] = Min("series_end", filter=live)
        aggregates["first_exit_single"] = Min("end", filter=live & Q(series_end__isnull=True, rrule=""))
    # A DISTINCT queryset (theme and sector filters) must be wrapped first, or the joins
    # would be computed inside its DISTINCT.
    rows = Event.objects.filter(pk__in=scope.rows.values("pk")) if scope.rows.query.distinct else scope.rows
    agg = rows.order_by().aggregate(**aggregates)
    stamps = [agg["touched"], agg["overrides_updated"], changed_at]
    if agg.get("left_window") is not None:
        stamps.append(agg["left_window"] + dt.timedelta(days=settings.CALENDAR_PAST_DAYS))
    newest = max((stamp for stamp in stamps if stamp is not None), default=None)
    key = "|".join(
        str(part)
        for part in (
            FORMAT_VERSION,
            _TZDATA_VERSION,
            settings.SITE_URL,
            settings.CALENDAR_REFRESH_HOURS,
            settings.LANGUAGE_CODE,
            params,
            agg["shown_updated"] and agg["shown_updated"].isoformat(),
            agg["overrides_updated"] and agg["overrides_updated"].isoformat(),
            agg["count"],
            agg["id_sum"],
            agg["id_squares"],
            agg["overrides"],
        )
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    exits = [agg.get("first_exit"), agg.get("first_exit_single")]
    first_exit = min((stamp for stamp in exits if stamp is not None), default=None)
    valid_until = first_exit + dt.timedelta(days=settings.CALENDAR_PAST_DAYS) if first_exit is not None else None
    return CalendarVersion(etag=f'W/"{digest}"', last_modified=newest, count=agg["count"], valid_until=valid_until)


def calendar_version_for(
    scope: Callable[[], CalendarScope],
    *,
    counters: list[str],
    params: str = "",
    changed_at: dt.datetime | None = None,
) -> CalendarVersion:
    """``calendar_version`` at O(1) between changes (``scope`` is called only then): one read of the scope's counters
    (``events.calendar_counters``) and a cache lookup of the version computed for those
    values; the aggregate runs only after a bump, or when the window moves past a row.

    The ETag is still the aggregate's, so it changes exactly when the body does; the
    counters only decide when to compute it again.
    """
    values = calendar_counters.read(scopes=counters)
    memo_key = (
        "praxis:calver:"
        + hashlib.sha256(
            repr(
                (
                    block_version(),
                    settings.CALENDAR_REFRESH_HOURS,
                    settings.CALENDAR_PAST_DAYS,
                    params,
                    counters,
                    values,
                    changed_at and changed_at.isoformat(),
                )
            ).encode()
        ).hexdigest()[:32]
    )
    now = timezone.now()
    memo = cache.get(memo_key)
    if memo is not None and (memo.valid_until is None or now < memo.valid_until):
        return memo
    version = calendar_version(scope(), params=params, changed_at=changed_at)
    cache.set(memo_key, version, timeout=settings.CALENDAR_REFRESH_HOURS * 3600)
    return version
