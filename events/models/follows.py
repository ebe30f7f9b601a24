"""What a member follows: the personal calendar feed is the union of these."""

from django.conf import settings
from django.db import models

from community.models import Organisation, Theme


class EventFollow(models.Model):
    """“I'm going”: following a conference also brings its sessions into the feed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_follows")
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="follows")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="unique_event_follow")]

    def __str__(self) -> str:
        return f"{self.user} → {self.event}"


class OrganisationFollow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_follows")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="follows")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="unique_organisation_follow")]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"


class ThemeFollow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="theme_follows")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="follows")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "theme"], name="unique_theme_follow")]

    def __str__(self) -> str:
        return f"{self.user} → {self.theme}"
