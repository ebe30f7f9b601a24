"""The quick VEVENT reader gives the import exactly what icalendar gives it, or declines.

icalendar is the oracle: for every block of every real-world corpus file, and of mutated
calendars, a block the reader accepts must normalise to the same event (or the same refusal)
as icalendar's parse of that block in its calendar, and carry the same properties.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from events.federation.normalise import CalendarContext, EventProblem, normalise_event
from events.federation.parse import (
    CalendarError,
    SplitCalendar,
    check_context,
    parse_blocks,
    parse_blocks_with_icalendar,
    split_calendar,
)
from events.federation.vevent_reader import READ, read_vevent
from tests.events.federation.factories_federation import calendar, vevent
from tests.events.federation.test_mutations import mutated

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "ics"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus/ics")


def _outcome(component, split: SplitCalendar):
    """What the import makes of a component: the normalised event, or the refusal."""
    context = CalendarContext(x_wr_timezone=split.x_wr_timezone, default_timezone="Europe/Madrid")
    try:
        return normalise_event(component, context=context, position=1, block_hash="h")
    except EventProblem as exc:
        return ("problem", str(exc), exc.kind, exc.prop)
    except Exception as exc:  # noqa: BLE001 - the same unexpected failure counts as the same outcome
        return ("error", type(exc).__name__, str(exc))


def _properties(component) -> dict[str, list[tuple[bytes, dict]]]:
    found = {}
    for name in READ:
        value = dict.get(component, name)
        if value is not None:
            values = value if isinstance(value, list) else [value]
            found[name] = [(item.to_ical(), dict(item.params)) for item in values]
    return found


def _compare(body: bytes) -> tuple[int, int]:
    """Check every block the reader accepts against icalendar; return (blocks, blocks read)."""
    try:
        split = split_calendar(body)
    except CalendarError:
        return 0, 0
    if check_context(split) or not split.blocks_stand_alone:
        return len(split.blocks), 0  # parse_blocks leaves such calendars to icalendar alone
    read = 0
    for block in split.blocks:
        quick = read_vevent(split.body[block.start : block.end])
        if quick is None:
            continue
        read += 1
        (oracle,) = parse_blocks_with_icalendar(split, [block])
        assert oracle.component is not None, (block.position, oracle.error)
        assert _properties(quick) == _properties(oracle.component), block.position
        assert list(quick) == [name for name in oracle.component if name in READ], block.position
        assert _outcome(quick, split) == _outcome(oracle.component, split), block.position
    return len(split.blocks), read


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the checkout")
def test_reader_matches_icalendar_on_every_corpus_block():
    blocks = read = 0
    for path in sorted(CORPUS.glob("*.ics")):
        total, accepted = _compare(path.read_bytes())
        blocks, read = blocks + total, read + accepted
    # The reader must carry the load, not decline its way through the test.
    assert blocks > 1000
    assert read / blocks > 0.8, (read, blocks)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=mutated())
def test_reader_matches_icalendar_on_mutated_calendars(body):
    _compare(body)
    # And the whole of parse_blocks (reader, structure check, icalendar for the rest) against icalendar alone.
    try:
        quick, oracle = split_calendar(body), split_calendar(body)
    except CalendarError:
        return
    check_context(oracle)
    assert [_parsed_outcome(item, quick) for item in parse_blocks(quick, quick.blocks)] == [
        _parsed_outcome(item, oracle) for item in parse_blocks_with_icalendar(oracle, oracle.blocks)
    ]


def _parsed_outcome(item, split: SplitCalendar):
    if item.component is None:
        return (item.block.position, item.error)
    return (item.block.position, _properties(item.component), _outcome(item.component, split))


def test_reader_reads_a_plain_event_and_skips_what_the_import_ignores():
    raw = vevent("a@x", extra='ATTENDEE;CN="Doe: J":mailto:j@x.org\nDESCRIPTION:One\\, two\\nthree').encode()
    component = read_vevent(raw.replace(b"\r\n", b"\n") + b"\n")
    assert component is not None
    assert sorted(component) == ["DESCRIPTION", "DTEND", "DTSTART", "SUMMARY", "UID"]
    assert (str(component["DESCRIPTION"]), str(component["DTSTART"].params["TZID"])) == (
        "One, two\nthree",
        "Europe/Madrid",
    )


@pytest.mark.parametrize(
    "extra",
    [
        "BEGIN:VALARM\nACTION:DISPLAY\nTRIGGER:-PT15M\nEND:VALARM",  # a nested component
        "DTSTART;TZID=Europe/Madrid:not a date",  # a value icalendar keeps as broken and reports
        "X-NO-COLON-HERE",  # a line icalendar skips with an error
        "DUE;TZID=Europe/Madrid:20270310T100000",
        "SUMMARY\\x:odd name",
    ],
)
def test_reader_declines_what_it_cannot_read_with_certainty(extra):
    raw = vevent("a@x", extra=extra).encode().replace(b"\r\n", b"\n") + b"\n"
    assert read_vevent(raw) is None


def test_parse_blocks_keeps_block_order_when_some_blocks_go_to_icalendar():
    body = calendar(
        vevent("a@x"),
        vevent("b@x", extra="BEGIN:VALARM\nACTION:DISPLAY\nTRIGGER:-PT15M\nEND:VALARM"),
        vevent("c@x"),
    )
    split = split_calendar(body)
    parsed = parse_blocks(split, split.blocks)
    assert [str(item.component["UID"]) for item in parsed] == ["a@x", "b@x", "c@x"]
    assert [item.block.position for item in parsed] == [1, 2, 3]


@pytest.mark.parametrize(
    "body",
    [
        calendar(vevent("a@x"), vevent("b@x")).replace(b"END:VCALENDAR\r\n", b""),  # cut short: icalendar finds none
        calendar(vevent("a@x"), "END:VEVENT", "BEGIN:VEVENT\r\nUID:c@x\r\nDTSTART:20270101T100000Z"),  # stray END
        calendar(vevent("a@x"), "BEGIN:VTODO", vevent("b@x"), "END:VTODO"),  # a VEVENT inside another component
    ],
)
def test_parse_blocks_leaves_calendars_of_odd_shape_to_icalendar(body):
    split, oracle = split_calendar(body), split_calendar(body)
    check_context(split)
    check_context(oracle)
    assert not split.blocks_stand_alone
    assert [_parsed_outcome(item, split) for item in parse_blocks(split, split.blocks)] == [
        _parsed_outcome(item, oracle) for item in parse_blocks_with_icalendar(oracle, oracle.blocks)
    ]


def test_a_plain_calendar_is_read_block_by_block():
    split = split_calendar(calendar(vevent("a@x"), vevent("b@x"), head="X-WR-TIMEZONE:Europe/Madrid"))
    check_context(split)
    assert split.blocks_stand_alone
