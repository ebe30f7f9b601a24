"""Event forms: the front-end form and the Wagtail admin's share the local-time fields and
every rule (the rules themselves live in ``Event.clean()``; saving goes through
``events.writing.save_event``), so both refuse the same input with the same message."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from community.forms import https_formfield
from community.models import Organisation
from events import rules
from events.models import Event
from events.repeat_compose import WEEKDAY_CODES, compose_rule, decompose_rule
from events.writing import conferences_open_to, organisations_editable_by, projects_open_to, save_event
from events.zones import DEFAULT_ZONE, zone_choices, zone_for_country

RRULE_HELP = _(
    "For experts, used when Repeats is “Custom rule”: an iCalendar RRULE, "
    "e.g. FREQ=WEEKLY;COUNT=10 or FREQ=MONTHLY;BYDAY=1TU;UNTIL=20271231."
)
REPEAT_CHOICES = [
    ("none", _("Does not repeat")),
    ("daily", _("Daily")),
    ("weekly", _("Weekly")),
    ("monthly", _("Monthly")),
    ("yearly", _("Yearly")),
    ("custom", _("Custom rule (advanced)")),
]
MONTHLY_CHOICES = [
    ("date", _("On the same date (e.g. the 5th)")),
    ("nth", _("On the same weekday (e.g. the first Tuesday)")),
    ("last", _("On the last such weekday of the month")),
]
ENDS_CHOICES = [("never", _("Never")), ("count", _("After a number of times")), ("until", _("On a date"))]
# Which repeat choices each part of the widget belongs to (js/repeat.js shows only those).
_SHOWN_FOR = {
    "repeat_interval": "daily weekly monthly yearly",
    "repeat_weekdays": "weekly",
    "repeat_monthly": "monthly",
    "repeat_ends": "daily weekly monthly yearly",
    "repeat_count": "daily weekly monthly yearly",
    "repeat_until": "daily weekly monthly yearly",
    "rrule": "custom",
}
REPEAT_FIELDS = ("repeat", *_SHOWN_FOR)

# Fields that mean something only for a conference session.
SESSION_ONLY = ("room", "track")

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
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=zone_choices,
        initial=DEFAULT_ZONE,
        help_text=_("The zone the times above are in; it starts as the organisation's."),
    )
    repeat = forms.ChoiceField(label=_("Repeats"), choices=REPEAT_CHOICES, required=False, initial="none")
    repeat_interval = forms.IntegerField(
        label=_("Every"),
        min_value=1,
        max_value=99,
        required=False,
        initial=1,
        help_text=_("1 for every day, week, month or year; 2 for every other one, and so on."),
    )
    repeat_weekdays = forms.MultipleChoiceField(
        label=_("On these days"),
        choices=[(code, WEEKDAYS[i]) for i, code in enumerate(WEEKDAY_CODES)],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Weekly only; none chosen means the start's weekday."),
    )
    repeat_monthly = forms.ChoiceField(
        label=_("Each month"),
        choices=MONTHLY_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        initial="date",
        help_text=_("Monthly only; taken from the start date."),
    )
    repeat_ends = forms.ChoiceField(
        label=_("Ends"), choices=ENDS_CHOICES, widget=forms.RadioSelect, required=False, initial="count"
    )
    repeat_count = forms.IntegerField(label=_("Number of times"), min_value=1, required=False)
    repeat_until = forms.DateField(
        label=_("Last date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False
    )

    actor = None  # who is writing: the front-end form's user, the admin form's for_user

    class Media:
        js = ("js/repeat.js", "js/event-form.js")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_local", "end_local", "start_date"):
            if name in self.fields:  # required or not by "All day": never labelled "(optional)"
                self.fields[name].required_when = True
        for name, shown_for in _SHOWN_FOR.items():
            if name in self.fields:
                self.fields[name].widget.attrs["data-repeat-show"] = shown_for
        if "repeat" in self.fields:
            self.fields["repeat"].widget.attrs["data-repeat"] = ""
        for name in SESSION_ONLY:  # js/event-form.js shows them only while Kind is "Session"
            if name in self.fields:
                self.fields[name].widget.attrs["data-kinds"] = "session"

    def offer_organisations(self, organisations: QuerySet[Organisation]) -> None:
        """The organisations this person may publish for, each with its zone: a new event's
        zone starts as its organisation's (js/event-form.js follows a change of organiser
        until the person picks a zone themselves)."""
        if "organiser" not in self.fields:
            return
        self.fields["organiser"].queryset = organisations
        zones = {str(pk): zone_for_country(country) for pk, country in organisations.values_list("pk", "country")}
        self.fields["organiser"].widget.attrs["data-zones"] = json.dumps(zones, sort_keys=True)
        if self.instance.pk is None and "timezone" in self.fields and not self.is_bound:
            chosen = self.initial.get("organiser")
            if chosen is None and len(zones) == 1:
                chosen = next(iter(zones))
            chosen = getattr(chosen, "pk", chosen)
            if chosen is not None and str(chosen) in zones:
                self.initial["timezone"] = zones[str(chosen)]

    def clean(self):
        data = super().clean()
        self.clean_local_times(data)
        self.compose_repeat_rule(data)
        return data

    def _composes_rule(self) -> bool:
        """True when the widget, not the raw field, says how the event repeats."""
        return self.cleaned_data.get("repeat") not in ("", None, "custom")

    def compose_repeat_rule(self, data: dict) -> None:
        """Compose ``rrule`` from the widget's plain fields (no JavaScript needed).

        "Custom rule" keeps the raw RRULE as typed; a form posted without the widget (a script,
        an old page) and a raw rule also keeps it. The composed rule is then validated by the
        model exactly as a typed one is.
        """
        repeat = data.get("repeat") or ""
        if repeat in ("", "custom"):
            return
        if repeat == "none":
            data["rrule"] = ""
            return
        ends = data.get("repeat_ends") or "count"
        data["rrule"] = ""  # until composed: a leftover raw rule must not be judged instead
        needed = {"count": ("repeat_count", _("Enter how many times the event happens.")),
                  "until": ("repeat_until", _("Enter the last date the event may happen on."))}  # fmt: skip
        if ends in needed:
            field, message = needed[ends]
            if field in self.errors:
                return
            if not data.get(field):
                self.add_error(field, message)
                return
        start = self.instance.start
        if start is None or not data.get("timezone"):
            return  # the start's own error says what is missing
        local_start = start.astimezone(zoneinfo.ZoneInfo(data["timezone"]))
        data["rrule"] = compose_rule(
            frequency=repeat,
            start=local_start.date(),
            interval=data.get("repeat_interval") or 1,
            weekdays=data.get("repeat_weekdays") or (),
            monthly_by=data.get("repeat_monthly") or "date",
            ends=ends,
            count=data.get("repeat_count"),
            until=data.get("repeat_until"),
        )

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
        choices = decompose_rule(instance.rrule, start=instance.start.astimezone(zone), all_day=instance.all_day)
        self.initial.update(choices or {"repeat": "custom"})
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
                if target == "rrule" and self._composes_rule():
                    target = "repeat"  # the person chose, not typed, the rule
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
            "start_local", "end_local", "all_day", "start_date", "end_date", "timezone",
            "repeat", "repeat_interval", "repeat_weekdays", "repeat_monthly", "repeat_ends", "repeat_count",
            "repeat_until", "rrule",
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
        labels = {"rrule": _("Custom rule (RRULE)")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = user
        if user is not None:
            self.offer_organisations(organisations_editable_by(user))
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
        if self.for_user is not None:
            self.offer_organisations(organisations_editable_by(self.for_user))
        if self.for_user is not None and "project" in self.fields:
            self.fields["project"].queryset = projects_open_to(self.for_user)
        if "timezone" in self.fields and self.instance.pk:
            self.initial["timezone"] = self.instance.timezone
        self._initial_local_times()

    @property
    def actor(self):
        return self.for_user
