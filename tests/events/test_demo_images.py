"""The demo's events carry pictures drawn by the project (never fetched), shown on the event
page and on cards."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from PIL import Image

from events.demo_images import draw_banner
from events.models import Event

pytestmark = pytest.mark.django_db


def test_a_banner_is_a_png_and_the_same_seed_draws_the_same_picture():
    first, again, other = draw_banner(seed="a"), draw_banner(seed="a"), draw_banner(seed="b")
    assert Image.open(io.BytesIO(first.read())).size == (1200, 480)
    assert (first.name == again.name, first.name == other.name) == (True, False)


def test_the_demo_shows_its_pictures_on_event_pages_and_cards(client):
    call_command("load_demo", verbosity=0)
    pictured = Event.objects.exclude(image="").filter(parent__isnull=True)
    assert pictured.count() >= 2
    event = pictured.order_by("start").first()
    page = BeautifulSoup(client.get(event.get_absolute_url()).content, "html.parser")
    assert page.find("img", class_="event__image")["src"] == event.image.url
    assert event.image.storage.exists(event.image.name)
    cards = BeautifulSoup(client.get("/events/", {"view": "list"}).content, "html.parser")
    assert cards.find("img", class_="event-summary__image") is not None
