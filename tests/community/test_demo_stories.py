"""The demo content: stories from the seeds, a linked translation, discussions with a mention."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from community.models import Notification, NotificationKind, PracticeStoryPage, Thread, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_demo_stories_are_published_in_two_languages_with_translations_linked_both_ways(client, demo):
    english = PracticeStoryPage.objects.get(slug="cooperating-for-school-social-professional-success")
    spanish = PracticeStoryPage.objects.get(slug="cooperando-para-el-exito-escolar-social-y-profesional")

    english_page = soup_of(client.get(english.url))
    spanish_page = soup_of(client.get(spanish.url))

    assert [a["href"] for a in english_page.select(".translations a")] == [spanish.url]
    assert [a["href"] for a in spanish_page.select(".translations a")] == [english.url]
    assert spanish_page.find("article")["lang"] == "es"
    assert spanish_page.find("h1").get_text(strip=True) == "Cooperando para el éxito escolar, social y profesional"


def test_demo_pages_answer(client, demo):
    thread = Thread.objects.get(title="How do you keep project results alive after the funding ends?")
    for path in [
        "/stories/",
        "/stories/?language=es",
        "/stories/feed/",
        "/discussions/",
        "/discussions/practice-exchange/",
        thread.get_absolute_url(),
        "/projects/innovation-ecosystems-for-vet/",
    ]:
        assert client.get(path).status_code == 200, path


def test_demo_discussion_mention_notified_maja(demo):
    maja = User.objects.get(email="maja@praxis.example")

    mentions = Notification.objects.filter(recipient=maja, kind=NotificationKind.MENTION)

    assert [n.url.startswith("/discussions/posts/") for n in mentions] == [True]
