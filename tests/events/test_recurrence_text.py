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


# What a person reads, in each of the site's languages (a table of rules by languages).
RULES_IN_WORDS = {
    "FREQ=MONTHLY;BYDAY=1TU;COUNT=8": {
        "en": "Every month on the first Tuesday, 8 times",
        "es": "Cada mes, el primer martes, 8 veces",
        "sl": "Vsak mesec, 1. torek, 8-krat",
    },
    "FREQ=WEEKLY;BYDAY=MO,WE": {
        "en": "Every week on Monday and Wednesday",
        "es": "Cada semana: lunes y miércoles",
        "sl": "Vsak teden: ponedeljek in sreda",
    },
    "FREQ=WEEKLY;INTERVAL=2;COUNT=3": {
        "en": "Every 2 weeks on Tuesday, 3 times",
        "es": "Cada 2 semanas: martes, 3 veces",
        "sl": "Vsak 2. teden: torek, 3-krat",
    },
    "FREQ=DAILY;COUNT=1": {"en": "Every day, 1 time", "es": "Cada día, 1 vez", "sl": "Vsak dan, 1-krat"},
    "FREQ=MONTHLY;BYDAY=-1FR": {
        "en": "Every month on the last Friday",
        "es": "Cada mes, el último viernes",
        "sl": "Vsak mesec, zadnji petek",
    },
    "FREQ=MONTHLY;UNTIL=20271231": {
        "en": "Every month on day 5, until 31 December 2027",
        "es": "Cada mes, el día 5, hasta el 31 de diciembre de 2027",
        "sl": "Vsak mesec, 5. dan, do 31. december 2027",
    },
    "FREQ=YEARLY": {"en": "Every year on 5 January", "es": "Cada año, el 5 de enero", "sl": "Vsako leto, 5. januar"},
    "FREQ=DAILY;INTERVAL=3;COUNT=5": {
        "en": "Every 3 days, 5 times",
        "es": "Cada 3 días, 5 veces",
        "sl": "Vsak 3. dan, 5-krat",
    },
}


@pytest.mark.parametrize("lang", ["en", "es", "sl"])
@pytest.mark.parametrize("rule", list(RULES_IN_WORDS))
def test_a_rule_reads_as_words_in_every_language(rule, lang):
    with translation.override(lang):
        assert describe_rule(rule, start=START) == RULES_IN_WORDS[rule][lang]
