"""The one import path: fetch → parse → normalise → upsert → report.

``import_feed`` (polling, "refresh now", ``manage.py import_feed <id|url>``) fetches and
then calls ``import_calendar``, which an API upload and ``manage.py import_feed <file>``
call directly. Every call stores an ImportRun and returns it; none raises for bad input.

Cost by case, for a feed (the benchmark in bench/bench_import.py holds it to this):

- HTTP 304, or a body whose hash is the last one: no parsing, three queries.
- Some blocks changed: only those are parsed; unchanged blocks stand for their rows.
- First import: one parse of everything, then bulk writes.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar.error import BrokenCalendarProperty

from community.models import Organisation
from events.federation.fetch import FetchError, fetch
from events.federation.normalise import CalendarContext, EventProblem, IncomingEvent, normalise_event
from events.federation.parse import (
    CalendarError,
    ParsedBlock,
    SplitCalendar,
    check_context,
    parse_blocks,
    split_calendar,
)
from events.federation.poll import record_outcome
from events.federation.report import Problems, printable
from events.federation.upsert import Key, known_blocks, remove_missing, upsert_events
from events.models import Feed, ImportOutcome, ImportRun, ImportSource, Origin, PendingUpload

logger = logging.getLogger(__name__)
_BROKEN_PROPERTY_RE = re.compile(r"broken property '([A-Z-]+)'")

Progress = Callable[[int, int], None]


def import_feed(
    *, feed: Feed, source: str = ImportSource.POLL, force: bool = False, progress: Progress | None = None
) -> ImportRun:
    """Fetch ``feed`` and import what changed. ``force`` ignores validators and hashes."""
    started = timezone.now()
    clock = time.perf_counter()
    run = ImportRun(organisation_id=feed.organisation_id, feed=feed, source=source, started=started, url=feed.url)
    try:
        fetched = fetch(
            feed.url,
            etag="" if force else feed.etag,
            last_modified="" if force else feed.last_modified_header,
        )
    except FetchError as exc:
        run.outcome, run.message, run.http_status, run.bytes = (
            ImportOutcome.FAILED,
            str(exc),
            exc.http_status,
            exc.bytes_read,
        )
        return _finish(run, clock, feed=feed)
    run.http_status = fetched.status
    run.bytes = len(fetched.body)
    if fetched.not_modified:
        run.outcome = ImportOutcome.NOT_MODIFIED
        return _finish(run, clock, feed=feed)
    previous_validators = feed.etag, feed.last_modified_header
    feed.etag, feed.last_modified_header = fetched.etag[:500], fetched.last_modified[:100]
    body_hash = hashlib.sha256(fetched.body).hexdigest()
    if body_hash == feed.body_hash and not force:
        run.outcome = ImportOutcome.UNCHANGED
        return _finish(run, clock, feed=feed)
    run = _import_body(
        run,
        fetched.body,
        feed=feed,
        organisation=feed.organisation,
        origin=Origin.FEED,
        default_timezone=feed.default_timezone,
        force=force,
        progress=progress,
    )
    if run.outcome == ImportOutcome.FAILED:
        # Keep the old validators, so the next poll fetches (and tries) these bytes again.
        feed.etag, feed.last_modified_header = previous_validators
    else:
        feed.body_hash = body_hash
    return _finish(run, clock, feed=feed)


def import_calendar(
    *,
    organisation: Organisation,
    body: bytes,
    source: str,
    origin: str = Origin.API,
    default_timezone: str = "",
    url: str = "",
    feed: Feed | None = None,
    progress: Progress | None = None,
    run: ImportRun | None = None,
) -> ImportRun:
    """Import an iCalendar body that is already here (API upload, a file); never marks events removed,
    since an upload may hold only some of the organisation's events. With ``feed`` the run and
    the events are recorded as that feed's (a file saved from it). A queued upload passes its
    ``run`` row, which this fills in."""
    clock = time.perf_counter()
    if run is None:
        run = ImportRun(organisation=organisation, feed=feed, source=source, url=url[:1000])
    run.started = timezone.now()
    run.bytes = len(body)
    run = _import_body(
        run,
        body,
        feed=feed,
        remove=False,
        organisation=organisation,
        origin=origin,
        default_timezone=default_timezone,
        force=True,
        progress=progress,
    )
    return _finish(run, clock, feed=None)  # the feed's polling state is left as it was


def import_pending_upload(*, run_id: int) -> ImportRun | None:
    """Import an upload the web request queued (events.federation.uploads); the worker calls this.

    Returns None when there is nothing to do: the run is gone or was already imported (a
    task delivered twice imports once).
    """
    with transaction.atomic():
        pending = (
            PendingUpload.objects.select_for_update(skip_locked=True)
            .select_related("run__organisation")
            .filter(run_id=run_id, run__outcome=ImportOutcome.QUEUED)
            .first()
        )
        if pending is None:
            return None
        run = pending.run
        body, origin, zone = bytes(pending.body), pending.origin, pending.default_timezone
        run = import_calendar(
            organisation=run.organisation,
            body=body,
            source=run.source,
            origin=origin,
            default_timezone=zone,
            run=run,
        )
        pending.delete()
    return run


def import_url(
    *, organisation: Organisation, url: str, source: str = ImportSource.COMMAND, progress: Progress | None = None
) -> ImportRun:
    """Fetch ``url`` once for ``organisation`` without subscribing to it (no removals, no validators)."""
    clock = time.perf_counter()
    try:
        fetched = fetch(url)
    except FetchError as exc:
        run = ImportRun(organisation=organisation, source=source, url=url[:1000], outcome=ImportOutcome.FAILED)
        run.message, run.http_status, run.bytes = str(exc), exc.http_status, exc.bytes_read
        return _finish(run, clock, feed=None)
    run = import_calendar(
        organisation=organisation, body=fetched.body, source=source, origin=Origin.FEED, url=url, progress=progress
    )
    ImportRun.objects.filter(pk=run.pk).update(http_status=fetched.status)
    run.http_status = fetched.status
    return run


def _import_body(
    run: ImportRun,
    body: bytes,
    *,
    feed: Feed | None,
    organisation: Organisation,
    origin: str,
    default_timezone: str,
    force: bool,
    progress: Progress | None,
    remove: bool = True,
) -> ImportRun:
    problems = Problems()
    try:
        split = split_calendar(body)
    except CalendarError as exc:
        run.outcome, run.message = ImportOutcome.FAILED, str(exc)
        return run
    run.events_in_source = len(split.blocks)
    known: dict[str, Key] = {}
    if feed is not None and not force and split.context_hash == feed.context_hash:
        known = known_blocks(feed)
    seen: set[Key] = set()
    to_parse = []
    for block in split.blocks:
        key = known.get(block.hash)
        if key is None:
            to_parse.append(block)
        else:
            seen.add(key)
    run.blocks_parsed = len(to_parse)
    if to_parse and check_context(split):
        problems.warning(
            kind="broken_calendar",
            message=_("The calendar around the events does not parse (%(error)s); events read without it.")
            % {"error": split.context_error},
        )
    context = CalendarContext(x_wr_timezone=split.x_wr_timezone, default_timezone=default_timezone)
    incoming, kept_uids, removals_safe = _normalise(split, parse_blocks(split, to_parse), context, problems, progress)
    unreadable = len(to_parse) - len(incoming)
    for message in split.warnings:
        problems.warning(kind="parser_warning", message=message)
    seen.update(item.key for item in incoming)
    if not split.blocks and not known:
        problems.warning(kind="no_events", message=_("The calendar holds no events (VEVENT)."))
    try:
        with transaction.atomic():
            result = upsert_events(organisation=organisation, incoming=incoming, origin=origin, feed=feed)
            if feed is not None and remove and removals_safe:
                run.removed = remove_missing(feed=feed, seen=seen, kept_uids=frozenset(kept_uids))
    except Exception as exc:  # a run that cannot be written changes nothing, is logged, and says why
        logger.exception("import of %s for %s failed while writing", run.url or run.source, organisation)
        run.outcome, run.message = ImportOutcome.FAILED, _("Could not store the events: %(error)s") % {"error": exc}
        return run
    if feed is not None and remove and not removals_safe:
        problems.warning(
            kind="removals_skipped",
            message=_("Some events could not be read and have no UID, so no event was marked removed this time."),
        )
    for problem in result.problems:
        level = "warning" if problem.kind == "stale_version" else "error"
        problems.add(
            level=level,
            kind=problem.kind,
            message=problem.message,
            position=problem.position,
            uid=problem.uid,
            prop=problem.prop,
        )
    for name in ("created", "updated", "unchanged", "cancelled"):
        setattr(run, name, getattr(result, name))
    run.unchanged += len(split.blocks) - len(to_parse)
    run.failed = result.failed + unreadable
    if feed is not None:
        feed.context_hash = split.context_hash
    _store_problems(run, problems)
    run.outcome = ImportOutcome.PARTIAL if run.failed else ImportOutcome.IMPORTED
    return run


def _normalise(
    split: SplitCalendar,
    parsed: list[ParsedBlock],
    context: CalendarContext,
    problems: Problems,
    progress: Progress | None,
) -> tuple[list[IncomingEvent], set[str], bool]:
    """Normalise every parsed block; report each failure, and remember the UIDs of failed
    events so their stored rows are not marked removed. Returns (events, kept UIDs, whether
    removals are safe: false when a failed block had no UID to keep)."""
    incoming: list[IncomingEvent] = []
    kept_uids: set[str] = set()
    removals_safe = True
    total = len(parsed)
    for index, item in enumerate(parsed, start=1):
        position = item.block.position
        uid = item.block.uid_hint(split.body)
        try:
            if item.component is None:
                raise EventProblem(item.error, kind="syntax")
            event = normalise_event(item.component, context=context, position=position, block_hash=item.block.hash)
        except EventProblem as exc:
            problems.error(kind=exc.kind, message=str(exc), position=position, uid=uid, prop=exc.prop)
        except BrokenCalendarProperty as exc:
            prop = _BROKEN_PROPERTY_RE.search(str(exc))
            message = _("A value could not be read: %(error)s") % {"error": exc.__cause__ or exc}
            problems.error(kind="bad_value", message=message, position=position, uid=uid, prop=prop[1] if prop else "")
        except Exception as exc:  # noqa: BLE001 - one unreadable VEVENT must not stop the feed; it is reported
            logger.warning("VEVENT #%s (%s) could not be read: %r", position, uid, exc)
            message = _("Could not read this event: %(error)s") % {"error": exc}
            problems.error(kind="unreadable", message=message, position=position, uid=uid)
        else:
            incoming.append(event)
            for kind, prop, message in event.warnings:
                problems.warning(kind=kind, message=message, position=position, uid=event.uid, prop=prop)
            continue
        finally:
            if progress is not None and (index % 200 == 0 or index == total):
                progress(index, total)
        if uid:
            kept_uids.add(uid)
        else:
            removals_safe = False
    return incoming, kept_uids, removals_safe


def _store_problems(run: ImportRun, problems: Problems) -> None:
    run.problems = problems.capped()
    run.problem_total = len(problems.items)


def _finish(run: ImportRun, clock: float, *, feed: Feed | None) -> ImportRun:
    run.message = printable(run.message, 2000)
    run.finished = timezone.now()
    run.duration_ms = int((time.perf_counter() - clock) * 1000)
    if run.outcome == ImportOutcome.FAILED and run.problem_total == 0 and run.message:
        run.problems, run.problem_total = (
            [{"level": "error", "kind": "fetch", "position": None, "uid": "", "property": "", "message": run.message}],
            1,
        )
    run.save()
    if feed is not None:
        record_outcome(feed=feed, run=run)
    return run
