"""Follow buttons on organisation and theme pages: Follow, a distinct Following state, and
"Log in to follow" for visitors; and the member's "My calendar" page."""

import pytest
from bs4 import BeautifulSoup

from events.models import OrganisationFollow, ThemeFollow
from tests.factories import EventFactory, OrganisationFactory, ProfileFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _follow_form(html: bytes):
    return BeautifulSoup(html, "html.parser").find(class_="follow")


def _pages(organisation, theme):
    return {"organisation": f"/organisations/{organisation.slug}/", "theme": f"/events/?theme={theme.slug}"}


@pytest.mark.parametrize("kind", ["organisation", "theme"])
def test_a_visitor_is_asked_to_log_in_to_follow_and_comes_back(client, kind):
    organisation, theme = OrganisationFactory(), ThemeFactory()
    page = _pages(organisation, theme)[kind]
    follow = _follow_form(client.get(page).content)
    link = follow.find("a")
    assert link.get_text(strip=True) == "Log in to follow"
    assert link["href"].startswith("/accounts/login/?next=/")


@pytest.mark.parametrize("kind", ["organisation", "theme"])
def test_following_shows_a_distinct_state_and_unfollows_again(client, kind):
    organisation, theme = OrganisationFactory(), ThemeFactory()
    target = {"organisation": organisation, "theme": theme}[kind]
    page = _pages(organisation, theme)[kind]
    profile = ProfileFactory()
    client.force_login(profile.user)

    form = _follow_form(client.get(page).content)
    assert form.find("button")["aria-pressed"] == "false"
    response = client.post(form["action"], {"action": "follow", "next": page})
    assert response.status_code == 302
    assert response["Location"] == page

    form = _follow_form(client.get(page).content)
    button = form.find("button")
    assert (button.get_text(strip=True), button["aria-pressed"], "button--following" in button["class"]) == (
        "✓Following",
        "true",
        True,
    )
    follows = {"organisation": OrganisationFollow, "theme": ThemeFollow}[kind]
    field = {"organisation": "organisation", "theme": "theme"}[kind]
    assert follows.objects.filter(user=profile.user, **{field: target}).count() == 1

    client.post(form["action"], {"action": form.find("input", attrs={"name": "action"})["value"], "next": page})
    assert follows.objects.count() == 0
    assert _follow_form(client.get(page).content).find("button")["aria-pressed"] == "false"


def test_organisations_are_in_the_main_menu(client):
    nav = BeautifulSoup(client.get("/events/").content, "html.parser").find("nav", class_="site-nav")
    assert [a["href"] for a in nav.find_all("a")] == [
        "/stories/",
        "/discussions/",
        "/events/",
        "/members/",
        "/organisations/",
    ]


def test_my_calendar_gives_both_addresses_instructions_and_the_rotate_action(client):
    profile = ProfileFactory()
    client.force_login(profile.user)
    soup = BeautifulSoup(client.get("/members/me/calendar/").content, "html.parser")
    token = profile.calendar_token
    assert soup.find("input", id="cal-webcal")["value"] == f"webcal://testserver/calendar/{token}.ics"
    assert soup.find("input", id="cal-https")["value"] == f"http://testserver/calendar/{token}.ics"
    assert [b["data-copy"] for b in soup.find_all("button", attrs={"data-copy": True})] == ["cal-webcal", "cal-https"]
    assert [dt.get_text() for dt in soup.select(".calendar-howto dt")] == [
        "Google Calendar",
        "Outlook",
        "Apple Calendar",
    ]
    assert soup.find("form", action="/members/me/calendar-token/").find(class_="warning") is not None
    account_nav = soup.find("nav", class_="account-nav")
    assert account_nav.find("a", href="/members/me/calendar/").get_text(strip=True) == "My calendar"


def test_rotating_the_address_returns_to_my_calendar_with_the_new_one(client):
    profile = ProfileFactory()
    old = profile.calendar_token
    client.force_login(profile.user)
    response = client.post("/members/me/calendar-token/")
    assert response["Location"] == "/members/me/calendar/"
    page = client.get("/members/me/calendar/").content.decode()
    profile.refresh_from_db()
    assert (old in page, profile.calendar_token in page) == (False, True)


def test_the_calendar_is_on_the_members_own_page_only(client):
    profile, other = ProfileFactory(visibility="public"), ProfileFactory(visibility="public")
    client.force_login(profile.user)
    own = BeautifulSoup(client.get(profile.get_absolute_url()).content, "html.parser")
    theirs = BeautifulSoup(client.get(other.get_absolute_url()).content, "html.parser")
    assert own.find("input", id="cal-https")["value"].endswith(f"/calendar/{profile.calendar_token}.ics")
    assert theirs.find("input", id="cal-https") is None
    assert other.calendar_token not in theirs.decode()


def test_my_calendar_asks_a_visitor_to_log_in(client):
    EventFactory()
    response = client.get("/members/me/calendar/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
