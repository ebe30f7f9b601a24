"""Calendar feeds over HTTP: thin views around ``events.calendars`` and ``events.ical.export``.

Every feed answers a conditional GET from one read of its scope's counter and a cache
lookup (plus at most one lookup of the organisation or token) before anything is rendered
(``events.calendars.calendar_version_for``), and keeps the rendered body
in the shared cache under its ETag, compressed once and bounded in size
(``CALENDAR_BODY_CACHE_MAX_BYTES``); otherwise the body is streamed from the stored VEVENT
blocks (``events.ical.blocks``), so no process holds a whole feed.
ETags are weak from the start: GZipMiddleware would weaken a strong one on
compressed responses only, and a 304 should carry the same validator as the 200.
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from community.models import Organisation, Profile
from events.calendar_counters import EVENTS, organisation_scope
from events.calendars import (
    CalendarScope,
    block_version,
    calendar_version_for,
    organisation_calendar_scope,
    personal_calendar_scope,
    public_calendar_scope,
    single_event_calendar_scope,
)
from events.filters import EventFilters, FilterError, parse_event_filters
from events.ical.blocks import stream_calendar
from events.models import Event

CONTENT_TYPE = "text/calendar; charset=utf-8"
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Intermediate caches may keep a feed this long; revalidation (304) is cheap.
MAX_AGE_SECONDS = 900


@dataclass(frozen=True)
class _Heading:
    name: str
    description: str
    url: str


@require_safe
def public_calendar(request: HttpRequest) -> HttpResponse:
    """``/events/calendar.ics`` with the filters of ``/events/`` from the query string."""
    try:
        filters = parse_event_filters(request.GET)
    except FilterError as exc:
        message = "\n".join(f"{param}: {error}" for param, error in exc.errors.items())
        return HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")
    query = request.GET.urlencode()

    def heading() -> _Heading:
        return _Heading(
            _("Praxis events"),
            _("Events, conferences and sessions shared on Praxis."),
            f"{settings.SITE_URL}/events/" + (f"?{query}" if query else ""),
        )

    return _serve(
        request,
        lambda: public_calendar_scope(filters),
        heading,
        filename="praxis-events.ics",
        counters=[EVENTS],
        params=query,
        cacheable=_is_cacheable(filters),
    )


def _is_cacheable(filters: EventFilters) -> bool:
    """Keep rendered bodies only for the feeds people subscribe to: the whole calendar and
    its vocabulary filters. Free text and moving windows would make one entry per request."""
    return not (filters.q or filters.start or filters.end)


@require_safe
def event_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """``/events/<id>.ics``: one event with its overrides; a conference with its sessions."""

    def heading() -> _Heading:
        title = Event.objects.filter(pk=pk).values_list("title", flat=True).first()
        if title is None:  # removed between the version query and the render
            raise Http404(_("No event at this address."))
        return _Heading(title, _("An event on Praxis."), f"{settings.SITE_URL}/events/{pk}/")

    return _serve(
        request,
        lambda: single_event_calendar_scope(pk),
        heading,
        filename=f"praxis-event-{pk}.ics",
        counters=[EVENTS],
        empty_is_404=True,
    )


@require_safe
def organisation_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """``/organisations/<slug>/calendar.ics``: everything the organisation publishes."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404(_("No organisation at this address."))

    def heading() -> _Heading:
        return _Heading(
            _("%(name)s on Praxis") % {"name": organisation.name},
            _("Events published by %(name)s.") % {"name": organisation.name},
            f"{settings.SITE_URL}/organisations/{organisation.slug}/",
        )

    return _serve(
        request,
        lambda: organisation_calendar_scope(organisation),
        heading,
        filename=f"{organisation.slug}.ics",
        counters=[organisation_scope(organisation.pk)],
        params=f"{organisation.slug}|{organisation.name}",
    )


