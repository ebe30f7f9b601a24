from django.db import models
from django.utils.translation import gettext_lazy as _

from community.models import Organisation


class Feed(models.Model):
    """A partner's iCalendar feed that Praxis polls. Fetching and import reports
    arrive with the federation work; events already point here for provenance."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="feeds")
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("feed URL"), max_length=1000)
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.name}"
