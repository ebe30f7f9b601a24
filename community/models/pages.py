from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from community.models.organisations import Organisation


class HomePage(Page):
    """The front page: an introduction, then upcoming events and new members."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The upcoming events come from the template (events' ``upcoming_events`` tag).
        context["organisations"] = Organisation.objects.order_by("name")[:12]
        return context
