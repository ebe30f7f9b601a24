"""A feed's ETag is a promise: it changes if and only if the body it stands for changes.

A property test: random sequences of what people do (edits, renames, follows, removals,
cancellations, unrelated changes) and, after each, every feed's ETag and body compared
with the step before. A fake clock moves one second per step (the body's DTSTAMP has
whole seconds), so "the body changed" is always visible in the bytes.
"""

import datetime as dt
import random
import uuid
from unittest import mock

import pytest
from django.utils import timezone

from events.following import follow, unfollow
from events.models import Event
from events.writing import cancel_event, remove_event
from tests.factories import EventFactory, OrganisationFactory, ProfileFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(uuid.uuid4())}
    }


class _Clock:
    def __init__(self):
        self.now = timezone.now().replace(microsecond=0)

    def __call__(self):
        return self.now

    def tick(self):
        self.now += dt.timedelta(seconds=1)


def _world(rng):
    organisations = [OrganisationFactory() for _ in range(2)]
    themes = [ThemeFactory() for _ in range(3)]
    events = []
    for i in range(5):
        event = EventFactory(organiser=rng.choice(organisations), title=f"Event {i}")
        event.themes.set(rng.sample(themes, rng.randint(0, 2)))
        events.append(event)
    profile = ProfileFactory()
    follow(user=profile.user, target=events[0])
    return organisations, themes, events, profile


def _mutations(rng, organisations, themes, events, profile):
    user = profile.user

    def live():
        return list(Event.objects.filter(pk__in=[e.pk for e in events], removed_at__isnull=True))

    def edit_title():
        if candidates := live():
            event = rng.choice(candidates)
            event.title = f"Retitled {rng.random():.6f}"
            event.save()

    def edit_track():
        if candidates := live():
            event = rng.choice(candidates)
            event.track = f"Track {rng.random():.6f}"
            event.save()

    def rename_theme():
        theme = rng.choice(themes)
        theme.name = f"Theme {rng.random():.6f}"
        theme.save()

    def clear_theme():
        rng.choice(themes).events.clear()

    def tag_event():
        if candidates := live():
            rng.choice(candidates).themes.add(rng.choice(themes))

    def follow_something():
        follow(user=user, target=rng.choice([*events, *organisations, *themes]))

    def unfollow_something():
        unfollow(user=user, target=rng.choice([*events, *organisations, *themes]))

    def remove_something():
        if candidates := live():
            remove_event(actor=None, event=rng.choice(candidates))

    def cancel_something():
        if candidates := live():
            cancel_event(actor=None, event=rng.choice(candidates))

    def rename_organisation():
        organisation = rng.choice(organisations)
        organisation.name = f"Org {rng.random():.6f}"
        organisation.save()

    def describe_organisation():  # not in any feed
        organisation = rng.choice(organisations)
        organisation.description = f"<p>{rng.random()}</p>"
        organisation.save()

    def edit_bio():  # not in any feed
        profile.bio = f"Bio {rng.random()}"
        profile.save()

    def add_event():
        events.append(EventFactory(organiser=rng.choice(organisations), title=f"New {rng.random():.6f}"))

    def unrelated_event():  # another organisation's, outside every feed but the public one
        EventFactory(title="Elsewhere")

    return [
        edit_title, edit_track, rename_theme, clear_theme, tag_event, follow_something, unfollow_something,
        remove_something, cancel_something, rename_organisation, describe_organisation, edit_bio, add_event,
        unrelated_event,
    ]  # fmt: skip


def _snapshot(client, urls):
    out = {}
    for url in urls:
        response = client.get(url)
        out[url] = (response.status_code, response.get("ETag"), response.getvalue())
    return out


def _fresh_snapshot(client, urls):
    """The same feeds with every cached version and body forgotten: what the rows say now."""
    from django.core.cache import cache

    saved = dict(cache._cache), dict(cache._expire_info)
    cache.clear()
    try:
        return _snapshot(client, urls)
    finally:
        cache.clear()
        cache._cache.update(saved[0])
        cache._expire_info.update(saved[1])


