"""Members write stories; moderators publish them through Wagtail's moderation workflow.

A submission (new or an edit) is a draft revision with the page's workflow started on it;
the published version, if any, stays up until a moderator approves. The admin, the
member form and the demo loader all end in ``save_revision``, which runs the page's
``clean()`` (sanitise on write).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, WorkflowState
from wagtail.rich_text import RichText

from community.markdown import render_markdown
from community.models import (
    HomePage,
    Organisation,
    PracticeStoryPage,
    Profile,
    Project,
    Sector,
    StoryCountry,
    StoryIndexPage,
    TargetGroup,
    Theme,
    User,
)
from community.story_blocks import video_embed_url

# Blocks the member form writes; the others (images, documents, quotes) are kept as moderators left them.
FORM_BLOCKS = frozenset({"text", "outcome", "video"})


@dataclass
class StoryDraft:
    """What a member writes about a practice (the member form's cleaned data, or an importer's)."""

    title: str
    summary: str
    body_markdown: str
    language: str = "en"
    outcome_before: str = ""
    outcome_after: str = ""
    outcome_evidence: str = ""
    video_url: str = ""
    licence: str = "cc-by-4.0"
    themes: list[Theme] = field(default_factory=list)
    sectors: list[Sector] = field(default_factory=list)
    target_groups: list[TargetGroup] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    project: Project | None = None
    co_authors: list[Profile] = field(default_factory=list)


def story_index_for(*, language: str) -> StoryIndexPage:
    """The story index of a locale, made as a translation of the default one when missing."""
    locale = Locale.objects.get(language_code=language)
    index = StoryIndexPage.objects.filter(locale=locale).first()
    if index is not None:
        return index
    source = StoryIndexPage.objects.filter(locale=Locale.get_default()).first() or StoryIndexPage.objects.first()
    if source is None:
        raise StoryIndexMissing(_("There is no story index yet; an administrator must create one."))
    return source.copy_for_translation(locale, copy_parents=True)


class StoryIndexMissing(RuntimeError):
    pass


def ensure_story_index(*, home: HomePage, title: str = "Practice stories") -> StoryIndexPage:
    index = StoryIndexPage.objects.filter(locale=home.locale).first()
    if index is None:
        index = home.add_child(instance=StoryIndexPage(title=title, slug="stories", locale=home.locale))
    return index


def can_edit_story(*, user: User, story: PracticeStoryPage) -> bool:
    if not user.is_authenticated:
        return False
    return story.owner_id == user.pk or story.authors.filter(user=user).exists()


def _unique_slug(*, parent: Page, title: str) -> str:
    base = slugify(title)[:70] or "story"
    slug, n = base, 1
    while PracticeStoryPage.objects.filter(slug=slug).exists() or parent.get_children().filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _apply_draft(*, page: PracticeStoryPage, draft: StoryDraft, author: Profile) -> None:
    page.title = draft.title
    page.summary = draft.summary
    page.body_markdown = draft.body_markdown
    html, _text = render_markdown(draft.body_markdown)
    blocks: list[tuple[str, object]] = [("text", RichText(html))]
    if draft.outcome_before or draft.outcome_after:
        blocks.append(
            (
                "outcome",
                {"before": draft.outcome_before, "after": draft.outcome_after, "evidence": draft.outcome_evidence},
            )
        )
    if draft.video_url:
        if video_embed_url(draft.video_url) is None:
            raise ValidationError({"video_url": _("Give a YouTube or Vimeo video address.")})
        blocks.append(("video", {"url": draft.video_url, "title": draft.title}))
    kept = [(child.block_type, child.value) for child in page.body if child.block_type not in FORM_BLOCKS]
    page.body = blocks + kept
    page.licence = draft.licence
    page.project = draft.project
    page.themes.set(draft.themes)
    page.sectors.set(draft.sectors)
    page.target_groups.set(draft.target_groups)
    page.organisations.set(draft.organisations)
    page.authors.set([author, *[p for p in draft.co_authors if p.pk != author.pk]])
    page.countries.set([StoryCountry(country=code) for code in dict.fromkeys(draft.countries)])


@transaction.atomic
def submit_story(*, user: User, draft: StoryDraft, author: Profile) -> PracticeStoryPage:
    """Create a story as a draft and put it in moderation; nothing is public until approved."""
    index = story_index_for(language=draft.language)
    page = PracticeStoryPage(
        owner=user, live=False, locale=index.locale, slug=_unique_slug(parent=index, title=draft.title)
    )
    _apply_draft(page=page, draft=draft, author=author)
    page.full_clean(exclude=["path", "depth"])
    index.add_child(instance=page)
    _start_moderation(page=page, user=user)
    return page


@transaction.atomic
def resubmit_story(*, user: User, story: PracticeStoryPage, draft: StoryDraft, author: Profile) -> PracticeStoryPage:
    """A new draft revision of someone's own story, in moderation again; the live version stays up."""
    if not can_edit_story(user=user, story=story):
        raise PermissionDenied(_("Only the story's authors can edit it."))
    page = story.get_latest_revision_as_object()
    _apply_draft(page=page, draft=draft, author=author)
    page.full_clean(exclude=["path", "depth", "locale", "slug"])
    _start_moderation(page=page, user=user)
    return page


def _start_moderation(*, page: PracticeStoryPage, user: User) -> None:
    revision = page.save_revision(user=user, log_action=True)
    current = page.current_workflow_state
    if current is not None:
        current.cancel(user=user)
    workflow = page.get_workflow()
    if workflow is None:
        raise StoryIndexMissing(_("No moderation workflow covers the story index."))
    workflow.start(page, user)
    page.latest_revision = revision


class StoryState:
    PUBLISHED = "published"
    IN_MODERATION = "in_moderation"
    NEEDS_CHANGES = "needs_changes"
    DRAFT = "draft"


STATE_LABELS = {
    StoryState.PUBLISHED: _("Published"),
    StoryState.IN_MODERATION: _("Waiting for a moderator"),
    StoryState.NEEDS_CHANGES: _("Needs changes"),
    StoryState.DRAFT: _("Draft"),
}


def stories_of(*, user: User) -> QuerySet[PracticeStoryPage]:
    """A member's stories with the status of their latest workflow, in one query."""
    latest_workflow = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page), object_id=Cast(OuterRef("pk"), CharField())
    ).order_by("-created_at", "-id")
    return (
        PracticeStoryPage.objects.filter(owner=user)
        .annotate(workflow_status=Subquery(latest_workflow.values("status")[:1]))
        .order_by("-latest_revision_created_at", "-pk")
    )


def story_state(*, story: PracticeStoryPage) -> tuple[str, str]:
    """(state, label) for a story annotated by ``stories_of``: what its author sees on their profile."""
    status = getattr(story, "workflow_status", None)
    if status == WorkflowState.STATUS_IN_PROGRESS:
        state = StoryState.IN_MODERATION
    elif status == WorkflowState.STATUS_NEEDS_CHANGES:
        state = StoryState.NEEDS_CHANGES
    elif story.live:
        state = StoryState.PUBLISHED
    else:
        state = StoryState.DRAFT
    return state, str(STATE_LABELS[state])
