import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from community.models.organisations import Organisation
from community.models.taxonomy import Theme


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    FINISHED = "finished", _("Finished")


def project_status(*, start: dt.date | None, end: dt.date | None, today: dt.date) -> str:
    """Planned before the start, finished after the end, ongoing in between (or when undated)."""
    if start is not None and today < start:
        return ProjectStatus.PLANNED
    if end is not None and today > end:
        return ProjectStatus.FINISHED
    return ProjectStatus.ONGOING


class Project(models.Model):
    """An EU cooperation project record, e.g. an Erasmus+ KA2 strategic partnership.

    The status is derived from the dates on every read, so no record is ever "ongoing"
    years after it ended because nobody edited it.
    """

    title = models.CharField(_("title"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    slug = models.SlugField(max_length=120, unique=True)
    programme = models.CharField(_("programme"), max_length=120, blank=True)
    action = models.CharField(
        _("action"), max_length=160, blank=True, help_text=_("e.g. Key Action 2: Strategic Partnerships")
    )
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    summary = models.TextField(_("summary"), blank=True, max_length=10_000)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="projects")

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("EU project")
        verbose_name_plural = _("EU projects")

    def __str__(self) -> str:
        return f"{self.title} ({self.acronym})" if self.acronym else self.title

    def get_absolute_url(self) -> str:
        return reverse("project-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})

    @property
    def status(self) -> str:
        return project_status(start=self.start_date, end=self.end_date, today=timezone.localdate())

    def get_status_display(self) -> str:
        return str(ProjectStatus(self.status).label)


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
