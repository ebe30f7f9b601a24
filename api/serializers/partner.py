"""What partners send and get back under ``/api/v1/partner/``.

Input is checked here for shape (types, lengths, choices) and by
``events.federation.normalise.incoming_from_fields`` for meaning (time zone, end after
start, URL schemes, RRULE), the same rules an iCalendar import follows.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from rest_framework import serializers

from api.serializers import local_iso, zone_named
from events.models import Event, EventStatus, Feed, ImportRun
from events.models.feeds import MAX_POLL_INTERVAL, MIN_POLL_INTERVAL


class PartnerEventInputSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=255, help_text="Your iCalendar UID; any characters (`@`, `/`, spaces).")
    title = serializers.CharField(max_length=250)
    description = serializers.CharField(required=False, allow_blank=True, default="", help_text="HTML; sanitised.")
    start = serializers.DateTimeField(help_text="ISO 8601 with offset, e.g. 2027-03-10T10:00:00+01:00.")
    end = serializers.DateTimeField(help_text="ISO 8601 with offset; exclusive for all-day events.")
    timezone = serializers.CharField(max_length=64, help_text="IANA name, e.g. Europe/Madrid.")
    all_day = serializers.BooleanField(required=False, default=False)
    status = serializers.ChoiceField(choices=EventStatus.choices, required=False, default=EventStatus.CONFIRMED)
    sequence = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text="Your version number; lower than the stored one answers 409. Omit it to let Praxis count.",
    )
    url = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    venue = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    online_url = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    rrule = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class PartnerEventPatchSerializer(PartnerEventInputSerializer):
    """Every field optional; the UID comes from the path."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("uid")
        for field in self.fields.values():
            field.required = False
            if hasattr(field, "default"):
                field.default = serializers.empty


class PartnerEventSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    uid = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, help_text="Sanitised HTML.")
    start = serializers.DateTimeField(read_only=True, help_text="In `timezone`, with offset.")
    end = serializers.DateTimeField(read_only=True)
    all_day = serializers.BooleanField(read_only=True)
    timezone = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=EventStatus.choices, read_only=True)
    sequence = serializers.IntegerField(read_only=True)
    origin = serializers.CharField(read_only=True)
    rrule = serializers.CharField(read_only=True, allow_blank=True)
    url = serializers.CharField(read_only=True, allow_blank=True)
    venue = serializers.CharField(read_only=True, allow_blank=True)
    online_url = serializers.CharField(read_only=True, allow_blank=True)
    html_url = serializers.URLField(read_only=True, help_text="The event's page on Praxis.")

    def to_representation(self, event: Event) -> dict:
        zone = zone_named(event.timezone)
        request = self.context.get("request")
        path = reverse("event-detail", kwargs={"pk": event.pk})
        return {
            "id": event.pk,
            "uid": event.uid,
            "title": event.title,
            "description": event.description,
            "start": local_iso(event.start, zone),
            "end": local_iso(event.end, zone),
            "all_day": event.all_day,
            "timezone": event.timezone,
            "status": event.status,
            "sequence": event.sequence,
            "origin": event.origin,
            "rrule": event.rrule,
            "url": event.url,
            "venue": event.venue,
            "online_url": event.online_url,
            "html_url": request.build_absolute_uri(path) if request else path,
        }


class BulkItemResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    status = serializers.IntegerField(help_text="201 created, 200 updated, 400 invalid, 409 stale or UID taken.")
    uid = serializers.CharField(allow_blank=True)
    event = PartnerEventSerializer(required=False)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class BulkResultSerializer(serializers.Serializer):
    results = BulkItemResultSerializer(many=True)


class ImportProblemSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["error", "warning"])
    kind = serializers.CharField()
    position = serializers.IntegerField(allow_null=True, help_text="1-based place of the VEVENT in the file.")
    uid = serializers.CharField(allow_blank=True)
    property = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class ImportRunSerializer(serializers.ModelSerializer):
    feed = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    problems = ImportProblemSerializer(many=True, read_only=True)

    class Meta:
        model = ImportRun
        fields = [
            "id", "feed", "source", "outcome", "started", "finished", "duration_ms", "http_status", "bytes", "url",
            "events_in_source", "blocks_parsed", "created", "updated", "unchanged", "cancelled", "removed", "failed",
            "message", "problems", "problem_total",
        ]  # fmt: skip
        read_only_fields = fields


class FeedSerializer(serializers.ModelSerializer):
    poll_interval_minutes = serializers.IntegerField(
        min_value=int(MIN_POLL_INTERVAL.total_seconds() // 60),
        max_value=int(MAX_POLL_INTERVAL.total_seconds() // 60),
        required=False,
        default=60,
    )
    state = serializers.CharField(read_only=True, help_text="new, ok, failing, paused or off.")
    url = serializers.CharField(
        max_length=1000, help_text="http(s) or webcal; refused if it points into a private network."
    )

    class Meta:
        model = Feed
        fields = [
            "id", "name", "url", "is_active", "poll_interval_minutes", "default_timezone", "state",
            "last_success_at", "last_error", "last_error_at", "consecutive_failures", "next_poll_at", "paused_at",
        ]  # fmt: skip
        read_only_fields = [
            "state", "last_success_at", "last_error", "last_error_at", "consecutive_failures", "next_poll_at",
            "paused_at",
        ]  # fmt: skip

    def to_representation(self, feed: Feed) -> dict:
        data = super().to_representation(feed)
        data["poll_interval_minutes"] = int(feed.poll_interval.total_seconds() // 60)
        return data

    def feed_values(self) -> dict:
        values = {k: v for k, v in self.validated_data.items() if k != "poll_interval_minutes"}
        if "poll_interval_minutes" in self.validated_data:
            values["poll_interval"] = dt.timedelta(minutes=self.validated_data["poll_interval_minutes"])
        url = values.get("url", "")
        if url.lower().startswith("webcal://"):
            values["url"] = "https://" + url[len("webcal://") :]
        return values
