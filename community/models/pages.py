from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    """The front page: an introduction, then upcoming events and new members."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def get_context(self, request, *args, **kwargs):
        from community.models.organisations import Organisation
        from events.models import Event

        context = super().get_context(request, *args, **kwargs)
        context["upcoming_events"] = (
            Event.objects.listed().filter(parent__isnull=True).upcoming().select_related("organiser")[:6]
        )
        context["organisations"] = Organisation.objects.order_by("name")[:12]
        return context
