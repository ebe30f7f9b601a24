"""Members without a photo still have a face: their initials, on cards and on their page."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "initials"),
    [("Lucía Ferrer", "LF"), ("zoë", "Z"), ("Ana María de la Peña", "AP"), ("Jean-Luc Picard", "JP"), ("", "")],
)
def test_initials_come_from_the_first_and_last_word(name, initials):
    assert ProfileFactory.build(display_name=name).initials == initials


def test_the_directory_and_the_profile_show_initials_when_there_is_no_photo(client):
    profile = ProfileFactory(display_name="Lucía Ferrer", visibility="public")
    directory = BeautifulSoup(client.get("/members/").content, "html.parser")
    page = BeautifulSoup(client.get(profile.get_absolute_url()).content, "html.parser")
    for soup in (directory, page):
        fallback = soup.find("main").find(class_="avatar--initials")
        assert (fallback.get_text(), fallback["aria-hidden"]) == ("LF", "true")
