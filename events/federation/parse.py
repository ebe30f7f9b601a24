"""Split a calendar into VEVENT blocks, hash each block, and parse only the blocks asked for.

Parsing is the costly step of an import (icalendar reads about 2,500 events a second), so
the body is cut into its raw VEVENT blocks first, each block hashed, and only blocks whose
hash the feed has not seen before go through icalendar. What lies outside the blocks (the
VCALENDAR header, VTIMEZONEs, X-WR-TIMEZONE) is the *context*: it is hashed too, and a
changed context means every block is parsed again, since the same block can mean other
times in another context.

Each block to parse is first offered to ``events.federation.vevent_reader``, which reads a
plain VEVENT into icalendar's own component at a fraction of icalendar's cost (it skips the
properties the import never reads). The blocks it declines are put back into the context
where they stood and parsed in one ``Calendar.from_ical`` call; if icalendar refuses that,
each block is parsed on its own with the context, so one broken VEVENT costs only itself.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar.cal.component import Component

from events.federation.vevent_reader import read_vevent

_BLOCK_RE = re.compile(rb"^BEGIN:VEVENT[ \t]*\n.*?^END:VEVENT[ \t]*(?:\n|\Z)", re.IGNORECASE | re.MULTILINE | re.DOTALL)
_DTSTAMP_RE = re.compile(rb"^DTSTAMP[;:][^\n]*\n", re.IGNORECASE | re.MULTILINE)
_UID_RE = re.compile(rb"^UID[;:]?(?:[^:\n]*:)?([^\n]*(?:\n[ \t][^\n]*)*)", re.IGNORECASE | re.MULTILINE)
_X_WR_TIMEZONE_RE = re.compile(rb"^X-WR-TIMEZONE[;:](?:[^:\n]*:)?([^\n]*)", re.IGNORECASE | re.MULTILINE)
_CALENDAR_RE = re.compile(rb"^BEGIN:(VCALENDAR|VEVENT)\b", re.IGNORECASE | re.MULTILINE)
_END_CALENDAR = b"END:VCALENDAR\n"
_BEGIN_END_RE = re.compile(rb"^(?:BEGIN|END)\b[^\n]*\n?", re.IGNORECASE | re.MULTILINE)
_PLAIN_BEGIN_END_RE = re.compile(rb"(BEGIN|END):([A-Za-z0-9-]+)\n?", re.IGNORECASE)


class CalendarError(Exception):
    """The body is not a calendar at all; nothing can be imported from it."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Block:
    position: int  # 1-based place of the VEVENT in the file, for reports
    start: int  # byte offsets in the normalised body
    end: int
    hash: str

    def uid_hint(self, body: bytes) -> str:
        """The UID as written, without parsing: for reports and to keep a broken event from removal."""
        match = _UID_RE.search(body, self.start, self.end)
        if not match:
            return ""
        return re.sub(rb"\n[ \t]", b"", match.group(1)).decode("utf-8", "replace").strip()[:255]


@dataclass
class SplitCalendar:
    body: bytes  # BOM stripped, line ends normalised to \n
    blocks: list[Block]
    context_hash: str
    x_wr_timezone: str = ""
    context_error: str = ""  # set by check_context when what lies outside the events does not parse
    context_checked: bool = False  # check_context ran: the calendar's VTIMEZONEs are known to icalendar
    blocks_stand_alone: bool = False  # set by check_context: each block is one VEVENT of a closed VCALENDAR
    warnings: list[str] = field(default_factory=list)  # what icalendar warned about while parsing

    def context(self, keep: list[Block] | None = None) -> bytes:
        """The body with every block cut out except those in ``keep``, which stay where they stood."""
        kept = {block.start for block in keep or []}
        pieces, pos = [], 0
        for block in self.blocks:
            pieces.append(self.body[pos : block.start])
            if block.start in kept:
                pieces.append(self.body[block.start : block.end])
            pos = block.end
        pieces.append(self.body[pos:])
        return b"".join(pieces)


