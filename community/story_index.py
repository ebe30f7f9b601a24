"""The story index: filters, facet counts, search, sorting and pagination.

One function, ``story_index``, answers for the page, the Atom feed and the API alike, so
a filter means the same thing everywhere. Facet counts are one aggregate query per facet
over the filtered ids, so the page costs the same number of queries at any size.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries
from wagtail.models import Locale

from community.fragment_cache import template_version
from community.models import (
    Organisation,
    PracticeStoryPage,
    Project,
    Sector,
    StoryCountry,
    Theme,
)
from community.story_cards import CARD_FIELDS, story_cards_html
from community.story_search import published_stories, search_stories
from community.story_versions import published_stories_version

STORIES_PER_PAGE = 20
SEARCH_RESULT_LIMIT = 1000
FACETS = ("sector", "theme", "country", "language", "organisation", "project")
SORTS = {"newest", "discussed"}


class StoryFilterError(ValueError):
    """Filter values that name nothing; ``errors`` maps each parameter to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


@dataclass
class StoryFilters:
    sector: str = ""
    theme: str = ""
    country: str = ""
    language: str = ""
    organisation: str = ""
    project: str = ""
    q: str = ""
    sort: str = "newest"
    applied: dict[str, object] = field(default_factory=dict)


def parse_story_filters(*, params: Mapping[str, str]) -> StoryFilters:
    """Read and check the filters in one query per facet given; every unknown value is named."""
    filters = StoryFilters(
        **{name: (params.get(name) or "").strip() for name in (*FACETS, "q")},
        sort=(params.get("sort") or "newest").strip(),
    )
    errors: dict[str, str] = {}
    lookups = {
        "sector": (Sector.objects, "slug"),
        "theme": (Theme.objects, "slug"),
        "organisation": (Organisation.objects, "slug"),
        "project": (Project.objects, "slug"),
        "language": (Locale.objects, "language_code"),
    }
    for name, (manager, key) in lookups.items():
        value = getattr(filters, name)
        if not value:
            continue
        obj = manager.filter(**{key: value}).first()
        if obj is None:
            errors[name] = _("Unknown %(name)s: %(value)s") % {"name": name, "value": value}
        else:
            filters.applied[name] = obj
    if filters.country:
        code = filters.country.upper()
        if code not in dict(countries):
            errors["country"] = _("Unknown country: %(value)s (use ISO 3166 codes like ES, SI).") % {
                "value": filters.country
            }
        else:
            filters.country = code
            filters.applied["country"] = code
    if filters.sort not in SORTS:
        errors["sort"] = _("Unknown sort: %(value)s (use newest or discussed).") % {"value": filters.sort}
    if len(filters.q) > 200:
        errors["q"] = _("Search at most 200 characters.")
    if errors:
        raise StoryFilterError(errors)
    return filters


def filter_stories(*, filters: StoryFilters, stories: QuerySet | None = None) -> QuerySet[PracticeStoryPage]:
    stories = published_stories() if stories is None else stories
    applied = filters.applied
    if "sector" in applied:
        stories = stories.filter(sectors=applied["sector"])
    if "theme" in applied:
        stories = stories.filter(themes=applied["theme"])
    if "organisation" in applied:
        stories = stories.filter(organisations=applied["organisation"])
    if "project" in applied:
        stories = stories.filter(project=applied["project"])
    if "language" in applied:
        stories = stories.filter(locale=applied["language"])
    if "country" in applied:
        stories = stories.filter(countries__country=applied["country"])
    if filters.q:
        # The index finds the matches among the filtered stories; the newest SEARCH_RESULT_LIMIT
        # of them are the list, so the count, the facets and the sort never read every match
        # of a word that is in most stories (the page says "1,000+").
        hits = search_stories(q=filters.q, stories=stories, order="newest")[:SEARCH_RESULT_LIMIT]
        stories = PracticeStoryPage.objects.filter(pk__in=hits.values("pk"))
    if filters.sort == "discussed":
        return stories.order_by(F("discussion__post_count").desc(nulls_last=True), "-first_published_at", "-pk")
    return stories.order_by("-first_published_at", "-pk")


