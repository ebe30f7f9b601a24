from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, Site, get_page_models
        from wagtail.signals import page_published, page_unpublished, workflow_approved, workflow_rejected

        from community.models import PracticeStoryPage, Profile, Theme
        from community.signals import story_approved, story_rejected
        from community.site_lookup import sites_changed
        from community.story_cards import names_changed
        from community.story_versions import stories_changed

        workflow_approved.connect(story_approved, dispatch_uid="community.story_approved")
        workflow_rejected.connect(story_rejected, dispatch_uid="community.story_rejected")
        for name, signal in (
            ("published", page_published),
            ("unpublished", page_unpublished),
            ("deleted", post_delete),
        ):
            signal.connect(stories_changed, sender=PracticeStoryPage, dispatch_uid=f"community.stories.{name}")
        # Per class: a page type's save is sent with its own class, not Page. Not without a
        # sender: a post_delete receiver for every model turns off Django's fast delete
        # everywhere (each cascade would load its rows first: 30,000 occurrences on a reimport).
        for model in (Site, Page, *get_page_models()):
            label = model._meta.label
            post_save.connect(sites_changed, sender=model, dispatch_uid=f"community.sites.saved.{label}")
            post_delete.connect(sites_changed, sender=model, dispatch_uid=f"community.sites.deleted.{label}")
        for model in (Profile, Theme):
            post_save.connect(names_changed, sender=model, dispatch_uid=f"community.card_names.saved.{model.__name__}")
            post_delete.connect(names_changed, sender=model, dispatch_uid=f"community.card_names.gone.{model.__name__}")
