"""Receivers for Wagtail's moderation workflow: a story's authors hear the decision in the site."""

from __future__ import annotations

from community.models import PracticeStoryPage
from community.moderation import notify_story_decision


def _story(workflow_state) -> PracticeStoryPage | None:
    content = workflow_state.content_object
    specific = getattr(content, "specific", content)
    return specific if isinstance(specific, PracticeStoryPage) else None


def story_approved(sender, instance, user=None, **kwargs) -> None:
    story = _story(instance)
    if story is not None:
        task_state = instance.current_task_state
        notify_story_decision(story=story, approved=True, comment=task_state.comment if task_state else "")


def story_rejected(sender, instance, user=None, **kwargs) -> None:
    story = _story(instance)
    if story is not None:
        task_state = instance.current_task_state
        notify_story_decision(story=story, approved=False, comment=task_state.comment if task_state else "")