@require_safe
def personal_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """``/calendar/<token>.ics``: a member's followed events. The token is the only key, so
    an unknown or rotated one is a plain 404 and the body is marked private."""
    profile = Profile.objects.filter(calendar_token=token, user__is_active=True).select_related("user").first()
    if profile is None or profile.calendar_token != token:
        raise Http404(_("No calendar at this address."))

    def heading() -> _Heading:
        return _Heading(
            _("Praxis: %(name)s") % {"name": profile.display_name},
            _("Events you follow on Praxis, and those of the organisations and themes you follow."),
            f"{settings.SITE_URL}/events/",
        )

    response = _serve(
        request,
        lambda: personal_calendar_scope(profile.user),
        heading,
        filename="praxis-my-events.ics",
        counters=[EVENTS],
        params=profile.display_name,
        changed_at=profile.updated,
        private=True,
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _serve(
    request: HttpRequest,
    scope: Callable[[], CalendarScope],
    heading: Callable[[], _Heading],
    *,
    filename: str,
    counters: list[str],
    params: str = "",
    changed_at=None,
    private: bool = False,
    empty_is_404: bool = False,
    cacheable: bool = True,
) -> HttpResponse:
    """Answer 304 from the feed's version, else the body from the cache or a fresh render.

    ``params`` is everything besides the rows that shapes the body (the query string is in
    the heading's URL); the cache key is the version's ETag, so a stale body is never served.
    """
    # The scope's querysets are built only when needed: a 304 reads the counter and the cache.
    scope = functools.cache(scope)
    version = calendar_version_for(scope, counters=counters, params=f"{request.path}?{params}", changed_at=changed_at)
    if empty_is_404 and version.count == 0:
        raise Http404(_("No event at this address."))
    cache_key = f"praxis:ical:{version.etag[3:-1]}"

    @condition(etag_func=lambda _r: version.etag, last_modified_func=lambda _r: version.last_modified)
    def respond(request: HttpRequest) -> HttpResponse:
        gzip_ok = bool(_ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
        # Kept compressed, once: a hit costs a cache read, not a new gzip of a 12 MB body.
        packed = cache.get(cache_key) if cacheable else None
        if packed is not None:
            response = (
                HttpResponse(packed, content_type=CONTENT_TYPE)
                if gzip_ok
                else StreamingHttpResponse(_gunzip(packed), content_type=CONTENT_TYPE)
            )
        else:
            with translation.override(settings.LANGUAGE_CODE):  # the body must not depend on the visitor
                head = heading()
            query = request.GET.urlencode()
            source = f"{settings.SITE_URL}{escape_uri_path(request.path)}" + (f"?{query}" if query else "")
            chunks = stream_calendar(
                scope().events(),
                version=block_version(),
                name=head.name,
                description=head.description,
                url=head.url,
                source=source,
            )
            response = StreamingHttpResponse(
                _compress_and_keep(chunks, cache_key=cache_key if cacheable else None, send_compressed=gzip_ok),
                content_type=CONTENT_TYPE,
            )
        if gzip_ok:
            response["Content-Encoding"] = "gzip"  # GZipMiddleware leaves encoded responses alone
        patch_vary_headers(response, ("Accept-Encoding",))
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response

    response = respond(request)
    response["Cache-Control"] = f"{'private' if private else 'public'}, max-age={MAX_AGE_SECONDS}"
    return response


def _gzip_compressor():
    return zlib.compressobj(4, zlib.DEFLATED, 31)  # wbits 31: the gzip format, mtime 0


def _compress_and_keep(chunks: Iterator[bytes], *, cache_key: str | None, send_compressed: bool) -> Iterator[bytes]:
    """Pass the body on as it is made, compressed for a gzip client, and keep the compressed
    body in the cache if it stays under ``CALENDAR_BODY_CACHE_MAX_BYTES``."""
    keep = cache_key is not None
    if not keep and not send_compressed:
        yield from chunks
        return
    compressor = _gzip_compressor()
    kept: list[bytes] = []
    kept_size = 0
    for chunk in chunks:
        packed = compressor.compress(chunk)
        if keep and packed:
            kept.append(packed)
            kept_size += len(packed)
            if kept_size > settings.CALENDAR_BODY_CACHE_MAX_BYTES:
                keep, kept = False, []
        if send_compressed:
            if packed:
                yield packed
        else:
            yield chunk
        if not keep and not send_compressed:
            # Too big to keep and the client reads it plain: stop compressing.
            yield from chunks
            return
    tail = compressor.flush()
    if send_compressed:
        yield tail
    if keep and kept_size + len(tail) <= settings.CALENDAR_BODY_CACHE_MAX_BYTES:
        cache.set(cache_key, b"".join([*kept, tail]), timeout=settings.CALENDAR_REFRESH_HOURS * 3600)


def _gunzip(packed: bytes, chunk: int = 256 * 1024) -> Iterator[bytes]:
    """A cached body for a client that does not take gzip, decompressed a piece at a time."""
    decompressor = zlib.decompressobj(31)
    for position in range(0, len(packed), chunk // 8):
        if out := decompressor.decompress(packed[position : position + chunk // 8]):
            yield out
    if rest := decompressor.flush():
        yield rest
