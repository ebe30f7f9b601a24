"""The repeat widget: plain choices compose the rule on the server (no JavaScript needed), the
composed rule goes through the same validation as a typed one, and a stored rule comes back
as the same choices when the event is edited."""

import datetime as dt
import zoneinfo

import pytest

from community.models import Role
from events.models import Event
from events.repeat_compose import compose_rule, decompose_rule
from tests.factories import MembershipFactory, OrganisationFactory, ProfileFactory, UserFactory

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
TUESDAY = dt.date(2027, 1, 5)  # the first Tuesday of January 2027
LAST_FRIDAY = dt.date(2027, 1, 29)

FORM = {
    "title": "Workshop",
    "kind": "event",
    "timezone": "Europe/Madrid",
    "start_local": "2027-01-05T10:00",
    "end_local": "2027-01-05T11:00",
    "status": "confirmed",
    "attendance_mode": "offline",
    "city": "Valencia",
}


@pytest.mark.parametrize(
    ("choices", "rule"),
    [
        ({"frequency": "daily", "ends": "count", "count": 5}, "FREQ=DAILY;COUNT=5"),
        ({"frequency": "daily", "interval": 3, "ends": "count", "count": 4}, "FREQ=DAILY;INTERVAL=3;COUNT=4"),
        ({"frequency": "weekly", "ends": "count", "count": 10}, "FREQ=WEEKLY;BYDAY=TU;COUNT=10"),
        (
            {"frequency": "weekly", "weekdays": ["TH", "TU"], "ends": "until", "until": dt.date(2027, 6, 30)},
            "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20270630",
        ),
        ({"frequency": "weekly", "interval": 2, "ends": "never"}, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
        ({"frequency": "monthly", "monthly_by": "date", "ends": "count", "count": 12}, "FREQ=MONTHLY;COUNT=12"),
        ({"frequency": "monthly", "monthly_by": "nth", "ends": "count", "count": 8}, "FREQ=MONTHLY;BYDAY=1TU;COUNT=8"),
        (
            {"frequency": "monthly", "monthly_by": "last", "ends": "count", "count": 3},
            "FREQ=MONTHLY;BYDAY=-1TU;COUNT=3",
        ),
        ({"frequency": "yearly", "interval": 2, "ends": "count", "count": 3}, "FREQ=YEARLY;INTERVAL=2;COUNT=3"),
    ],
)
def test_the_widgets_choices_compose_a_rule(choices, rule):
    assert compose_rule(start=TUESDAY, **choices) == rule


def test_the_nth_weekday_comes_from_the_start_date():
    assert compose_rule(frequency="monthly", start=LAST_FRIDAY, monthly_by="nth") == "FREQ=MONTHLY;BYDAY=5FR"
    assert compose_rule(frequency="monthly", start=LAST_FRIDAY, monthly_by="last") == "FREQ=MONTHLY;BYDAY=-1FR"


@pytest.mark.parametrize(
    "rule",
    [
        "",
        "FREQ=DAILY;COUNT=5",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=6",
        "FREQ=MONTHLY;BYDAY=1TU;COUNT=8",
        "FREQ=MONTHLY;BYDAY=-1TU;COUNT=3",
        "FREQ=MONTHLY;COUNT=12",
        "FREQ=YEARLY;COUNT=3",
        "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270630T215959Z",
    ],
)
def test_a_stored_rule_comes_back_as_the_same_choices(rule):
    start = dt.datetime.combine(TUESDAY, dt.time(10), MADRID)
    choices = decompose_rule(rule, start=start)
    assert choices is not None
    if not rule:
        assert choices == {"repeat": "none"}
        return
    again = compose_rule(
        frequency=choices["repeat"],
        start=TUESDAY,
        interval=choices["repeat_interval"],
        weekdays=choices.get("repeat_weekdays", ()),
        monthly_by=choices.get("repeat_monthly", "date"),
        ends=choices["repeat_ends"],
        count=choices.get("repeat_count"),
        until=choices.get("repeat_until"),
    )
    stored = Event(rrule=again, timezone="Europe/Madrid", start=start, all_day=False)
    stored.normalise()
    assert stored.rrule == rule


@pytest.mark.parametrize(
    "rule", ["FREQ=MONTHLY;BYSETPOS=2;BYDAY=TU;COUNT=3", "FREQ=MONTHLY;BYMONTHDAY=9;COUNT=3", "FREQ=DAILY;BYDAY=MO"]
)
def test_a_rule_the_widget_cannot_say_stays_a_custom_rule(rule):
    assert decompose_rule(rule, start=dt.datetime.combine(TUESDAY, dt.time(10), MADRID)) is None


# --- through the forms ------------------------------------------------------------------


def _editor(client):
    organisation = OrganisationFactory()
    profile = ProfileFactory()
    MembershipFactory(organisation=organisation, user=profile.user, role=Role.EDITOR)
    client.force_login(profile.user)
    return organisation


def _moderator(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    ProfileFactory(user=user)
    client.force_login(user)


def _errors_of(response) -> dict[str, list[str]]:
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


WIDGET_AND_RAW = [
    ({"repeat": "weekly", "repeat_weekdays": ["TU", "TH"], "repeat_ends": "count", "repeat_count": "6"},
     "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=6"),
    ({"repeat": "monthly", "repeat_monthly": "nth", "repeat_ends": "count", "repeat_count": "8"},
     "FREQ=MONTHLY;BYDAY=1TU;COUNT=8"),
    ({"repeat": "daily", "repeat_interval": "2", "repeat_ends": "until", "repeat_until": "2027-02-28"},
     "FREQ=DAILY;INTERVAL=2;UNTIL=20270228"),
    ({"repeat": "yearly", "repeat_ends": "count", "repeat_count": "3"}, "FREQ=YEARLY;COUNT=3"),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("widget", "raw"), WIDGET_AND_RAW)
@pytest.mark.parametrize("path", ["/events/new/", "/admin/snippets/events/event/add/"])
def test_the_widget_stores_the_same_rule_as_the_raw_field(client, widget, raw, path):
    organisation = _editor(client)
    if path.startswith("/admin/"):
        _moderator(client)
    first = client.post(path, {**FORM, "organiser": organisation.pk, **widget, "rrule": "FREQ=SOMETIMES"})
    assert first.status_code == 302, _errors_of(first)
    second = client.post(path, {**FORM, "organiser": organisation.pk, "repeat": "custom", "rrule": raw})
    assert second.status_code == 302, _errors_of(second)
    by_widget, by_raw = Event.objects.order_by("pk")
    assert by_widget.rrule == by_raw.rrule
    assert by_widget.series_end == by_raw.series_end


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("widget", "raw"),
    [
        # 5 January 2027 is a Tuesday: a weekly rule on Mondays would not include the start.
        ({"repeat": "weekly", "repeat_weekdays": ["MO"], "repeat_ends": "count", "repeat_count": "4"},
         "FREQ=WEEKLY;BYDAY=MO;COUNT=4"),
        ({"repeat": "weekly", "repeat_ends": "never"}, "FREQ=WEEKLY;BYDAY=TU"),
        ({"repeat": "daily", "repeat_ends": "count", "repeat_count": "501"}, "FREQ=DAILY;COUNT=501"),
    ],
)  # fmt: skip
def test_the_widget_and_the_raw_field_refuse_with_the_same_message(client, widget, raw):
    organisation = _editor(client)
    by_widget = client.post("/events/new/", {**FORM, "organiser": organisation.pk, **widget})
    by_raw = client.post("/events/new/", {**FORM, "organiser": organisation.pk, "repeat": "custom", "rrule": raw})
    assert by_widget.status_code == by_raw.status_code == 400
    assert _errors_of(by_widget)["repeat"] == _errors_of(by_raw)["rrule"]
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_ending_after_a_number_of_times_needs_the_number(client):
    organisation = _editor(client)
    response = client.post(
        "/events/new/", {**FORM, "organiser": organisation.pk, "repeat": "daily", "repeat_ends": "count"}
    )
    assert response.status_code == 400
    assert list(_errors_of(response)) == ["repeat_count"]


@pytest.mark.django_db
def test_does_not_repeat_clears_a_rule_left_in_the_raw_field(client):
    organisation = _editor(client)
    data = {**FORM, "organiser": organisation.pk, "repeat": "none", "rrule": "FREQ=DAILY;COUNT=3"}
    assert client.post("/events/new/", data).status_code == 302
    assert Event.objects.get().rrule == ""


@pytest.mark.django_db
def test_the_edit_form_shows_the_stored_rule_as_choices(client):
    organisation = _editor(client)
    client.post(
        "/events/new/",
        {**FORM, "organiser": organisation.pk, "repeat": "monthly", "repeat_monthly": "nth",
         "repeat_ends": "count", "repeat_count": "8"},
    )  # fmt: skip
    event = Event.objects.get()
    form = client.get(f"/events/{event.pk}/edit/").context["form"]
    assert {name: form.initial.get(name) for name in ("repeat", "repeat_monthly", "repeat_ends", "repeat_count")} == {
        "repeat": "monthly",
        "repeat_monthly": "nth",
        "repeat_ends": "count",
        "repeat_count": 8,
    }


@pytest.mark.django_db
def test_the_start_and_end_are_not_labelled_optional(client):
    _editor(client)
    html = client.get("/events/new/").content.decode()
    labels = {
        name: html.split(f'for="id_{name}">', 1)[1].split("</label>", 1)[0]
        for name in ("start_local", "end_local", "start_date", "end_date")
    }
    assert ["(optional)" in labels[name] for name in labels] == [False, False, False, True]
