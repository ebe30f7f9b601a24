"""Search forgives accents and case: "lucia" finds Lucía, "zoe" finds Zoë, on SQLite and on
PostgreSQL alike (a folded copy written on save, not a database feature)."""

import unicodedata

import pytest

from community.folding import fold, matches_every_word
from community.models import Profile
from tests.factories import EventFactory, ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Lucía", "lucia"),
        ("Zoë", "zoe"),
        ("ŽIVA Čeč", "ziva cec"),
        ("Ørsted Łukasiewicz Đurić", "orsted lukasiewicz duric"),
        ("Straße", "strasse"),
        ("Ａｎａ", "ana"),
    ],
)
def test_fold_removes_accents_and_case(text, folded):
    assert fold(text) == folded


def test_fold_of_ascii_text_is_the_full_fold():
    # ASCII text takes a shortcut (its lower case); it must be what the decomposition gives.
    text = "".join(chr(code) for code in range(128)) + " Sofia MORA-Ruiz 42"
    full = "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))
    assert fold(text) == full


@pytest.fixture
def members():
    names = ["Lucía Ferrer", "Zoë Novak", "Lucas Mora", "Žiga Čeh", "Anna Schmidt"]
    return [ProfileFactory(display_name=name, visibility="public") for name in names]


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("lucia", ["Lucía Ferrer"]),
        ("LUCÍA", ["Lucía Ferrer"]),
        ("luc", ["Lucas Mora", "Lucía Ferrer"]),
        ("zoe", ["Zoë Novak"]),
        ("ziga ceh", ["Žiga Čeh"]),
        ("Zoë novák", ["Zoë Novak"]),
        ("nobody", []),
    ],
)
def test_the_member_directory_ignores_accents_and_case(client, members, q, found):
    response = client.get("/members/", {"q": q})
    assert response.status_code == 200
    page = response.content.decode()
    assert sorted(p.display_name for p in members if p.display_name in page) == sorted(found)


def test_site_search_finds_members_and_events_without_accents(client, members):
    EventFactory(title="Taller de innovación en Catarroja")
    page = client.get("/search/", {"q": "innovacion"}).content.decode()
    assert "Taller de innovación en Catarroja" in page
    page = client.get("/search/", {"q": "zoe"}).content.decode()
    assert "Zoë Novak" in page


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("innovacion", ["Taller de innovación"]),
        ("INNOVACIÓN", ["Taller de innovación"]),
        ("vzgoja", ["Vzgoja in izobraževanje"]),
        ("izobrazevanje", ["Vzgoja in izobraževanje"]),
        ("brdo", ["Vzgoja in izobraževanje"]),
    ],
)
def test_the_event_list_search_ignores_accents_and_case(client, q, found):
    titles = ["Taller de innovación", "Vzgoja in izobraževanje"]
    EventFactory(title=titles[0], city="València")
    EventFactory(title=titles[1], city="Brdo pri Kranju")
    page = client.get("/events/", {"q": q}).content.decode()
    assert [title for title in titles if title in page] == found


def test_a_renamed_member_is_found_by_the_new_name_only(members):
    profile = members[0]
    profile.display_name = "Lucía Peña"
    profile.save(update_fields=["display_name"])
    assert list(Profile.objects.filter(matches_every_word("pena")).values_list("pk", flat=True)) == [profile.pk]
    assert list(Profile.objects.filter(matches_every_word("ferrer"))) == []
