"""Practice stories and EU project records."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers import Links
from community.models import PracticeStoryPage, Project, ProjectStatus


class StorySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True, help_text="Plain text.")
    language = serializers.CharField(read_only=True, help_text="The story's locale (en, es, sl).")
    url = serializers.URLField(read_only=True, help_text="The story's page on Praxis.")
    authors = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="Display names.")
    themes = serializers.ListField(child=serializers.SlugField(), read_only=True)
    project = serializers.SlugField(read_only=True, allow_null=True)
    licence = serializers.CharField(read_only=True)
    published = serializers.DateTimeField(read_only=True, allow_null=True)
    translation_key = serializers.UUIDField(read_only=True, help_text="Shared by a story and its translations.")

    def to_representation(self, story: PracticeStoryPage) -> dict:
        links: Links = self.context["links"]
        return {
            "id": story.pk,
            "title": story.title,
            "summary": story.summary,
            "language": story.locale.language_code,
            "url": links.origin + (story.url or ""),
            "authors": [author.display_name for author in story.authors.all()],
            "themes": [theme.slug for theme in story.themes.all()],
            "project": story.project.slug if story.project_id else None,
            "licence": story.licence,
            "published": story.first_published_at.isoformat() if story.first_published_at else None,
            "translation_key": str(story.translation_key),
        }


class StoryDetailSerializer(StorySerializer):
    body_html = serializers.CharField(read_only=True, help_text="The story's body as sanitised HTML.")
    body_text = serializers.CharField(read_only=True, help_text="The body as plain text.")
    sectors = serializers.ListField(child=serializers.SlugField(), read_only=True)
    countries = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="ISO 3166 codes.")
    organisations = serializers.ListField(child=serializers.SlugField(), read_only=True)
    discussion = serializers.IntegerField(read_only=True, allow_null=True, help_text="Thread id, if discussed.")

    def to_representation(self, story: PracticeStoryPage) -> dict:
        row = super().to_representation(story)
        thread = getattr(story, "discussion", None)
        row.update(
            {
                "body_html": str(story.body),
                "body_text": story.body_text,
                "sectors": [sector.slug for sector in story.sectors.all()],
                "countries": [row.country.code for row in story.countries.all()],
                "organisations": [org.slug for org in story.organisations.all()],
                "discussion": thread.pk if thread is not None and thread.hidden_at is None else None,
            }
        )
        return row


class ProjectSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    acronym = serializers.CharField(read_only=True, allow_blank=True)
    programme = serializers.CharField(read_only=True, allow_blank=True)
    action = serializers.CharField(read_only=True, allow_blank=True)
    reference = serializers.CharField(read_only=True, allow_blank=True)
    start_date = serializers.DateField(read_only=True, allow_null=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    status = serializers.CharField(
        read_only=True, help_text=f"Derived from the dates: {', '.join(ProjectStatus.values)}."
    )
    website = serializers.URLField(read_only=True, allow_blank=True)
    summary = serializers.CharField(read_only=True, allow_blank=True)
    url = serializers.URLField(read_only=True)

    def to_representation(self, project: Project) -> dict:
        links: Links = self.context["links"]
        return {
            "slug": project.slug,
            "title": project.title,
            "acronym": project.acronym,
            "programme": project.programme,
            "action": project.action,
            "reference": project.reference,
            "start_date": project.start_date.isoformat() if project.start_date else None,
            "end_date": project.end_date.isoformat() if project.end_date else None,
            "status": project.status,
            "website": project.website,
            "summary": project.summary,
            "url": links.origin + project.get_absolute_url(),
        }
