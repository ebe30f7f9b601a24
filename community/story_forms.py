"""The member's story form: plain fields a member can fill in without the Wagtail admin."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from community.models import Licence, Organisation, Project, Sector, TargetGroup, Theme
from community.models.stories import SUMMARY_MAX_CHARS
from community.stories import StoryDraft

BODY_MAX_CHARS = 50_000


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("Language of the story"), choices=settings.LANGUAGES)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences: what you did and why it worked."),
    )
    body_markdown = forms.CharField(
        label=_("The story"),
        max_length=BODY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown: **bold**, *italic*, lists, [links](https://example.org), ## headings."),
    )
    outcome_before = forms.CharField(
        label=_("What changed: before"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome_after = forms.CharField(
        label=_("What changed: after"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome_evidence = forms.CharField(
        label=_("What changed: how you know"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    video_url = forms.URLField(label=_("Video (YouTube or Vimeo address)"), required=False, assume_scheme="https")
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"), queryset=Sector.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.MultipleChoiceField(label=_("Countries"), choices=countries, required=False)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"), queryset=Organisation.objects.all(), required=False
    )
    project = forms.ModelChoiceField(label=_("EU project"), queryset=Project.objects.all(), required=False)
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices, initial=Licence.CC_BY)

    def __init__(self, *args, user, locked_language: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Picking an organisation is a claim to speak for it: only one's own organisations.
        self.fields["organisations"].queryset = Organisation.objects.filter(memberships__user=user).distinct()
        self.fields["organisations"].help_text = _("Organisations you belong to.")
        if locked_language:
            # A story's language is its Wagtail locale; a translation is a separate page.
            self.fields["language"].disabled = True
            self.initial["language"] = locked_language

    def to_draft(self) -> StoryDraft:
        data = self.cleaned_data
        return StoryDraft(
            title=data["title"],
            summary=data["summary"],
            body_markdown=data["body_markdown"],
            language=data["language"],
            outcome_before=data["outcome_before"],
            outcome_after=data["outcome_after"],
            outcome_evidence=data["outcome_evidence"],
            video_url=data["video_url"],
            licence=data["licence"],
            themes=list(data["themes"]),
            sectors=list(data["sectors"]),
            target_groups=list(data["target_groups"]),
            organisations=list(data["organisations"]),
            countries=list(data["countries"]),
            project=data["project"],
        )


def initial_from_story(story) -> dict[str, object]:
    """The form's starting values from a story's latest revision."""
    outcome = next((child.value for child in story.body if child.block_type == "outcome"), None)
    video = next((child.value for child in story.body if child.block_type == "video"), None)
    return {
        "title": story.title,
        "language": story.locale.language_code,
        "summary": story.summary,
        "body_markdown": story.body_markdown,
        "outcome_before": outcome["before"] if outcome else "",
        "outcome_after": outcome["after"] if outcome else "",
        "outcome_evidence": outcome["evidence"] if outcome else "",
        "video_url": video["url"] if video else "",
        "themes": list(story.themes.all()),
        "sectors": list(story.sectors.all()),
        "target_groups": list(story.target_groups.all()),
        "countries": [row.country.code for row in story.countries.all()],
        "organisations": list(story.organisations.all()),
        "project": story.project,
        "licence": story.licence,
    }
