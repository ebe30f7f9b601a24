"""Practice stories: Wagtail pages under one story index, translated with Wagtail's i18n.

A story's language is its Wagtail locale (en, es, sl); translations are linked by
``translation_key`` and made with the built-in simple_translation contrib. Every locale's
story index lists the stories of all locales (filterable by language), and a story's
address is the same shape in every language: ``/stories/<slug>/``. The index routes a slug
it does not own to its translations' stories, so a link to the Spanish version works for a
reader whose interface is in English; slugs are kept unique across locales for that reason.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from community.models.organisations import Organisation
from community.models.projects import Project
from community.models.taxonomy import Sector, TargetGroup, Theme
from community.models.users import Profile
from community.sanitise import html_to_text, one_line
from community.search_words import search_document
from community.story_blocks import StoryBodyBlock, sanitise_story_body

SUMMARY_MAX_CHARS = 600
# Front-end routes under /stories/ (community/urls.py); no story may take these slugs.
RESERVED_STORY_SLUGS = frozenset({"submit", "feed", "mine"})
# The fields a save must name for the stored search text to be rewritten. A draft revision
# saves the live row with other update_fields (latest revision, draft title), so a draft's
# words never reach the public search before a moderator publishes them.
SEARCHED_FIELDS = frozenset({"title", "summary", "body", "body_text"})


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC_BY_NC = "cc-by-nc-4.0", "CC BY-NC 4.0"
    CC_BY_NC_SA = "cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0"
    CC_BY_ND = "cc-by-nd-4.0", "CC BY-ND 4.0"
    CC0 = "cc0-1.0", "CC0 1.0"


LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Licence.CC_BY_ND: "https://creativecommons.org/licenses/by-nd/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


class StoryIndexPage(Page):
    """/stories/: every published story, faceted.

    Served by community/story_index.py through the ``before_serve_page`` hook in
    community/wagtail_hooks.py (as is the story page's extra context), so the model layer
    never imports the view layer.
    """

    intro = models.TextField(_("introduction"), blank=True, max_length=1000)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["community.HomePage"]
    subpage_types = ["community.PracticeStoryPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("story index")

    def route(self, request, path_components):
        """Serve a translation's story too, so one address works whatever the reader's language."""
        try:
            return super().route(request, path_components)
        except Http404:
            if len(path_components) != 1:
                raise
            story = PracticeStoryPage.objects.live().filter(slug=path_components[0]).first()
            if story is None:
                raise
            return story.specific.route(request, [])


class PracticeStoryPage(Page):
    """A good practice from a project, told by its authors."""

    summary = models.TextField(_("summary"), max_length=SUMMARY_MAX_CHARS)
    body = StreamField(StoryBodyBlock(), verbose_name=_("story"), blank=True)
    body_markdown = models.TextField(
        editable=False, blank=True, help_text="The member form's Markdown source of the first text block."
    )
    body_text = models.TextField(editable=False, blank=True, help_text="Plain text of the body, for search and feeds.")
    # Folded words of title, summary, body, authors and organisations (community/search_words.py).
    # The database indexes them beside the row: a GIN-indexed tsvector column generated from
    # it on PostgreSQL, an FTS5 table kept in step by triggers on SQLite (migration 0070).
    search_text = models.TextField(editable=False, blank=True, default="")
    authors = ParentalManyToManyField(Profile, blank=True, related_name="stories", verbose_name=_("authors"))
    organisations = ParentalManyToManyField(
        Organisation, blank=True, related_name="stories", verbose_name=_("organisations")
    )
    sectors = ParentalManyToManyField(Sector, blank=True, related_name="stories", verbose_name=_("sectors"))
    themes = ParentalManyToManyField(Theme, blank=True, related_name="stories", verbose_name=_("themes"))
    target_groups = ParentalManyToManyField(
        TargetGroup, blank=True, related_name="stories", verbose_name=_("target groups")
    )
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, default=Licence.CC_BY)
    project = models.ForeignKey(
        Project,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
        verbose_name=_("EU project"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("authors"),
                FieldPanel("organisations"),
                FieldPanel("project"),
                FieldPanel("sectors"),
                FieldPanel("themes"),
                FieldPanel("target_groups"),
                InlinePanel("countries", label=_("countries")),
                FieldPanel("licence"),
            ],
            heading=_("About this practice"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body_text"),
        index.FilterField("locale_id"),
        index.RelatedFields("authors", [index.SearchField("display_name")]),
        index.RelatedFields("organisations", [index.SearchField("name")]),
    ]
    parent_page_types = ["community.StoryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("practice story")
        verbose_name_plural = _("practice stories")

    def clean(self) -> None:
        """Sanitise on write: runs for the admin, the member form, revisions and the demo alike."""
        self.title = one_line(self.title)
        super().clean()
        if self.slug in RESERVED_STORY_SLUGS:
            raise ValidationError({"slug": _("This address is reserved; choose another.")})
        sanitise_story_body(self.body)
        self.body_text = " ".join(filter(None, (story_block_text(child) for child in self.body)))

    def save(self, *args, **kwargs):
        self.slug = self.unique_story_slug()
        update_fields = kwargs.get("update_fields")
        if update_fields is None or SEARCHED_FIELDS & set(update_fields):
            self.search_text = self.story_search_text()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        return super().save(*args, **kwargs)

    def refresh_search_text(self) -> None:
        """Rewrite the stored words from the saved row: after an author or organisation left the story."""
        PracticeStoryPage.objects.filter(pk=self.pk).update(search_text=self.story_search_text())

    def story_search_text(self) -> str:
        """What public search matches: the page's own text and its authors' and organisations' names."""
        names = [author.display_name for author in self.authors.all()]
        names += [organisation.name for organisation in self.organisations.all()]
        return search_document(title=self.title, parts=[self.summary, self.body_text, *names])

    def unique_story_slug(self) -> str:
        """A translation copies its source's slug; suffix the language so /stories/<slug>/ stays unambiguous."""
        clash = PracticeStoryPage.objects.filter(slug=self.slug).exclude(pk=self.pk)
        if self.pk is None and not clash.exists():
            return self.slug
        if not clash.exclude(locale_id=self.locale_id).exists():
            return self.slug
        return f"{self.slug}-{self.locale.language_code}"

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS[Licence(self.licence)]


class FtsMatch(models.Lookup):
    """``column MATCH query``: SQLite's full-text operator (the query is a parameter, never SQL)."""

    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class FtsColumn(models.TextField):
    """A column of an FTS5 table: it can be MATCHed."""


FtsColumn.register_lookup(FtsMatch)


class StorySearchRow(models.Model):
    """SQLite only: a story's row in ``community_storysearch``, the FTS5 index of its search text.

    Unmanaged (migration 0070 makes the table and the triggers that fill it; PostgreSQL has a
    tsvector column instead and never queries this model). A model, not raw SQL, so a story
    queryset can join it: ``filter(fts_row__search_text__match=…)`` and ``order_by("fts_row__rank")``
    keep their table aliases when Django nests the queryset in another. ``rank`` is FTS5's
    hidden bm25 column: only meaningful in a query that MATCHes.
    """

    page = models.OneToOneField(
        PracticeStoryPage, primary_key=True, db_column="rowid", on_delete=models.DO_NOTHING, related_name="fts_row"
    )
    search_text = FtsColumn()
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "community_storysearch"

    def __str__(self) -> str:
        return f"search row of story {self.pk}"


def story_block_text(child) -> str:
    value = child.value
    if child.block_type == "text":
        return html_to_text(value.source if hasattr(value, "source") else str(value))
    if child.block_type == "quote":
        return value["quote"]
    if child.block_type == "outcome":
        return " ".join(filter(None, (value["before"], value["after"], value["evidence"])))
    if child.block_type == "image":
        return value["caption"] or ""
    return ""


class StoryCountry(Orderable):
    """A country the practice took place in (a row, so the index can facet and count by it)."""

    page = ParentalKey(PracticeStoryPage, on_delete=models.CASCADE, related_name="countries")
    country = CountryField(_("country"))

    panels = [FieldPanel("country")]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["page", "country"], name="unique_story_country")]

    def __str__(self) -> str:
        return str(self.country.name)
