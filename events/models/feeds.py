"""A partner's iCalendar feed, what each import run did, and which VEVENT block made each row.

The fetch and import logic lives in ``events.federation``; these models hold only the
state it needs between runs: the HTTP validators and body hash (so an unchanged feed
costs no parsing), the failure count and back-off (so a dead feed is paused, not hammered),
and one hash per imported VEVENT (so a feed with a few changed events parses only those).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import Language, Organisation, Sector, Theme
from events.models.events import Event, validate_timezone

MIN_POLL_INTERVAL = dt.timedelta(minutes=15)
DEFAULT_POLL_INTERVAL = dt.timedelta(hours=1)
MAX_POLL_INTERVAL = dt.timedelta(days=7)


class Feed(models.Model):
    """A partner's iCalendar feed that Praxis polls; events point here for provenance."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="feeds")
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("feed URL"), max_length=1000)
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    poll_interval = models.DurationField(
        _("poll interval"),
        default=DEFAULT_POLL_INTERVAL,
        validators=[MinValueValidator(MIN_POLL_INTERVAL), MaxValueValidator(MAX_POLL_INTERVAL)],
        help_text=_("How often Praxis fetches the feed: at least every 15 minutes, at most once a week."),
    )
    # Defaults for what the feed brings (iCalendar has no themes or sectors; floating times need a zone).
    default_timezone = models.CharField(
        _("time zone for floating times"), max_length=64, blank=True, validators=[validate_timezone]
    )
    default_language = models.ForeignKey(
        Language, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("language")
    )
    default_themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    default_sectors = models.ManyToManyField(Sector, blank=True, related_name="+", verbose_name=_("sectors"))

    # Polling state, written by events.federation.poll only.
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    paused_at = models.DateTimeField(null=True, blank=True, editable=False)
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified_header = models.CharField(max_length=100, blank=True, editable=False)
    body_hash = models.CharField(max_length=64, blank=True, editable=False)
    context_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.name}"

    def clean(self) -> None:
        from events.federation.fetch import FetchError, validate_feed_url

        super().clean()
        if self.url:
            try:
                validate_feed_url(self.url)
            except FetchError as exc:
                raise ValidationError({"url": str(exc)}) from exc

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    @property
    def state(self) -> str:
        if not self.is_active:
            return "off"
        if self.paused_at:
            return "paused"
        if self.consecutive_failures:
            return "failing"
        if self.last_success_at is None:
            return "new"
        return "ok"

    def forget_validators(self) -> None:
        """The next fetch reads and parses everything again (defaults changed, or an operator asks)."""
        self.etag = self.last_modified_header = self.body_hash = self.context_hash = ""


class ImportSource(models.TextChoices):
    POLL = "poll", _("scheduled poll")
    REFRESH = "refresh", _("refresh now")
    UPLOAD = "upload", _("API upload")
    COMMAND = "command", _("command line")


class ImportOutcome(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    PARTIAL = "partial", _("Imported, some events skipped")
    NOT_MODIFIED = "not_modified", _("Not modified (HTTP 304)")
    UNCHANGED = "unchanged", _("Unchanged (same content)")
    FAILED = "failed", _("Failed: nothing changed")
    QUEUED = "queued", _("Queued: waiting for the worker")


class ImportRun(models.Model):
    """One run of the import path, for the partner's report page, the admin and the API."""

    MAX_ERRORS = 200
    # Shown in the Wagtail admin as a snippet, but its references (organisation, feed) need no
    # index: without this every import run would enqueue a reference-index task.
    wagtail_reference_index_ignore = True

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="import_runs")
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, null=True, blank=True, related_name="runs")
    source = models.CharField(max_length=10, choices=ImportSource.choices)
    outcome = models.CharField(max_length=12, choices=ImportOutcome.choices)
    started = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    bytes = models.PositiveIntegerField(default=0)
    url = models.URLField(max_length=1000, blank=True)
    events_in_source = models.PositiveIntegerField(default=0)
    blocks_parsed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True, help_text=_("Why the whole run failed, when it did."))
    problems = models.JSONField(default=list, blank=True)  # at most MAX_ERRORS dicts, see events.federation.report
    problem_total = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started", "-id"]
        indexes = [models.Index(fields=["feed", "-started"]), models.Index(fields=["organisation", "-started"])]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"{self.organisation} {self.started:%Y-%m-%d %H:%M} {self.outcome}"


class ImportedBlock(models.Model):
    """The hash of the VEVENT block an imported row came from; an unchanged block is not parsed again."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, primary_key=True, related_name="imported_block")
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="blocks")
    block_hash = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["feed", "block_hash"])]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.block_hash}"


class PendingUpload(models.Model):
    """An uploaded calendar waiting for the task worker: the web request only stores it.

    Kept in the database (not in the task's arguments, which a queue should keep small)
    and deleted once its run is done.
    """

    run = models.OneToOneField(ImportRun, on_delete=models.CASCADE, primary_key=True, related_name="pending_upload")
    body = models.BinaryField()
    default_timezone = models.CharField(max_length=64, blank=True)
    origin = models.CharField(max_length=8)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"upload for run {self.run_id} ({len(self.body)} bytes)"
