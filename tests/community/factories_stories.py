"""Factories for stories, projects and discussions (a file of their own to keep merges apart)."""

from __future__ import annotations

import datetime as dt

import factory
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from community.models import (
    Category,
    HomePage,
    PracticeStoryPage,
    Project,
    StoryCountry,
    StoryIndexPage,
    Thread,
)
from community.stories import ensure_story_index
from tests.factories import ProfileFactory, UserFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    start_date = dt.date(2020, 1, 1)
    end_date = dt.date(2022, 12, 31)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread

    title = factory.Sequence(lambda n: f"Thread {n}")
    category = factory.SubFactory(CategoryFactory)
    author = factory.SubFactory(UserFactory)


def story_index() -> StoryIndexPage:
    """The home page (the default site's root) with a published story index under it."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Praxis", slug="praxis-home"))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "site_name": "Praxis"}
        )
    index = ensure_story_index(home=home)
    if not index.live:
        index.save_revision().publish()
    return index


def publish_story(
    *,
    title: str = "A practice",
    summary: str = "What we did and why it worked.",
    body_html: str = "<p>We did it.</p>",
    language: str = "en",
    authors=None,
    themes=(),
    sectors=(),
    organisations=(),
    countries=(),
    project=None,
    index: StoryIndexPage | None = None,
) -> PracticeStoryPage:
    index = index or story_index()
    if language != index.locale.language_code:
        index = StoryIndexPage.objects.filter(locale__language_code=language).first() or index.copy_for_translation(
            Locale.objects.get(language_code=language), copy_parents=True
        )
    authors = list(authors) if authors is not None else [ProfileFactory()]
    page = PracticeStoryPage(
        title=title,
        summary=summary,
        body=[("text", RichText(body_html))],
        owner=authors[0].user if authors else None,
        project=project,
    )
    page.authors.set(authors)
    page.themes.set(themes)
    page.sectors.set(sectors)
    page.organisations.set(organisations)
    page.countries.set([StoryCountry(country=code) for code in countries])
    index.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def moderator():
    user = UserFactory()
    ProfileFactory(user=user)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def assert_inert(html: str | bytes) -> None:
    """Nothing in the page can run script: no script but JSON-LD, no on* handlers, no script URLs."""
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        assert script.get("type") == "application/ld+json" or (script.get("src") or "").startswith("/static/"), script
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), element
            if name in {"href", "src", "action", "formaction", "xlink:href", "data"}:
                text = "".join(value if isinstance(value, str) else " ".join(value)).strip().lower()
                assert not text.startswith(("javascript:", "vbscript:", "data:")), element
    for tag in ("iframe", "object", "embed", "svg", "math", "style", "form"):
        for element in soup.find_all(tag):
            if tag == "iframe":
                assert element["src"].startswith(("https://www.youtube-nocookie.com/", "https://player.vimeo.com/"))
            elif tag == "form":
                assert element.get("action", "").startswith(("/", "")), element
            else:
                raise AssertionError(f"unexpected <{tag}> in page: {element}")
