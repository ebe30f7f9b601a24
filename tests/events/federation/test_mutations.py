"""Property: no mutation of a calendar makes the parser or the importer raise.

Mutations are what broken feeds look like: lines dropped, duplicated or swapped, values
replaced by junk, the body cut short, random bytes spliced in.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.federation.imports import import_calendar
from events.models import ImportOutcome, ImportSource
from tests.events.federation.factories_federation import calendar, vevent
from tests.factories import OrganisationFactory

BASE = calendar(
    vevent("a@x", extra="RRULE:FREQ=WEEKLY;COUNT=3\nEXDATE;TZID=Europe/Madrid:20270317T100000\nSEQUENCE:2"),
    vevent(
        "a@x", start="20270318T100000", end="20270318T110000", extra="RECURRENCE-ID;TZID=Europe/Madrid:20270317T100000"
    ),
    vevent("b@x", tzid="W. Europe Standard Time", extra="DESCRIPTION:Line one\\nLine <b>two</b>\nURL:https://x.org"),
    "BEGIN:VEVENT\r\nUID:c@x\r\nDTSTART;VALUE=DATE:20270401\r\nDURATION:P2D\r\nSUMMARY:All day\r\nEND:VEVENT",
    head="X-WR-TIMEZONE:Europe/Ljubljana",
).split(b"\r\n")

JUNK = st.binary(max_size=40) | st.sampled_from(
    [b"", b":", b";", b"BEGIN:VEVENT", b"END:VEVENT", b"END:VCALENDAR", b"DTSTART:99999999T999999", b"RRULE:FREQ=",
     b"DTSTART;TZID=Nowhere/Else:20270101T000000", b" folded", b"\xff\xfe", b"RECURRENCE-ID:2027", b"UID:",
     b"DTEND;VALUE=DATE:20260101", b"SEQUENCE:-4", b"GEO:x;y", b"STATUS:CANCELLED"]
)  # fmt: skip


@st.composite
def mutated(draw) -> bytes:
    lines = list(BASE)
    for _ in range(draw(st.integers(1, 6))):
        index = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["drop", "duplicate", "swap", "junk", "value", "truncate"]))
        if kind == "drop" and len(lines) > 1:
            lines.pop(index)
        elif kind == "duplicate":
            lines.insert(index, lines[index])
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif kind == "junk":
            lines.insert(index, draw(JUNK))
        elif kind == "value" and b":" in lines[index]:
            lines[index] = lines[index].split(b":", 1)[0] + b":" + draw(JUNK)
        elif kind == "truncate":
            body = b"\r\n".join(lines)
            lines = body[: draw(st.integers(0, len(body)))].split(b"\r\n")
    return b"\r\n".join(lines)


@pytest.mark.django_db
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(body=mutated())
def test_mutated_calendars_never_crash_the_import(body):
    run = import_calendar(organisation=OrganisationFactory(), body=body, source=ImportSource.UPLOAD)
    assert run.outcome in ImportOutcome.values
    assert run.pk is not None
    if run.outcome == ImportOutcome.FAILED:
        assert run.message
