"""Repeat rules read as words, in the page's language."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import translation

from events.recurrence_text import describe_rule

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
START = dt.datetime(2027, 1, 5, 10, tzinfo=MADRID)  # a Tuesday


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=MONTHLY;BYDAY=1TU;COUNT=8", "Every month on the first Tuesday, 8 times"),
        ("FREQ=WEEKLY;BYDAY=MO,WE", "Every week on Monday and Wednesday"),
        ("FREQ=WEEKLY;INTERVAL=2;COUNT=3", "Every 2 weeks on Tuesday, 3 times"),
        ("FREQ=DAILY;COUNT=1", "Every day, 1 time"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "Every month on the last Friday"),
        ("FREQ=MONTHLY;UNTIL=20271231", "Every month on day 5, until 31 December 2027"),
        ("FREQ=YEARLY", "Every year on 5 January"),
        ("FREQ=MONTHLY;BYSETPOS=2;BYDAY=TU", "Repeats"),
        ("nonsense", "Repeats"),
    ],
)
def test_a_rule_reads_as_words(rule, words):
    with translation.override("en"):
        assert describe_rule(rule, start=START) == words


def test_a_rule_reads_in_the_pages_language():
    with translation.override("es"):
        text = describe_rule("FREQ=WEEKLY;BYDAY=MO,WE", start=START)
    assert "lunes" in text
    assert "miércoles" in text
