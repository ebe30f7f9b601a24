"""Event forms: the front-end form and the Wagtail admin's share the local-time fields and
every rule (the rules themselves live in ``Event.clean()``; saving goes through
``events.writing.save_event``), so both refuse the same input with the same message."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from community.forms import https_formfield
from events import rules
from events.models import Event
from events.models.events import available_timezones
from events.writing import conferences_open_to, organisations_editable_by, projects_open_to, save_event

TIMEZONE_CHOICES = [(tz, tz.replace("_", " ")) for tz in sorted(available_timezones()) if "/" in tz or tz == "UTC"]
RRULE_HELP = _("Optional, e.g. FREQ=WEEKLY;COUNT=10 or FREQ=MONTHLY;BYDAY=1TU;UNTIL=20271231.")

# Model errors on start/end belong to whichever local field the person typed.
_TIMED_FIELDS = {"start": "start_local", "end": "end_local"}
_ALL_DAY_FIELDS = {"start": "start_date", "end": "end_date"}


class LocalTimesMixin(forms.Form):
    """Times typed in the event's own zone (or first and last day), turned into instants here."""

    start_local = forms.DateTimeField(
        label=_("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        required=False,
        help_text=_("In the event's time zone. Required unless the event is all day."),
    )
    end_local = forms.DateTimeField(
        label=_("Ends"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        required=False,
        help_text=_("In the event's time zone. Required unless the event is all day."),
    )
    start_date = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
        help_text=_("For all-day events."),
    )
    end_date = forms.DateField(
        label=_("Last day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
        help_text=_("For all-day events; leave empty for one day."),
    )
    timezone = forms.ChoiceField(label=_("Time zone"), choices=TIMEZONE_CHOICES, initial="Europe/Brussels")

    actor = None  # who is writing: the front-end form's user, the admin form's for_user

    def clean(self):
        data = super().clean()
        self.clean_local_times(data)
        return data

    def save(self, commit: bool = True) -> Event:
        """Through the one write path (``save_event``): permissions, rules, themes and sectors."""
        event = super().save(commit=False)
        if commit:
            save_event(
                actor=self.actor,
                event=event,
                themes=self.cleaned_data.get("themes"),
                sectors=self.cleaned_data.get("sectors"),
            )
        return event

    def _initial_local_times(self) -> None:
        instance = self.instance
        if instance.pk is None or instance.start is None:
            return
        zone = instance.zone
        if instance.all_day:
            self.initial["start_date"] = instance.start.astimezone(zone).date()
            self.initial["end_date"] = (instance.end.astimezone(zone) - dt.timedelta(days=1)).date()
        else:
            self.initial["start_local"] = instance.start.astimezone(zone).replace(tzinfo=None)
            self.initial["end_local"] = instance.end.astimezone(zone).replace(tzinfo=None)

    def _local_field(self, model_field: str) -> str:
        mapping = _ALL_DAY_FIELDS if self.cleaned_data.get("all_day") else _TIMED_FIELDS
        return mapping.get(model_field, model_field)

    def _update_errors(self, errors: ValidationError) -> None:
        """Put the model's start/end errors on the fields the person typed."""
        if hasattr(errors, "error_dict"):
            remapped = {}
            typed = ("timezone", *_TIMED_FIELDS.values(), *_ALL_DAY_FIELDS.values())
            times_refused = any(name in self._errors for name in typed)
            for field, messages in errors.error_dict.items():
                if field in _TIMED_FIELDS and times_refused:
                    continue  # the person already sees why there is no start or end
                target = self._local_field(field)
                if target not in self.fields and target != NON_FIELD_ERRORS:
                    target = NON_FIELD_ERRORS
                remapped.setdefault(target, []).extend(messages)
            errors = ValidationError(remapped)
        super()._update_errors(errors)

    def clean_local_times(self, data: dict) -> None:
        """Set the instance's start and end from the local fields, or add errors to them."""
        tz_name = data.get("timezone")
        if not tz_name:
            return
        zone = zoneinfo.ZoneInfo(tz_name)
        if data.get("all_day"):
            first, last = data.get("start_date"), data.get("end_date") or data.get("start_date")
            if not first:
                self.add_error("start_date", _("Enter the first day."))
                return
            for field, value in (("start_date", first), ("end_date", last)):
                try:
                    rules.check_in_range(value, field_label=self.fields[field].label)
                except ValidationError as exc:
                    self.add_error(field, exc)
                    return
            if last < first:
                self.add_error("end_date", _("The last day cannot be before the first day."))
                return
            start = dt.datetime.combine(first, dt.time(), tzinfo=zone)
            end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        else:
            start_local, end_local = data.get("start_local"), data.get("end_local")
            if not start_local:
                self.add_error("start_local", _("Enter when the event starts."))
            if not end_local:
                self.add_error("end_local", _("Enter when the event ends."))
            if not (start_local and end_local):
                return
            resolved = {}
            for field, value in (("start_local", start_local), ("end_local", end_local)):
                try:
                    rules.check_in_range(value, field_label=self.fields[field].label)
                    resolved[field] = rules.resolve_local(value, zone)
                except ValidationError as exc:
                    self.add_error(field, exc)
            if len(resolved) < 2:
                return
            start, end = resolved["start_local"], resolved["end_local"]
        self.instance.start, self.instance.end = start, end


class EventForm(LocalTimesMixin, forms.ModelForm):
    """Front-end event form. Times are typed in the event's own time zone."""

    class Meta:
        model = Event
        formfield_callback = https_formfield
        fields = [
            "start_local", "end_local", "all_day", "start_date", "end_date", "timezone", "rrule",
            "organiser", "kind", "parent", "title", "description", "status",
            "attendance_mode", "venue", "address", "city", "country", "latitude", "longitude", "online_url",
            "room", "track", "language", "themes", "sectors", "url", "image", "project",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "themes": forms.CheckboxSelectMultiple,
            "sectors": forms.CheckboxSelectMultiple,
        }
        help_texts = {"rrule": RRULE_HELP}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = user
        if user is not None:
            self.fields["organiser"].queryset = organisations_editable_by(user)
            self.fields["parent"].queryset = conferences_open_to(user).select_related("organiser")
            self.fields["project"].queryset = projects_open_to(user)
        self.fields["parent"].required = False
        self._initial_local_times()


class EventAdminForm(LocalTimesMixin, WagtailAdminModelForm):
    """The Wagtail snippet form: the same local-time fields and rules, saved by ``save_event``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "parent" in self.fields:
            self.fields["parent"].queryset = conferences_open_to(self.for_user).select_related("organiser")
        if self.for_user is not None and "organiser" in self.fields:
            self.fields["organiser"].queryset = organisations_editable_by(self.for_user)
        if self.for_user is not None and "project" in self.fields:
            self.fields["project"].queryset = projects_open_to(self.for_user)
        if "timezone" in self.fields and self.instance.pk:
            self.initial["timezone"] = self.instance.timezone
        self._initial_local_times()

    @property
    def actor(self):
        return self.for_user
