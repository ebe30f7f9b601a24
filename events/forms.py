from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from community.forms import https_formfield
from community.models import Organisation
from events.models import Event
from events.models.events import available_timezones
from events.recurrence import validate_bounded_rule

TIMEZONE_CHOICES = [(tz, tz.replace("_", " ")) for tz in sorted(available_timezones()) if "/" in tz or tz == "UTC"]


class EventForm(forms.ModelForm):
    """Front-end event form. Times are typed in the event's own time zone."""

    start_local = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), required=False
    )
    end_local = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), required=False
    )
    start_date = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}), required=False)
    end_date = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}), required=False)
    timezone = forms.ChoiceField(label=_("Time zone"), choices=TIMEZONE_CHOICES, initial="Europe/Brussels")

    class Meta:
        model = Event
        formfield_callback = https_formfield
        fields = [
            "organiser", "kind", "parent", "title", "description", "all_day", "timezone", "rrule", "status",
            "attendance_mode", "venue", "address", "city", "country", "latitude", "longitude", "online_url",
            "room", "track", "language", "themes", "sectors", "url", "image",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "themes": forms.CheckboxSelectMultiple,
            "sectors": forms.CheckboxSelectMultiple,
        }
        help_texts = {"rrule": _("Optional, e.g. FREQ=WEEKLY;COUNT=10 or FREQ=MONTHLY;BYDAY=1TU;UNTIL=20271231.")}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organiser"].queryset = organisations
        self.fields["parent"].queryset = Event.objects.filter(kind="conference", removed_at__isnull=True)
        self.fields["parent"].required = False
        if self.instance.pk:
            zone = self.instance.zone
            if self.instance.all_day:
                self.initial["start_date"] = self.instance.start.astimezone(zone).date()
                self.initial["end_date"] = (self.instance.end.astimezone(zone) - dt.timedelta(days=1)).date()
            else:
                self.initial["start_local"] = self.instance.start.astimezone(zone).replace(tzinfo=None)
                self.initial["end_local"] = self.instance.end.astimezone(zone).replace(tzinfo=None)

    def clean(self):
        data = super().clean()
        tz_name = data.get("timezone")
        if not tz_name:
            return data
        zone = zoneinfo.ZoneInfo(tz_name)
        if data.get("all_day"):
            first, last = data.get("start_date"), data.get("end_date") or data.get("start_date")
            if not first:
                self.add_error("start_date", _("Enter the first day."))
                return data
            if last < first:
                self.add_error("end_date", _("The last day cannot be before the first day."))
                return data
            start = dt.datetime.combine(first, dt.time(), tzinfo=zone)
            end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        else:
            start_local, end_local = data.get("start_local"), data.get("end_local")
            if not start_local:
                self.add_error("start_local", _("Enter when the event starts."))
            if not end_local:
                self.add_error("end_local", _("Enter when the event ends."))
            if not (start_local and end_local):
                return data
            start = start_local.replace(tzinfo=None).replace(tzinfo=zone)
            end = end_local.replace(tzinfo=None).replace(tzinfo=zone)
            if end <= start:
                self.add_error("end_local", _("The end must be after the start."))
                return data
        self.instance.start, self.instance.end = start, end
        if data.get("rrule"):
            try:
                validate_bounded_rule(data["rrule"], start)
            except ValidationError as exc:
                self.add_error("rrule", exc)
        if data.get("kind") == "session" and not data.get("parent"):
            self.add_error("parent", _("A session belongs to a conference: choose it."))
        if data.get("parent") and data.get("kind") != "session":
            self.add_error("kind", _("Only sessions belong to a conference."))
        if data.get("attendance_mode") in ("online", "mixed") and not data.get("online_url"):
            self.add_error("online_url", _("An online event needs the address where people join."))
        return data

    def save(self, commit: bool = True) -> Event:
        event = super().save(commit=False)
        if commit:
            event.save()
            self.save_m2m()
        return event


def organisations_editable_by(user) -> forms.QuerySet:
    if user.is_superuser or user.has_perm("events.change_event"):
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user=user, memberships__role__in=["admin", "editor"])
