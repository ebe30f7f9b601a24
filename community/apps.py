from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished, workflow_approved, workflow_rejected

        from community.models import PracticeStoryPage
        from community.signals import story_approved, story_rejected
        from community.site_lookup import sites_changed
        from community.story_versions import stories_changed

        workflow_approved.connect(story_approved, dispatch_uid="community.story_approved")
        workflow_rejected.connect(story_rejected, dispatch_uid="community.story_rejected")
        for name, signal in (
            ("published", page_published),
            ("unpublished", page_unpublished),
            ("deleted", post_delete),
        ):
            signal.connect(stories_changed, sender=PracticeStoryPage, dispatch_uid=f"community.stories.{name}")
        # No sender: a page type's save is sent with its own class, not Page.
        post_save.connect(sites_changed, dispatch_uid="community.sites.saved")
        post_delete.connect(sites_changed, dispatch_uid="community.sites.deleted")