def facet_counts(*, stories: QuerySet) -> dict[str, list[tuple[str, str, int]]]:
    """Per facet, (value, label, count) over the given stories, most frequent first."""
    ids = stories.order_by().values("pk")

    def rows(model, key: str, label: str, relation: str) -> list[tuple[str, str, int]]:
        annotated = (
            model.objects.annotate(n=Count(relation, filter=Q(**{f"{relation}__in": ids}), distinct=True))
            .filter(n__gt=0)
            .order_by("-n", label)
            .values_list(key, label, "n")
        )
        if model in (Sector, Theme):  # seeded names are in the catalogs
            return [(value, _(name), n) for value, name, n in annotated]
        return list(annotated)

    names = dict(settings.LANGUAGES)
    languages = [
        (row["locale__language_code"], str(names.get(row["locale__language_code"], "")), row["n"])
        for row in stories.order_by()
        .values("locale__language_code")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "locale__language_code")
    ]
    country_rows = (
        StoryCountry.objects.filter(page__in=ids)
        .values("country")
        .annotate(n=Count("page", distinct=True))
        .order_by("-n", "country")
    )
    return {
        "sector": rows(Sector, "slug", "name", "stories"),
        "theme": rows(Theme, "slug", "name", "stories"),
        "country": [(row["country"], str(countries.name(row["country"])), row["n"]) for row in country_rows],
        "language": languages,
        "organisation": rows(Organisation, "slug", "name", "stories"),
        "project": rows(Project, "slug", "title", "stories"),
    }


FACET_CACHE_SECONDS = 300


def cached_facet_counts(*, filters: StoryFilters, stories: QuerySet, version: str) -> tuple[dict[str, list], int]:
    """Facet counts and the number of matching stories, cached until a story is published,
    unpublished or deleted (``community.story_versions``) or five minutes pass.

    The six aggregates and the count are most of the index page's cost at thousands of
    stories and only change when the set of published stories does.
    """
    key_source = json.dumps(
        [
            sorted((k, str(getattr(v, "pk", v))) for k, v in filters.applied.items()),
            filters.q,
            filters.sort,
            version,
            get_language(),
        ],
    )
    key = "story-facets:" + hashlib.sha256(key_source.encode()).hexdigest()
    cached = cache.get(key)
    if cached is None:
        cached = (facet_counts(stories=stories), stories.count())
        cache.set(key, cached, FACET_CACHE_SECONDS)
    return cached


def story_cards(*, stories: QuerySet) -> QuerySet:
    """What a list of stories needs in the same few queries whatever its length."""
    return stories.select_related("locale", "project").prefetch_related("authors", "themes")


FILTERS_FORM = "community/includes/story_filters.html"


def filters_form_html(*, request, page, context, cacheable: bool, version: str) -> SafeString:
    """The filter form with its facet counts and links, kept as long as the counts are
    (same version, same lifetime); a search's form is rendered each time."""
    if not cacheable:
        return mark_safe(render_to_string(FILTERS_FORM, context()))
    query = sorted((k, v) for k, v in request.GET.lists() if k != "page")
    inputs = [get_language(), version, page.url, query, template_version(FILTERS_FORM)]
    key = "story-filters:" + hashlib.sha256(json.dumps(inputs).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render_to_string(FILTERS_FORM, context())
        cache.set(key, html, FACET_CACHE_SECONDS)
    return mark_safe(html)


def serve_story_index(*, page, request) -> TemplateResponse:
    context = page.get_context(request)
    try:
        filters = parse_story_filters(params=request.GET)
    except StoryFilterError as exc:
        context.update({"filter_errors": exc.errors, "page_obj": None, "facets": {}, "filters": StoryFilters()})
        return TemplateResponse(request, page.get_template(request), context, status=400)
    stories = filter_stories(filters=filters)
    # Pages of the values cards are keyed by; the cards come from community.story_cards.
    paginator = Paginator(stories.values_list(*CARD_FIELDS), STORIES_PER_PAGE)
    version = published_stories_version()
    counts, paginator.count = cached_facet_counts(filters=filters, stories=stories, version=version)

    def form_context() -> dict:
        facets = {
            name: [
                (value, label, count, "?" + query_with(request.GET, name, value), value == request.GET.get(name))
                for value, label, count in rows
            ]
            for name, rows in counts.items()
        }
        return {"filters": filters, "facets": facets, "has_query": bool(request.GET), "page": page}

    page_obj = paginator.get_page(request.GET.get("page"))
    context.update(
        {
            "filters": filters,
            "filters_form": filters_form_html(
                request=request, page=page, context=form_context, cacheable=not filters.q, version=version
            ),
            "page_obj": page_obj,
            "story_cards": story_cards_html(list(page_obj.object_list)),
            "search_capped": bool(filters.q) and paginator.count >= SEARCH_RESULT_LIMIT,
            "search_limit": SEARCH_RESULT_LIMIT,
        }
    )
    return TemplateResponse(request, page.get_template(request), context)


def query_with(params, name: str, value: str) -> str:
    """The current query with one facet set to ``value`` (or cleared if it already is) and no page."""
    copy = params.copy()
    copy.pop("page", None)
    if copy.get(name) == value:
        copy.pop(name, None)
    else:
        copy[name] = value
    return copy.urlencode()