@dataclass
class ParsedBlock:
    block: Block
    component: Component | None  # the VEVENT, or None when it could not be parsed
    error: str = ""
    warnings: list[str] = field(default_factory=list)


def normalise_line_endings(body: bytes) -> bytes:
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    if b"\r" in body:
        body = body.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if not body.endswith(b"\n"):
        body += b"\n"
    return body


def block_hash(raw: bytes) -> str:
    """DTSTAMP is left out: many servers stamp every block with the time of the request."""
    return hashlib.blake2b(_DTSTAMP_RE.sub(b"", raw), digest_size=16).hexdigest()


def split_calendar(body: bytes) -> SplitCalendar:
    """Cut ``body`` into VEVENT blocks; raise CalendarError when it is not a calendar at all."""
    body = normalise_line_endings(body)
    head = body[:512].lstrip().lower()
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<")):
        raise CalendarError(
            _(
                "The address answered with a web page, not a calendar. Paste the calendar's iCal/ICS address "
                "(in Google Calendar: Settings → the calendar → “Public address in iCal format”)."
            ),
            code="html",
        )
    if not body.strip():
        raise CalendarError(_("The calendar is empty (no bytes)."), code="empty")
    if not _CALENDAR_RE.search(body):
        raise CalendarError(_("This is not an iCalendar file: there is no BEGIN:VCALENDAR."), code="not_calendar")
    blocks = [
        Block(position, match.start(), match.end(), block_hash(match.group(0)))
        for position, match in enumerate(_BLOCK_RE.finditer(body), start=1)
    ]
    split = SplitCalendar(body=body, blocks=blocks, context_hash="")
    context = split.context()
    split.context_hash = hashlib.blake2b(context, digest_size=16).hexdigest()
    match = _X_WR_TIMEZONE_RE.search(context)
    if match:
        split.x_wr_timezone = match.group(1).decode("utf-8", "replace").strip()
    return split


def _calendar_bytes(split: SplitCalendar, keep: list[Block]) -> bytes:
    if split.context_error:
        # The header or a VTIMEZONE is broken: parse the events alone (their TZIDs then resolve by name).
        return b"BEGIN:VCALENDAR\nVERSION:2.0\n" + b"".join(split.body[b.start : b.end] for b in keep) + _END_CALENDAR
    data = split.context(keep)
    if not re.search(rb"^BEGIN:VCALENDAR", data, re.IGNORECASE | re.MULTILINE):
        data = b"BEGIN:VCALENDAR\nVERSION:2.0\n" + data + _END_CALENDAR  # bare VEVENTs (no wrapper)
    return data


