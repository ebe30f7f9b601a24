"""Events, conferences and sessions in one table.

A conference is an event whose sessions are events with ``parent`` pointing at it:
a session then has its own page, its own ICS entry, its own chat room at
``/ws/chat/<event-id>/`` and can be followed like any event. A per-occurrence
override of a recurring event (RECURRENCE-ID) is also a row: same ``uid`` as its
series, ``recurrence_id`` set, ``series`` pointing at the master.
"""

from __future__ import annotations

import contextlib
import datetime
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from community.folding import fold_all
from community.images import validate_image_upload
from community.models import Language, Organisation, Profile, ProjectPartner, Sector, Theme, Visibility
from community.sanitise import html_to_text, sanitise_html
from community.url_cache import object_url
from events import rules
from events.recurrence import parse_rule, series_end_of, validate_bounded_rule
from events.recurrence_text import describe_rule

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
        now = now or dj_timezone.now()
        return self.filter(Q(series_end__isnull=True) | Q(series_end__gt=now))


class Event(models.Model):
    # Looked up with its organiser only (the unique constraints below): an index of its own
    # (two on PostgreSQL, with the LIKE one) cost every bulk import without serving a query.
    uid = models.CharField(_("UID"), max_length=255, default=new_uid)
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices, default=EventKind.EVENT)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
        limit_choices_to={"kind": EventKind.CONFERENCE},
        verbose_name=_("conference"),
        db_index=False,  # the (parent, start) index below serves it
    )
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("organiser"),
        db_index=False,  # the (organiser, start) index below serves it
    )
    title = models.CharField(_("title"), max_length=250)
    # Sanitised HTML: ``save()`` passes it through the one sanitiser, so no reader (page, API,
    # feed) ever sees what a person or a feed typed raw; ``description_text`` is its plain
    # text for DESCRIPTION in iCalendar, search and summaries.
    description = models.TextField(_("description"), blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX_CHARS)])
    description_text = models.TextField(blank=True, editable=False)
    # Title, plain description, venue and city folded (community.folding): search ignores accents and case.
    search_text = models.TextField(blank=True, default="", editable=False)

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
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
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
    # The EU project the event belongs to (its page lists it); the link lives here so that
    # community, which holds projects, never needs to know about events.
    project = models.ForeignKey(
        "community.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("project"),
        help_text=_("An EU project your organisation takes part in, if the event belongs to one."),
    )

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
            # An event's identity is (organisation, UID, RECURRENCE-ID): one partner's UID can
            # never match, or by an upsert overwrite, another organisation's event.
            models.UniqueConstraint(
                fields=["organiser", "uid"],
                condition=Q(recurrence_id__isnull=True),
                name="event_uid_unique_per_organiser",
            ),
            models.UniqueConstraint(
                fields=["organiser", "uid", "recurrence_id"],
                condition=Q(recurrence_id__isnull=False),
                name="event_override_unique_per_organiser",
            ),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="event_end_not_before_start"),
        ]
        indexes = [models.Index(fields=["organiser", "start"]), models.Index(fields=["parent", "start"])]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        """Normalise, then save; SEQUENCE rises by one, atomically, when what a calendar shows changed.

        Calendar clients take a change only if SEQUENCE rises, and two plain saves must not make
        it rise twice. The rise is an ``F()`` expression, so two writers at once both count.
        """
        self.normalise()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "description", "venue", "city"} & set(update_fields):
            update_fields = kwargs["update_fields"] = {*update_fields, "description_text", "search_text"}
        bump = (
            self.pk is not None
            and not self._state.adding
            and getattr(self, "_stored_visible", None) is not None
            and self._visible_state() != self._stored_visible
            and not getattr(self, "_keep_sequence", False)
        )
        if bump:
            self.sequence = F("sequence") + 1
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "sequence", "updated"}
        super().save(*args, **kwargs)
        if bump:
            self.sequence = type(self).objects.values_list("sequence", flat=True).get(pk=self.pk)
        self._stored_visible = self._visible_state()

    def get_absolute_url(self) -> str:
        return object_url("event-detail", "pk", self.pk)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_visible = instance._visible_state()
        return instance

    def _visible_state(self) -> tuple | None:
        """What a calendar client shows; SEQUENCE rises only when this changes.

        Read from the stored values (``__dict__``), not through the field descriptors: every
        loaded event computes this, and django-countries' descriptor builds a translated
        Country object per read (the largest cost of loading 10,000 events). A deferred
        field is absent from ``__dict__``: then there is no state to compare.
        """
        values = self.__dict__
        try:
            return tuple(values[name] for name in VISIBLE_FIELDS)
        except KeyError:
            return None

    def clean(self) -> None:
        """The calendar's rules, for every writer: forms, the admin, the API and importers."""
        errors: dict[str, list] = {}

        def add(field: str, error) -> None:
            errors.setdefault(field, []).append(error)

        try:
            rules.check_uid(
                self.uid or "", minted_here=self.origin == Origin.LOCAL and rules.is_minted_uid(self.uid or "")
            )
        except ValidationError as exc:
            add("uid", exc)
        if self.start is None or self.end is None:
            if self.start is None:
                add("start", ValidationError(_("Enter when the event starts."), code="required"))
            if self.end is None:
                add("end", ValidationError(_("Enter when the event ends."), code="required"))
        else:
            for field, value, label in (("start", self.start, _("The start")), ("end", self.end, _("The end"))):
                try:
                    rules.check_in_range(value, field_label=label)
                except ValidationError as exc:
                    add(field, exc)
            if not errors and (self.end < self.start or (self.end == self.start and self.origin != Origin.FEED)):
                add("end", ValidationError(_("The end must be after the start."), code="end_before_start"))
        if self.kind == EventKind.SESSION and self.parent_id is None:
            add("parent", ValidationError(_("A session belongs to a conference: choose it."), code="required"))
        if self.parent_id is not None:
            if self.kind != EventKind.SESSION:
                add("kind", ValidationError(_("Only sessions belong to a conference."), code="invalid"))
            elif self.parent.kind != EventKind.CONFERENCE or self.parent.removed_at is not None:
                add("parent", ValidationError(_("Choose a conference that is still published."), code="invalid"))
            elif self.pk is not None and self.parent_id == self.pk:
                add("parent", ValidationError(_("An event cannot be its own conference."), code="invalid"))
        if self.attendance_mode in (AttendanceMode.ONLINE, AttendanceMode.MIXED) and not self.online_url:
            message = _("An online event needs the address where people join.")
            add("online_url", ValidationError(message, code="required"))
        if (
            self.project_id is not None
            and self.organiser_id is not None
            and not ProjectPartner.objects.filter(
                project_id=self.project_id, organisation_id=self.organiser_id
            ).exists()
        ):
            message = _("Choose a project the organising organisation takes part in.")
            add("project", ValidationError(message, code="invalid"))
        for field, message in rules.check_coordinates(self.latitude, self.longitude).items():
            add(field, ValidationError(message, code="invalid"))
        if "start" not in errors and self.start is not None and self.timezone in available_timezones():
            zone = self.zone
            if self.rrule:
                local_start = self.start.astimezone(zone)
                try:
                    if self.origin == Origin.FEED:
                        parse_rule(self.rrule, local_start, all_day=self.all_day)
                    else:
                        validate_bounded_rule(self.rrule, local_start, all_day=self.all_day)
                except ValidationError as exc:
                    add("rrule", exc)
            for field, label in (("rdates", _("Extra dates")), ("exdates", _("Excluded dates"))):
                try:
                    rules.parse_instant_list(getattr(self, field), zone=zone, field_label=label)
                except ValidationError as exc:
                    add(field, exc)
        if errors:
            raise ValidationError(errors)

    def normalise(self, *, html_is_sanitised: bool = False, text: str | None = None) -> None:
        """Bring every field into the one stored form; never raises, so bulk writers can call it.

        The importer passes ``html_is_sanitised`` and the description's ``text`` when it already
        made both through the one sanitiser, so a 10,000-event feed does not pay for them twice.

        Whole seconds (iCalendar has no fractions; a fraction would make RRULE occurrences miss
        their DTSTART), single-line text without control characters, the description through
        the one sanitiser with its plain text beside it, the rule with UNTIL in the form RFC
        5545 wants, RDATE/EXDATE as UTC instants and ``series_end`` true.
        """
        if self.start is not None:
            self.start = self.start.replace(microsecond=0)
        if self.end is not None:
            self.end = self.end.replace(microsecond=0)
        for name in SINGLE_LINE_FIELDS:
            setattr(self, name, rules.clean_line(getattr(self, name) or ""))
        if not html_is_sanitised:
            self.description = sanitise_html(self.description or "")
        self.description_text = text if text is not None else html_to_text(self.description)
        self.search_text = fold_all([self.title, self.description_text, self.venue, self.city])
        if self.timezone in available_timezones():
            zone = self.zone
            if self.rrule:
                # clean() refuses a bad rule on every checked path; an unreadable one expands to DTSTART only
                with contextlib.suppress(ValidationError):
                    self.rrule = rules.normalise_rrule(self.rrule, zone=zone, all_day=self.all_day)
            for name in ("rdates", "exdates"):
                with contextlib.suppress(ValidationError):
                    setattr(self, name, rules.parse_instant_list(getattr(self, name), zone=zone, field_label=name))
        if self.start is not None and self.end is not None:
            self.series_end = series_end_of(self)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule or self.rdates)

    @property
    def rule_in_words(self) -> str:
        """The repeat rule as a person reads it, in the active language ("Repeats" if odd)."""
        if not self.is_recurring:
            return ""
        return describe_rule(self.rrule, start=self.local_start, all_day=self.all_day) or gettext("Repeats")

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
    def last_day(self) -> datetime.date:
        """The last day the event is on: an all-day event ends at the next midnight (RFC 5545's
        exclusive DTEND), so a one-day event on 4 April reads "4 April", not "4 April to 5 April"."""
        end = self.local_end
        if self.all_day:
            return max((end - datetime.timedelta(days=1)).date(), self.local_start.date())
        return end.date()

    @property
    def is_online(self) -> bool:
        return self.attendance_mode in (AttendanceMode.ONLINE, AttendanceMode.MIXED)

    @property
    def is_in_person(self) -> bool:
        return self.attendance_mode in (AttendanceMode.OFFLINE, AttendanceMode.MIXED)


# What calendar clients show of an event: a change to any of these raises SEQUENCE.
VISIBLE_FIELDS = (
    "title", "description", "start", "end", "timezone", "all_day", "rrule", "rdates", "exdates", "status",
    "venue", "address", "city", "country", "room", "online_url", "latitude", "longitude",
)  # fmt: skip
SINGLE_LINE_FIELDS = ("uid", "title", "venue", "address", "city", "room", "track")


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

    def shown_to(self, viewer) -> tuple[str, str | None]:
        """(name, profile URL or None) as ``viewer`` may see them.

        A member who keeps their profile to members is, for anyone else, neither named nor
        linked; one who opted out of speaker lists is named to nobody; a guest speaker (no
        profile) is named as the organiser typed them.
        """
        if self.profile_id is None:
            return self.name, None
        profile = self.profile
        signed_in = viewer is not None and viewer.is_authenticated
        if not profile.user.is_active:
            return self.name or gettext("a former member"), None
        if not profile.in_speaker_lists:
            # The member chose not to be named in speaker lists: not even the typed name.
            return gettext("a Praxis member"), None
        if profile.visibility == Visibility.PUBLIC or signed_in:
            return profile.display_name, profile.get_absolute_url()
        return gettext("a Praxis member"), None
