"""What a story page shows besides the page itself: people, places, translations, discussion.

Each relation is one query, so the page costs the same whatever the number of authors,
tags or translations.
"""

from __future__ import annotations

from django.utils.html import json_script

from community.discussions import first_posts
from community.models import PracticeStoryPage, StoryIndexPage, Thread, User
from community.stories import can_edit_story


def story_page_context(*, story: PracticeStoryPage, user: User) -> dict[str, object]:
    thread = Thread.objects.visible().filter(story=story).first()
    index = StoryIndexPage.objects.filter(locale_id=story.locale_id).first()
    return {
        "authors": list(story.authors.all()),
        "organisations": list(story.organisations.all()),
        "countries": list(story.countries.all()),
        "sectors": list(story.sectors.all()),
        "themes": list(story.themes.all()),
        "target_groups": list(story.target_groups.all()),
        "translations": list(
            story.get_translations().live().select_related("locale").order_by("locale__language_code")
        ),
        "thread": thread,
        "posts": first_posts(thread=thread) if thread else [],
        "can_edit": can_edit_story(user=user, story=story),
        "index_url": index.url if index else "/stories/",
    }


def story_json_ld(*, story: PracticeStoryPage, authors: list) -> str:
    """schema.org Article as a JSON-LD script element (escaped like json_script, so no text can close it)."""
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": story.title[:110],
        "description": story.summary,
        "inLanguage": story.locale.language_code,
        "url": story.full_url,
        "datePublished": story.first_published_at.isoformat() if story.first_published_at else None,
        "dateModified": story.last_published_at.isoformat() if story.last_published_at else None,
        "author": [{"@type": "Person", "name": author.display_name} for author in authors],
        "license": story.licence_url,
        "publisher": {"@type": "Organization", "name": "Praxis"},
    }
    script = json_script({k: v for k, v in data.items() if v is not None})
    return script.replace('<script type="application/json">', '<script type="application/ld+json">', 1)


__all__ = ["story_json_ld", "story_page_context"]