@contextmanager
def _warnings_kept(split: SplitCalendar) -> Iterator[None]:
    """icalendar's warnings (a guessed TZID, …) while parsing, kept for the report."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        message = " ".join(str(warning.message).split())[:300]
        if message not in split.warnings:
            split.warnings.append(message)


def _from_ical(split: SplitCalendar, data: bytes) -> list[Calendar]:
    with _warnings_kept(split):
        return Calendar.from_ical(data, multiple=True)


def _vevents(split: SplitCalendar, data: bytes) -> list[Component]:
    return [event for calendar in _from_ical(split, data) for event in calendar.walk("VEVENT")]


def parse_blocks(split: SplitCalendar, blocks: list[Block]) -> list[ParsedBlock]:
    """Parse ``blocks`` with their context; every block comes back, in order, parsed or with the reason it was not.

    Plain blocks are read by ``read_vevent``; the rest by icalendar. When the calendar around
    the events is broken, icalendar reads them all (it then parses them without it).
    """
    if not blocks:
        return []
    if not split.context_checked:
        check_context(split)
    if not split.blocks_stand_alone:
        return parse_blocks_with_icalendar(split, blocks)
    read: dict[int, Component] = {}
    with _warnings_kept(split):
        for block in blocks:
            component = read_vevent(split.body[block.start : block.end])
            if component is not None:
                read[block.start] = component
    if not read:
        return parse_blocks_with_icalendar(split, blocks)
    parsed = {
        item.block.start: item
        for item in parse_blocks_with_icalendar(split, [block for block in blocks if block.start not in read])
    }
    return [ParsedBlock(block, read[block.start]) if block.start in read else parsed[block.start] for block in blocks]


def parse_blocks_with_icalendar(split: SplitCalendar, blocks: list[Block]) -> list[ParsedBlock]:
    """``parse_blocks`` through icalendar alone (also the oracle the quick reader is tested against)."""
    if not blocks:
        return []
    try:
        events = _vevents(split, _calendar_bytes(split, blocks))
    except Exception as exc:  # noqa: BLE001 - icalendar raises many kinds on hostile input; each is a report line
        if len(blocks) == 1:
            return [ParsedBlock(blocks[0], None, _("iCalendar syntax error: %(error)s") % {"error": _short(exc)})]
        events = None
    if events is not None and len(events) == len(blocks):
        return [ParsedBlock(block, event) for block, event in zip(blocks, events, strict=True)]
    if len(blocks) == 1:
        return [ParsedBlock(blocks[0], None, _("The VEVENT could not be read as one event."))]
    # The whole set did not parse, or nesting made the count differ: one block at a time.
    return [result for block in blocks for result in parse_blocks_with_icalendar(split, [block])]


def check_context(split: SplitCalendar) -> str:
    """Why the calendar outside its events does not parse ("" when it does).

    A broken VTIMEZONE or header is reported once for the file, and the events are then
    parsed without it rather than all failing for the same reason.
    """
    split.context_checked = True
    try:
        _from_ical(split, _calendar_bytes(split, []))
    except Exception as exc:  # noqa: BLE001 - as in parse_blocks
        split.context_error = _short(exc)
    else:
        split.blocks_stand_alone = _blocks_stand_alone(split)
    return split.context_error


def _blocks_stand_alone(split: SplitCalendar) -> bool:
    """Whether icalendar sees each block as one VEVENT of a VCALENDAR that is closed.

    Only then can a block be read on its own (``vevent_reader``) with icalendar's meaning:
    in a body cut short (no END:VCALENDAR) icalendar returns no events at all, and a block
    inside another component is not a top-level VEVENT. The BEGIN/END lines around the blocks
    are walked as icalendar's parser walks them; any that is not plain says no.
    """
    if not re.search(rb"^BEGIN:VCALENDAR", split.context(), re.IGNORECASE | re.MULTILINE):
        # Bare VEVENTs: they are wrapped in a calendar of their own, if nothing else opens or closes.
        return not _BEGIN_END_RE.search(split.context())
    stack: list[bytes] = []
    starts = iter(block.start for block in split.blocks)
    block_start = next(starts, None)
    ends = {block.start: block.end for block in split.blocks}
    pos, body = 0, split.body
    while True:
        match = _BEGIN_END_RE.search(body, pos)
        while block_start is not None and (match is None or block_start <= match.start()):
            if stack != [b"VCALENDAR"]:
                return False
            pos = ends[block_start]
            block_start = next(starts, None)
            match = _BEGIN_END_RE.search(body, pos)
        if match is None:
            return not stack
        plain = _PLAIN_BEGIN_END_RE.fullmatch(match.group(0))
        if plain is None or body[match.end() : match.end() + 1] in (b" ", b"\t"):
            return False
        kind, name = plain.group(1).upper(), plain.group(2).upper()
        if kind == b"BEGIN":
            if not stack and name != b"VCALENDAR":
                return False  # a component outside any calendar: icalendar returns it beside the calendars
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False  # icalendar closes whatever is open, whatever END names
        pos = match.end()


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:300] or exc.__class__.__name__
