from __future__ import annotations

import datetime as dt
import functools
import json
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.models import Organisation, Theme
from community.organisations import can_edit_content
from events.filter_panel import filter_panel
from events.filters import FilterError, parse_event_filters
from events.following import follow, is_following, unfollow
from events.forms import EventForm
from events.listing import (
    group_by_day,
    month_grid,
    month_occurrences,
    upcoming_series_page,
    with_overrides,
)
from events.models import Event, EventKind
from events.page_fragments import calendar_fragment, calendar_versions
from events.presentation import add_to_calendar_links, event_json_ld
from events.recurrence import expand
from events.rules import YEAR_MAX, YEAR_MIN
from events.summary_cards import cards_by_day, occurrence_cards
from events.writing import organisations_editable_by, published_event_or_none, published_events

LIST_PAGE = 50
MONTH_GRID = "events/includes/month_grid.html"
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_for_script(data: dict) -> str:
    """JSON safe inside <script>: no character of it can close the element."""
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming occurrences by day (or a month grid with ?view=month; the archive with ?archive=1)."""
    try:
        filters = parse_event_filters(request.GET)
    except FilterError as exc:
        panel = filter_panel(params=request.GET, view=request.GET.get("view", "list"), open_=True, valid=False)
        context = {"filter_errors": exc.errors, "filter_panel": panel}
        return render(request, "events/event_list.html", context, status=400)
    now = timezone.now()
    view = request.GET.get("view", "list")
    qs = filters.apply(Event.objects.listed())
    versions = functools.cache(calendar_versions)  # read once for the panel and the month grid
    context = {
        "filters": filters,
        "view": view,
        "current_theme": Theme.objects.filter(slug=request.GET["theme"]).first() if request.GET.get("theme") else None,
    }
    if request.GET.get("archive"):
        past = qs.filter(series_end__lt=now, parent__isnull=True).select_related("organiser").order_by("-start")[:100]
        context.update(archive=True, past_events=past)
    elif view == "month":
        zone = _calendar_zone()
        month = request.GET.get("month") or now.astimezone(zone).strftime("%Y-%m")
        try:
            first = dt.datetime.strptime(month, "%Y-%m").replace(tzinfo=zone)
        except ValueError:
            first = None
        if first is None or not YEAR_MIN <= first.year <= YEAR_MAX:
            context["filter_panel"] = filter_panel(params=request.GET, view=view, open_=True, versions=versions)
            context["filter_errors"] = {
                "month": _("month must look like 2027-09, between %(min)s and %(max)s.")
                % {"min": YEAR_MIN, "max": YEAR_MAX}
            }
            return render(request, "events/event_list.html", context, status=400)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        today = timezone.now().astimezone(zone).date()
        feed_query = _feed_query(request)

        def grid() -> dict:
            masters = None if filters.is_empty else qs.filter(parent__isnull=True)
            by_day, counts = month_occurrences(
                masters, first=first.date(), last=(following - dt.timedelta(days=1)).date(), zone=zone
            )
            # Also in the page's context, for tests and templates that extend this one.
            context["weeks"] = month_grid(first.year, first.month, by_day, counts, today=today)
            return {
                "month": first,
                "weeks": context["weeks"],
                "calendar_zone": zone.key,
                "previous_month": previous.strftime("%Y-%m"),
                "next_month": following.strftime("%Y-%m"),
                "feed_query": feed_query,
            }

        context["month_grid"] = calendar_fragment(
            MONTH_GRID,
            params=request.GET,
            extra=(first.date(), zone.key, today, feed_query),
            context=grid,
            versions=versions,
        )
    else:
        try:
            after = _keyset(request.GET.get("after", ""))
        except ValueError:
            context["filter_panel"] = filter_panel(params=request.GET, view=view, open_=True, versions=versions)
            context["filter_errors"] = {"after": _("This “later events” link is not valid; start again from the list.")}
            return render(request, "events/event_list.html", context, status=400)
        since = filters.start or now
        masters = None if filters.is_empty else qs.filter(parent__isnull=True)
        ids, has_more = upcoming_series_page(masters, since=since, until=filters.end, after=after, size=LIST_PAGE)
        page = occurrence_cards(ids)
        more = None
        if has_more and page:
            # "Later events" continues after the last occurrence shown, keeping the filters.
            later = request.GET.copy()
            later["after"] = f"{page[-1].start.astimezone(dt.UTC).isoformat()}_{page[-1].pk}"
            more = later.urlencode()
        context.update(days=cards_by_day(page), window_start=since, window_end=filters.end, more_query=more)
    context["filter_panel"] = filter_panel(params=request.GET, view=view, open_=not filters.is_empty, versions=versions)
    context["feed_query"] = _feed_query(request)
    return render(request, "events/event_list.html", context)


def _feed_query(request: HttpRequest) -> str:
    """The filters alone, for the feed's address and the other views' links."""
    query = request.GET.copy()
    for key in ("view", "month", "archive", "page", "after"):
        query.pop(key, None)
    return query.urlencode()


def _calendar_zone() -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(settings.CALENDAR_TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _keyset(value: str) -> tuple[dt.datetime, int] | None:
    """``after=<ISO instant>_<occurrence id>`` from a "Later events" link; ValueError if forged."""
    if not value:
        return None
    instant, _sep, pk = value.rpartition("_")
    start = dt.datetime.fromisoformat(instant)
    if start.tzinfo is None or not YEAR_MIN <= start.year <= YEAR_MAX or not pk.isdigit() or len(pk) > 18:
        raise ValueError(value)
    return start.astimezone(dt.UTC), int(pk)


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(
        with_overrides(published_events().select_related("organiser", "parent", "language")).prefetch_related(
            "themes", "sectors", "speakers__profile__user"
        ),
        pk=pk,
    )
    now = timezone.now()
    upcoming = expand(event, now, now + dt.timedelta(days=366), cap=12) if event.is_recurring else []
    sessions = []
    if event.kind == EventKind.CONFERENCE:
        sessions = list(
            event.sessions.filter(removed_at__isnull=True)
            .prefetch_related("speakers__profile__user")
            .order_by("start", "room", "id")
        )
    programme = group_by_day(list(sessions), event.zone) if sessions else []
    rooms = sorted({s.room for s in sessions if s.room})
    following = is_following(user=request.user, target=event)
    context = {
        "event": event,
        "upcoming": upcoming,
        "programme": programme,
        "rooms": rooms,
        "following": following,
        "can_edit": request.user.is_authenticated and can_edit_content(user=request.user, organisation=event.organiser),
        "links": add_to_calendar_links(event, request),
        "json_ld": json_for_script(event_json_ld(event, request)),
    }
    return render(request, "events/event_detail.html", context)


@login_required
def event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisations = organisations_editable_by(request.user)
    if not organisations.exists():
        raise PermissionDenied(_("Only editors and admins of an organisation can publish its events."))
    event = None
    if pk is not None:
        event = get_object_or_404(Event, pk=pk, removed_at__isnull=True)
        if not can_edit_content(user=request.user, organisation=event.organiser):
            raise PermissionDenied(_("You cannot edit this organisation's events."))
    initial = {}
    if event is None and request.GET.get("organiser"):
        initial["organiser"] = organisations.filter(slug=request.GET["organiser"]).first()
    if event is None and request.GET.get("parent", "").isdigit():
        initial.update(parent=request.GET["parent"], kind=EventKind.SESSION)
    form = EventForm(request.POST or None, request.FILES or None, instance=event, user=request.user, initial=initial)
    if request.method == "POST":
        try:
            valid = form.is_valid()
            saved = form.save() if valid else None
        except ValidationError as exc:  # a rule only the write path can check (who may write where)
            form.add_error(None, exc)
            saved = None
        if saved is not None:
            messages.success(request, _("The event is saved."))
            return redirect(saved)
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return render(request, "events/event_form.html", {"form": form, "event": event}, status=400 if form.errors else 200)


@login_required
@require_POST
def follow_toggle(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """Follow (``action=follow``) or unfollow (``action=unfollow``) an event ("I'm going"), an
    organisation or a theme. Idempotent: a double submit answers as the first did. Without
    ``action`` it toggles, for forms rendered before the field existed."""
    if kind == "event":
        target = published_event_or_none(int(key)) if key.isdigit() and len(key) <= 18 else None
        if target is None:
            raise Http404(_("No event at this address."))
    elif kind == "organisation":
        target = get_object_or_404(Organisation, slug=key)
    elif kind == "theme":
        target = get_object_or_404(Theme, slug=key)
    else:
        raise Http404
    action = request.POST.get("action", "")
    if action not in ("follow", "unfollow"):
        action = "unfollow" if is_following(user=request.user, target=target) else "follow"
    if action == "follow":
        follow(user=request.user, target=target)
        messages.success(request, _("You follow %(name)s; it is in your personal calendar.") % {"name": target})
    else:
        unfollow(user=request.user, target=target)
        messages.success(request, _("You no longer follow %(name)s.") % {"name": target})
    fallback = target.get_absolute_url() if hasattr(target, "get_absolute_url") else reverse("event-list")
    next_url = request.POST.get("next", "")
    return redirect(next_url if next_url.startswith("/") and not next_url.startswith("//") else fallback)
