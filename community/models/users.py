from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from community.folding import fold_all
from community.images import validate_image_upload
from community.models.taxonomy import Language, Sector, Theme
from community.sanitise import html_to_text
from community.url_cache import object_url

BIO_MAX_CHARS = 5000


class User(AbstractUser):
    """The account. Everything people see of a member lives on ``Profile``.

    A deleted account keeps its row as an inactive tombstone with no personal data
    (``deleted_at`` set): what the member wrote and chose to leave stays attached to it and
    reads as "a former member" (community/account_deletion.py).
    """

    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone can see my profile")
    MEMBERS = "members", _("Members only: signed-in members can see my profile")


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class ProfileQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProfileQuerySet:
        """Profiles whose page ``user`` may open (the member's visibility choice)."""
        qs = self.filter(user__is_active=True)
        if user is None or not user.is_authenticated:
            return qs.filter(visibility=Visibility.PUBLIC)
        return qs

    def in_directory_for(self, user) -> ProfileQuerySet:
        """Profiles the directory, member search and site search may list: visible *and* opted in."""
        return self.visible_to(user).filter(in_directory=True)

    def in_organisation_lists_for(self, user) -> ProfileQuerySet:
        """Profiles an organisation page may list among its members: visible *and* opted in."""
        return self.visible_to(user).filter(in_organisation_lists=True)


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    slug = models.SlugField(_("profile address"), max_length=80, unique=True)
    display_name = models.CharField(_("display name"), max_length=120)
    headline = models.CharField(_("headline or role"), max_length=160, blank=True)
    country = CountryField(_("country"), blank=True)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="profiles", verbose_name=_("sectors"))
    languages = models.ManyToManyField(
        Language, blank=True, related_name="profiles", verbose_name=_("languages spoken")
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="profiles", verbose_name=_("expertise themes"))
    bio = models.TextField(
        _("bio"),
        blank=True,
        validators=[MaxLengthValidator(BIO_MAX_CHARS)],
        help_text=format_lazy(_("Plain text or simple HTML; links are allowed. At most {} characters."), BIO_MAX_CHARS),
    )
    avatar = models.ImageField(_("avatar"), upload_to="avatars/%Y/%m/", blank=True, validators=[validate_image_upload])
    website = models.URLField(_("website"), blank=True, max_length=300)
    links = models.TextField(
        _("other links"), blank=True, max_length=2000, help_text=_("One address per line (LinkedIn, Mastodon, …).")
    )
    visibility = models.CharField(
        _("who can see my profile"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    # Privacy choices (the privacy page). Defaults are the privacy-friendly ones: a new member
    # is listed nowhere until they say so; the demo opts its members in explicitly.
    in_directory = models.BooleanField(_("list me in the member directory and member search"), default=False)
    in_speaker_lists = models.BooleanField(_("name me in the speaker lists of sessions I speak at"), default=False)
    in_organisation_lists = models.BooleanField(_("list me on the pages of organisations I belong to"), default=False)
    quotable = models.BooleanField(
        _("my chat messages and posts may be quoted in practice stories drawn from sessions"), default=False
    )
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token, editable=False)
    # Name, headline and bio folded (community.folding): search ignores accents and case.
    search_text = models.TextField(blank=True, default="", editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        """Keep the folded search copy in step with what it copies, on every save."""
        self.search_text = self.folded_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"display_name", "headline", "bio"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return object_url("member-detail", "slug", self.slug)

    @property
    def initials(self) -> str:
        """Up to two letters for the avatar fallback: "Lucía Ferrer" → "LF", "zoë" → "Z"."""
        words = [w for w in self.display_name.replace("-", " ").split() if w[:1].isalpha()]
        return "".join(w[0] for w in words[:1] + words[1:][-1:]).upper()

    def folded_search_text(self) -> str:
        return fold_all([self.display_name, self.headline, html_to_text(self.bio or "")])

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]
