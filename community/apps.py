from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from wagtail.signals import workflow_approved, workflow_rejected

        from community.signals import story_approved, story_rejected

        workflow_approved.connect(story_approved, dispatch_uid="community.story_approved")
        workflow_rejected.connect(story_rejected, dispatch_uid="community.story_rejected")
