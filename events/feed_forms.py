"""The form an organisation's admins and editors use to add or change a partner feed.

Validation lives in the model (``Feed.clean`` refuses unsafe URLs) and in
``events.federation.feeds.save_feed``; the form only offers the choices.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Feed

POLL_CHOICES = [
    (15, _("every 15 minutes")),
    (30, _("every 30 minutes")),
    (60, _("every hour")),
    (180, _("every 3 hours")),
    (360, _("every 6 hours")),
    (720, _("every 12 hours")),
    (1440, _("once a day")),
]


class FeedForm(forms.ModelForm):
    poll_minutes = forms.TypedChoiceField(label=_("Fetch"), choices=POLL_CHOICES, coerce=int, initial=60)
    # A CharField: the model's URLField refuses webcal://, which calendar sites hand out; clean_url converts it.
    url = forms.CharField(
        label=_("Feed URL"),
        max_length=1000,
        help_text=_("The calendar's iCal/ICS address (webcal:// works too)."),
        widget=forms.URLInput(attrs={"placeholder": "https://calendar.example.org/events.ics"}),
    )

    class Meta:
        model = Feed
        fields = [
            "name",
            "url",
            "default_timezone",
            "default_language",
            "default_themes",
            "default_sectors",
            "is_active",
        ]
        widgets = {
            "default_themes": forms.CheckboxSelectMultiple,
            "default_sectors": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "default_timezone": _("For events whose times carry no zone, e.g. Europe/Madrid."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["poll_minutes"].initial = int(self.instance.poll_interval.total_seconds() // 60)

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        return "https://" + url[len("webcal://") :] if url.lower().startswith("webcal://") else url

    def _post_clean(self) -> None:
        # Model validation (the URL check resolves DNS) runs once, in save_feed.
        pass

    def feed_values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}
        values["poll_interval"] = dt.timedelta(minutes=self.cleaned_data["poll_minutes"])
        return values
