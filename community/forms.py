from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from community.country_counts import country_choices
from community.members import ensure_profile
from community.models import Language, Profile, Role, Sector, Theme


def https_formfield(field: models.Field, **kwargs) -> forms.Field | None:
    """ModelForm ``formfield_callback``: a scheme-less address typed in a form means https."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class PrivacyForm(forms.ModelForm):
    """The privacy page; saved through ``community.privacy.update_privacy_choices``, never ``save()``."""

    notification_emails = forms.BooleanField(
        label=_("Email me a digest of my notifications (replies, mentions, story decisions)"), required=False
    )

    class Meta:
        model = Profile
        fields = ["visibility", "in_directory", "in_speaker_lists", "in_organisation_lists", "quotable"]
        widgets = {"visibility": forms.RadioSelect}


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form; allauth calls ``signup`` after creating the user."""

    display_name = forms.CharField(
        label=_("Your name as others see it"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    country = LazyTypedChoiceField(label=_("Country"), choices=[("", "—"), *countries], required=False)

    def signup(self, request, user) -> None:
        profile = ensure_profile(user=user, display_name=self.cleaned_data["display_name"])
        if self.cleaned_data.get("country"):
            profile.country = self.cleaned_data["country"]
            profile.save(update_fields=["country", "updated"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        formfield_callback = https_formfield
        fields = [
            "display_name",
            "headline",
            "country",
            "sectors",
            "languages",
            "themes",
            "bio",
            "avatar",
            "website",
            "links",
        ]
        widgets = {
            "sectors": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "languages": forms.SelectMultiple(attrs={"size": 8}),
            "bio": forms.Textarea(attrs={"rows": 8}),
            "links": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_links(self) -> str:
        validator = forms.URLField(assume_scheme="https")
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        for line in lines:
            try:
                validator.clean(line)
            except forms.ValidationError as exc:
                raise forms.ValidationError(_("“%(line)s” is not a web address."), params={"line": line}) from exc
        if len(lines) > 10:
            raise forms.ValidationError(_("At most 10 links."))
        return "\n".join(lines)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("What the key is for"), max_length=100, initial="website sync")
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a key that works until it is revoked."),
    )


class PersonalTokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=100, initial="my script")
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a token that works until you revoke it."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MemberFilterForm(forms.Form):
    """The member directory's filters; unknown values are form errors, never a 500."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = LazyTypedChoiceField(label=_("Country"), choices=[("", _("Any country")), *countries], required=False)
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any sector"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any theme"),
    )
    language = forms.ModelChoiceField(
        label=_("Language"),
        queryset=Language.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Any language"),
    )

    def __init__(self, *args, country_counts: list[tuple[str, str, int]] | None = None, **kwargs):
        """``country_counts`` (``community.country_counts``): the select then offers only the
        countries that have members, with how many; any real code is still accepted."""
        super().__init__(*args, **kwargs)
        if country_counts is not None:
            selected = (self.data.get("country") or "").upper() if self.is_bound else ""
            self.fields["country"].widget.choices = [
                ("", _("Any country")),
                *country_choices(country_counts, selected=selected),
            ]


class DeleteAccountForm(forms.Form):
    """Re-enter the password (when the account has one) and say what happens to contributions."""

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    remove_contributions = forms.BooleanField(
        label=_("Also remove my discussion posts and chat messages (otherwise they stay as “a former member”)"),
        required=False,
    )
    confirm = forms.BooleanField(label=_("I understand this cannot be undone"))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password