@pytest.mark.parametrize("seed", range(6))
def test_every_feeds_etag_changes_exactly_when_its_body_changes(client, seed):
    rng = random.Random(seed)
    clock = _Clock()
    with mock.patch("django.utils.timezone.now", clock):
        organisations, themes, events, profile = _world(rng)
        urls = [
            "/events/calendar.ics",
            f"/events/calendar.ics?theme={themes[0].slug}",
            f"/organisations/{organisations[0].slug}/calendar.ics",
            f"/calendar/{profile.calendar_token}.ics",
            f"/events/{events[1].pk}.ics",
        ]
        mutations = _mutations(rng, organisations, themes, events, profile)
        before = _snapshot(client, urls)
        for _step in range(20):
            clock.tick()
            mutation = rng.choice(mutations)
            mutation()
            after = _snapshot(client, urls)
            # The counters decide when a version is computed again: a write that changed a
            # feed without moving its counter would serve the old ETag and body here.
            fresh = _fresh_snapshot(client, urls)
            for url in urls:
                assert after[url][0] == fresh[url][0], (mutation.__name__, url)
                if after[url][0] == 200:
                    assert after[url] == fresh[url], (mutation.__name__, url)
            for url in urls:
                status, etag, body = after[url]
                if status != 200 or before[url][0] != 200:
                    continue
                etag_changed, body_changed = etag != before[url][1], body != before[url][2]
                assert etag_changed == body_changed, (mutation.__name__, url)
            before = after


def test_last_modified_moves_when_an_event_is_removed(client):
    organisation = OrganisationFactory()
    EventFactory(organiser=organisation)
    gone = EventFactory(organiser=organisation)
    long_ago = timezone.now() - dt.timedelta(days=30)
    Event.objects.update(updated=long_ago)
    url = f"/organisations/{organisation.slug}/calendar.ics"
    first = client.get(url)["Last-Modified"]
    remove_event(actor=None, event=gone)
    assert client.get(url)["Last-Modified"] != first


def test_last_modified_moves_when_a_member_unfollows_and_follows_an_older_event(client):
    profile = ProfileFactory()
    newer, older = EventFactory(), EventFactory()
    Event.objects.filter(pk=older.pk).update(updated=timezone.now() - dt.timedelta(days=30))
    follow(user=profile.user, target=newer)
    url = f"/calendar/{profile.calendar_token}.ics"
    first = client.get(url)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        unfollow(user=profile.user, target=newer)
        follow(user=profile.user, target=older)
    second = client.get(url)
    assert second["ETag"] != first["ETag"]
    assert second["Last-Modified"] != first["Last-Modified"]


def test_a_free_text_query_does_not_fill_the_body_cache(client):
    from django.core.cache import cache

    EventFactory(title="Findable")
    for i in range(5):
        client.get(f"/events/calendar.ics?q=Findable{i}").getvalue()
    client.get("/events/calendar.ics").getvalue()  # a streamed body is kept once it has been sent
    assert len([k for k in cache._cache if "ical" in k]) == 1


def test_after_one_edit_a_cold_feed_renders_only_that_event(client):
    from events.ical import blocks

    organisation = OrganisationFactory()
    events = [EventFactory(organiser=organisation) for _ in range(5)]
    url = f"/organisations/{organisation.slug}/calendar.ics"
    client.get(url).getvalue()
    edited = Event.objects.get(pk=events[2].pk)
    edited.title = "Edited"
    edited.save()
    rendered = []

    def spy(qs):
        out = blocks_render(qs)
        rendered.extend(pk for pk, _lines, _years in out)
        return out

    blocks_render = blocks.render_blocks
    with mock.patch.object(blocks, "render_blocks", spy):
        body = client.get(url).getvalue()
    assert rendered == [edited.pk]
    assert b"SUMMARY:Edited" in body
