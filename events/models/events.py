"""Events, conferences and sessions in one table.

A conference is an event whose sessions are events with ``parent`` pointing at it:
a session then has its own page, its own ICS entry, its own chat room at
``/ws/chat/<event-id>/`` and can be followed like any event. A per-occurrence
override of a recurring event (RECURRENCE-ID) is also a row: same ``uid`` as its
series, ``recurrence_id`` set, ``series`` pointing at the master.
"""

from __future__ import annotations

import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from community.images import validate_image_upload
from community.models import Language, Organisation, Profile, Sector, Theme

DESCRIPTION_MAX_CHARS = 20_000


def validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("“%(tz)s” is not a known IANA time zone, e.g. Europe/Madrid."), params={"tz": value})


_TIMEZONES: frozenset[str] | None = None


def available_timezones() -> frozenset[str]:
    global _TIMEZONES
    if _TIMEZONES is None:
        _TIMEZONES = frozenset(zoneinfo.available_timezones())
    return _TIMEZONES


class EventKind(models.TextChoices):
    EVENT = "event", _("Event")
    CONFERENCE = "conference", _("Conference")
    SESSION = "session", _("Conference session")


class EventStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    TENTATIVE = "tentative", _("Tentative")
    CANCELLED = "cancelled", _("Cancelled")


class AttendanceMode(models.TextChoices):
    OFFLINE = "offline", _("In person")
    ONLINE = "online", _("Online")
    MIXED = "mixed", _("In person and online")


class Origin(models.TextChoices):
    LOCAL = "local", _("Created on Praxis")
    API = "api", _("Published through the API")
    FEED = "feed", _("Imported from a feed")


def new_uid() -> str:
    return f"{uuid.uuid4()}@praxis"


class EventQuerySet(models.QuerySet):
    def listed(self) -> EventQuerySet:
        """Rows that stand on their own in lists: not removed, not overrides."""
        return self.filter(removed_at__isnull=True, recurrence_id__isnull=True)

    def in_window(self, start, end) -> EventQuerySet:
        """Events that may have an occurrence in [start, end), judged by the span of
        the whole series (``series_end`` is ``end`` for a single event)."""
        return self.filter(Q(start__lt=end) & (Q(series_end__isnull=True) | Q(series_end__gt=start)))

    def upcoming(self, now=None) -> EventQuerySet:
        """Not yet over: single events by their end, series by their last occurrence."""
        from django.utils import timezone as dj_timezone

        now = now or dj_timezone.now()
        return self.filter(Q(series_end__isnull=True) | Q(series_end__gt=now))


class Event(models.Model):
    uid = models.CharField(_("UID"), max_length=255, default=new_uid, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices, default=EventKind.EVENT)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
        limit_choices_to={"kind": EventKind.CONFERENCE},
        verbose_name=_("conference"),
    )
    organiser = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="events", verbose_name=_("organiser")
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX_CHARS)])

    # Time. Stored as UTC instants; ``timezone`` says how to show and export them.
    # An all-day event runs from local midnight of its first day to local midnight
    # after its last day (the exclusive DTEND of RFC 5545).
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"), db_index=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Brussels", validators=[validate_timezone]
    )
    all_day = models.BooleanField(_("all day"), default=False)

    # Recurrence: the RRULE value without the "RRULE:" prefix, RDATE/EXDATE as ISO
    # instants. ``series_end`` is the last occurrence's end (``end`` for a single
    # event, null for a series that never ends), kept so a window query can skip
    # finished series without expanding them. ``save()`` keeps it true; bulk writers
    # call ``events.recurrence.series_end_of``.
    rrule = models.CharField(_("repeats (RRULE)"), max_length=500, blank=True)
    rdates = models.JSONField(_("extra dates"), default=list, blank=True)
    exdates = models.JSONField(_("excluded dates"), default=list, blank=True)
    series_end = models.DateTimeField(null=True, blank=True, editable=False)
    series = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="overrides", editable=False
    )
    recurrence_id = models.DateTimeField(null=True, blank=True, editable=False)

    # Place
    attendance_mode = models.CharField(
        _("attendance"), max_length=10, choices=AttendanceMode.choices, default=AttendanceMode.OFFLINE
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    online_url = models.URLField(_("online URL"), blank=True, max_length=500)

    # Session details (kind == session)
    room = models.CharField(_("room"), max_length=120, blank=True)
    track = models.CharField(_("track"), max_length=120, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.CONFIRMED)
    language = models.ForeignKey(
        Language, on_delete=models.SET_NULL, null=True, blank=True, related_name="events", verbose_name=_("language")
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="events", verbose_name=_("themes"))
    sectors = models.ManyToManyField(Sector, blank=True, related_name="events", verbose_name=_("sectors"))
    url = models.URLField(_("web page"), blank=True, max_length=500)
    image = models.ImageField(_("image"), upload_to="events/%Y/", blank=True, validators=[validate_image_upload])

    # Provenance and versioning
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.LOCAL, editable=False)
    feed = models.ForeignKey(
        "events.Feed", on_delete=models.SET_NULL, null=True, blank=True, related_name="events", editable=False
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)
    source_last_modified = models.DateTimeField(null=True, blank=True, editable=False)
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["uid"], condition=Q(recurrence_id__isnull=True), name="event_uid_unique_for_masters"
            ),
            models.UniqueConstraint(
                fields=["uid", "recurrence_id"],
                condition=Q(recurrence_id__isnull=False),
                name="event_override_unique",
            ),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="event_end_not_before_start"),
        ]
        indexes = [models.Index(fields=["organiser", "start"]), models.Index(fields=["parent", "start"])]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        from events.recurrence import series_end_of

        # iCalendar has whole seconds; sub-second parts would make RRULE occurrences miss their DTSTART.
        self.start, self.end = self.start.replace(microsecond=0), self.end.replace(microsecond=0)
        self.series_end = series_end_of(self)
        if self.pk and self.origin != Origin.FEED and not kwargs.get("update_fields"):
            # Calendar clients take a change only if SEQUENCE rises; a feed's own SEQUENCE is kept as it came.
            self.sequence += 1
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("event-detail", kwargs={"pk": self.pk})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule or self.rdates)

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def local_start(self):
        return self.start.astimezone(self.zone)

    @property
    def local_end(self):
        return self.end.astimezone(self.zone)

    @property
    def is_online(self) -> bool:
        return self.attendance_mode in (AttendanceMode.ONLINE, AttendanceMode.MIXED)

    @property
    def is_in_person(self) -> bool:
        return self.attendance_mode in (AttendanceMode.OFFLINE, AttendanceMode.MIXED)


class Speaker(models.Model):
    """A session speaker: a member's profile, or just a name for a guest."""

    session = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    profile = models.ForeignKey(Profile, on_delete=models.SET_NULL, null=True, blank=True, related_name="talks")
    name = models.CharField(_("name"), max_length=160, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.profile.display_name if self.profile_id else self.name
