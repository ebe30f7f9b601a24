"""Atom feeds of newly published stories, for everyone and per theme."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from community.models import PracticeStoryPage, Theme
from community.story_index import published_stories

FEED_LENGTH = 50


class StoryFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, theme: str | None = None) -> Theme | None:
        return get_object_or_404(Theme, slug=theme) if theme else None

    def title(self, obj: Theme | None) -> str:
        if obj is None:
            return _("Praxis: new practice stories")
        return _("Praxis: new practice stories on %(theme)s") % {"theme": obj.name}

    def link(self, obj: Theme | None) -> str:
        return "/stories/" if obj is None else f"/stories/?theme={obj.slug}"

    def feed_url(self, obj: Theme | None) -> str:
        return reverse("story-feed") if obj is None else reverse("story-theme-feed", args=[obj.slug])

    def subtitle(self, obj: Theme | None) -> str:
        return _("Good practices from European education and training projects, reviewed by moderators.")

    def items(self, obj: Theme | None):
        stories = published_stories()
        if obj is not None:
            stories = stories.filter(themes=obj)
        return (
            stories.select_related("locale")
            .prefetch_related("authors")
            .order_by("-first_published_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item: PracticeStoryPage) -> str:
        return item.title

    def item_description(self, item: PracticeStoryPage) -> str:
        # Atom writes this as <summary type="html">: readers parse it as HTML, so the plain
        # text summary is escaped here (and once more as XML by the feed writer).
        return escape(item.summary)

    def item_link(self, item: PracticeStoryPage) -> str:
        return item.url

    def item_guid(self, item: PracticeStoryPage) -> str:
        return f"praxis-story-{item.translation_key}-{item.locale.language_code}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: PracticeStoryPage):
        return item.first_published_at

    def item_updateddate(self, item: PracticeStoryPage):
        return item.last_published_at

    def item_author_name(self, item: PracticeStoryPage) -> str:
        return ", ".join(author.display_name for author in item.authors.all())
