from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from django.db.models.signals import post_delete
        from wagtail.signals import page_published, page_unpublished, workflow_approved, workflow_rejected

        from community.models import PracticeStoryPage
        from community.signals import story_approved, story_rejected
        from community.story_versions import stories_changed

        workflow_approved.connect(story_approved, dispatch_uid="community.story_approved")
        workflow_rejected.connect(story_rejected, dispatch_uid="community.story_rejected")
        for signal in (page_published, page_unpublished, post_delete):
            signal.connect(
                stories_changed, sender=PracticeStoryPage, dispatch_uid=f"community.stories_changed.{id(signal)}"
            )
