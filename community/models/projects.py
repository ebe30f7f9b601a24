from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from community.models.organisations import Organisation
from community.models.taxonomy import Theme


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    FINISHED = "finished", _("Finished")


class Project(models.Model):
    """An EU cooperation project record, e.g. an Erasmus+ KA2 strategic partnership."""

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(max_length=120, unique=True)
    programme = models.CharField(_("programme"), max_length=120, blank=True)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    summary = models.TextField(_("summary"), blank=True, max_length=10_000)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.ONGOING)
    website = models.URLField(_("website"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="projects")

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("EU project")
        verbose_name_plural = _("EU projects")

    def __str__(self) -> str:
        return self.title


class ProjectPartner(models.Model):
    """A partner of a project: a Praxis organisation when it has joined, else a name."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"), blank=True)
    is_coordinator = models.BooleanField(_("coordinator"), default=False)

    class Meta:
        ordering = ["-is_coordinator", "name"]

    def __str__(self) -> str:
        return self.name
