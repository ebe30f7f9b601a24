"""Organisations: the partners whose events make up the shared calendar."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers import Links
from community.models import Organisation, OrganisationType


class OrganisationRefSerializer(serializers.Serializer):
    """An organisation as other objects name it (an event's organiser)."""

    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True, help_text="The organisation's page on Praxis.")


def organisation_ref(organisation: Organisation, links: Links) -> dict:
    return {"slug": organisation.slug, "name": organisation.name, "url": links.organisation_page(organisation.slug)}


class OrganisationSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True, help_text="Stable identifier, used in URLs and filters.")
    name = serializers.CharField(read_only=True)
    type = serializers.ChoiceField(choices=OrganisationType.choices, read_only=True)
    country = serializers.CharField(read_only=True, help_text="ISO 3166-1 alpha-2 code.")
    city = serializers.CharField(read_only=True, allow_blank=True)
    website = serializers.URLField(read_only=True, allow_blank=True, help_text="The organisation's own web site.")
    description = serializers.CharField(read_only=True, allow_blank=True, help_text="Plain text.")
    logo = serializers.URLField(read_only=True, allow_null=True)
    url = serializers.URLField(read_only=True, help_text="The organisation's page on Praxis.")
    calendar_url = serializers.URLField(read_only=True, help_text="iCalendar feed of the organisation's events.")
    events_url = serializers.URLField(read_only=True, help_text="This API's list of the organisation's events.")
    updated = serializers.DateTimeField(read_only=True)

    def to_representation(self, organisation: Organisation) -> dict:
        links: Links = self.context["links"]
        slug = organisation.slug
        return {
            "slug": slug,
            "name": organisation.name,
            "type": organisation.type,
            "country": organisation.country.code,
            "city": organisation.city,
            "website": organisation.website,
            "description": organisation.description,
            "logo": links.media(organisation.logo.name),
            "url": links.organisation_page(slug),
            "calendar_url": links.organisation_calendar(slug),
            "events_url": links.api_events_of(slug),
            "updated": organisation.updated.isoformat(),
        }
