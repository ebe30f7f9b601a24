"""Bad input, generated: whatever a person types into the event form or a URL, the answer is
a page or a clear refusal naming the field, never a 5xx. Hypothesis looks for the counter-example."""

import datetime as dt
from urllib.parse import urlencode

from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from community.models import Role
from events.models import Event
from tests.factories import EventFactory, MembershipFactory, OrganisationFactory, ProfileFactory

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)

text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from("\x00\x0b\x0c\x1b\u2028<>&\"'"),
    max_size=300,
)
likely = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2032, 12, 31))
local_datetime = st.one_of(
    likely,
    likely,
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(2027, 3, 28, 1), max_value=dt.datetime(2027, 3, 28, 4)),  # a DST gap
    st.datetimes(min_value=dt.datetime(2027, 10, 31, 1), max_value=dt.datetime(2027, 10, 31, 4)),  # an overlap
)
rule_part = st.sampled_from(
    ["FREQ=DAILY", "FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=YEARLY", "FREQ=SOMETIMES", "COUNT=3", "COUNT=0",
     "COUNT=999999999999", "UNTIL=20271231", "UNTIL=99991231T000000Z", "UNTIL=2027", "BYDAY=1TU", "BYDAY=XX",
     "BYMONTHDAY=31", "BYMONTH=13", "INTERVAL=2", "weekly", "=", ";", "RRULE:", "BYSETPOS=-1"]
)  # fmt: skip
rrule = st.one_of(st.just(""), st.just(""), st.lists(rule_part, max_size=4).map(";".join), text)
number = st.one_of(st.just(""), st.just(""), st.floats(allow_nan=True, allow_infinity=True).map(str), text)


def _fmt(value: dt.datetime) -> str:
    return f"{value.year:04}-{value.month:02}-{value.day:02}T{value.hour:02}:{value.minute:02}"


class EventFormFuzzTest(TestCase):
    def setUp(self):
        self.organisation = OrganisationFactory()
        profile = ProfileFactory()
        MembershipFactory(organisation=self.organisation, user=profile.user, role=Role.EDITOR)
        self.client = Client(raise_request_exception=False)
        self.client.force_login(profile.user)

    @FUZZ
    @given(
        title=text,
        description=text,
        start=local_datetime,
        length=st.one_of(st.integers(min_value=1, max_value=600), st.integers(min_value=-10_000, max_value=10_000_000)),
        timezone=st.sampled_from(["Europe/Madrid", "Europe/Ljubljana", "UTC", "Pacific/Kiritimati", "Mars/Base"]),
        all_day=st.booleans(),
        rule=rrule,
        latitude=number,
        longitude=number,
        kind=st.sampled_from(["event", "event", "conference", "session", "party"]),
    )
    def test_the_event_form_stores_or_refuses_and_whatever_it_stores_every_view_shows(
        self, title, description, start, length, timezone, all_day, rule, latitude, longitude, kind
    ):
        try:
            end = start + dt.timedelta(minutes=length)
        except OverflowError:
            end = start
        data = {
            "organiser": self.organisation.pk,
            "title": title,
            "description": description,
            "kind": kind,
            "timezone": timezone,
            "start_local": _fmt(start),
            "end_local": _fmt(end),
            "start_date": _fmt(start)[:10],
            "end_date": _fmt(end)[:10],
            "rrule": rule,
            "status": "confirmed",
            "attendance_mode": "offline",
            "latitude": latitude,
            "longitude": longitude,
        }
        if all_day:
            data["all_day"] = "on"
        response = self.client.post("/events/new/", data)
        assert response.status_code in (302, 400), response.status_code
        event("stored" if response.status_code == 302 else "refused")
        if response.status_code == 400:
            form = response.context["form"]
            assert form.errors
            assert set(form.errors) <= {*form.fields, "__all__"}
            assert not Event.objects.exists()
            return
        stored = Event.objects.get()
        assert "\x0b" not in stored.title
        assert "<script" not in stored.description.lower()
        for url in (
            f"/events/{stored.pk}/",
            f"/events/{stored.pk}.ics",
            f"/api/v1/events/{stored.pk}/",
            "/events/calendar.ics",
            "/events/",
            "/api/v1/events/",
            f"/organisations/{self.organisation.slug}/",
        ):
            response = self.client.get(url)
            assert response.status_code == 200, url
            response.getvalue()  # a streamed feed is written only as it is read
        stored.delete()


query_value = st.one_of(
    text,
    st.sampled_from(["9999-12", "0001-01", "2027-02", "", "online", "in_person", "x" * 5000, "%", "1e400", "-1"]),
)
query = st.dictionaries(
    st.sampled_from(
        [
            "organiser",
            "theme",
            "sector",
            "country",
            "language",
            "mode",
            "q",
            "start",
            "end",
            "view",
            "month",
            "archive",
            "page",
            "page_size",
            "cursor",
            "unknown",
        ]
    ),
    query_value,
    max_size=4,
)


class QueryStringFuzzTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        EventFactory()

    def setUp(self):
        self.client = Client(raise_request_exception=False)

    @FUZZ
    @given(params=query, path=st.sampled_from(["/events/", "/events/calendar.ics", "/members/", "/api/v1/events/",
                                              "/api/v1/conferences/", "/api/v1/organisations/"]))  # fmt: skip
    def test_no_query_string_makes_a_page_feed_or_api_answer_5xx(self, params, path):
        response = self.client.get(f"{path}?{urlencode(params)}")
        assert response.status_code < 500, (path, params, response.status_code)
        response.getvalue()  # a streamed feed is written only as it is read: errors show here
