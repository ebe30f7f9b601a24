"""The shared vocabularies: themes, sectors and languages.

They are rows, not choices, so that members, events and stories can be filtered
by them with one join, and so that moderators can extend themes in the admin.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    """An expertise theme, seeded from the Key Action 2 outcome and impact lists."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the page's language: seeded names are in the catalogs
        (``community.taxonomy_seed``); a theme a moderator added reads as typed."""
        return gettext(self.name)


class Sector(models.Model):
    """A sector of education and training (school, VET, higher education, …)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the page's language (seeded names are in the catalogs)."""
        return gettext(self.name)


class Language(models.Model):
    """A language by ISO 639-1 code (BCP 47 primary subtag)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name


class TargetGroup(models.Model):
    """Who a practice is for (teachers, VET learners, HR staff, …)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name
