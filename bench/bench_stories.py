"""Stories and discussions against bare ceilings, each pair measured in the same run.

* `/stories/` with 5,000 published stories (page 1: facets, counts, cards) against a bare
  view rendering the same 20 rows with a minimal template;
* a thread page of a 1,000-post thread (page 20) against a bare view rendering the same 50
  posts;
* search at 5,000 and at 50,000 stories: ``community.story_search.search_stories`` (the
  index in the database: GIN tsvector on PostgreSQL, FTS5 on SQLite), first 20 by relevance
  and newest first, against a bare ``body_text__icontains`` query over the same rows and
  against the other candidate, a scan of the folded ``search_text`` in date order with LIMIT;
  for a word in 1 % of stories and for a word in one story. The growth 5k → 50k of each is
  reported.

Stories are inserted in bulk (page rows, then the story rows by SQL with their search text:
the database fills its index itself, by the generated column or the FTS5 triggers), not
through ``add_child``, which would take most of an hour for 50,000 pages. Wagtail's own index
(the admin's page search) is not filled: no public path reads it.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# As production serves pages: DEBUG off (DEBUG keeps and logs every statement, a cost the
# bare view with its one query hardly pays). BENCH_DEBUG=1 measures with DEBUG on.
os.environ["DEBUG"] = os.environ.get("BENCH_DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # the test client speaks plain HTTP
os.environ.setdefault("STATIC_FROM_SOURCE", "1")  # no collectstatic manifest needed
_tmp = tempfile.mkdtemp(prefix="praxis-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Templates as production loads them (DEBUG only turns the cached loader off): without it
# every request re-parses base.html and the includes, which the bare f-string view never pays.
settings.TEMPLATES[0]["APP_DIRS"] = False
settings.TEMPLATES[0]["OPTIONS"]["loaders"] = [
    (
        "django.template.loaders.cached.Loader",
        ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
    )
]

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.html import escape  # noqa: E402

REPEATS = 15
SEARCH_REPEATS = 25
# BENCH_STORIES_LARGE lowers the second size where bulk indexing is slow (PostgreSQL: ~40 ms a story).
SMALL, LARGE = 5_000, int(os.environ.get("BENCH_STORIES_LARGE", "50000"))
THREAD_POSTS = 1_000
WORDS = [
    "apprentice",
    "workshop",
    "mentoring",
    "school",
    "teacher",
    "trainer",
    "valorisation",
    "partnership",
    "innovation",
    "ecosystem",
    "inclusion",
    "leadership",
    "mobility",
    "erasmus",
    "conference",
    "practice",
    "outcome",
    "learner",
    "company",
    "transition",
]
NEEDLE = "kooperacija"  # in 1 story of 100
RARE = "sodelovanje"  # in story 7 only


def bare_index(request):
    from community.models import PracticeStoryPage

    rows = (
        PracticeStoryPage.objects.live()
        .order_by("-first_published_at", "-pk")
        .values_list("title", "summary", "url_path")[:20]
    )
    body = "".join(f"<li><a href='{escape(u)}'>{escape(t)}</a><p>{escape(s)}</p></li>" for t, s, u in rows)
    return HttpResponse(f"<!doctype html><ul>{body}</ul>")


def bare_thread(request, pk: int):
    from community.models import Post

    rows = (
        Post.objects.filter(thread_id=pk, number__gte=951, number__lt=1001)
        .order_by("number")
        .values_list("number", "body_html", "author__profile__display_name")
    )
    body = "".join(f"<li id='post-{n}'>{escape(a)}{b}</li>" for n, b, a in rows)
    return HttpResponse(f"<!doctype html><ol>{body}</ol>")


urlpatterns = [path("bare/stories/", bare_index), path("bare/thread/<int:pk>/", bare_thread)]


def insert_stories(index, count: int, start: int = 0) -> None:
    """Page rows in bulk, then the story rows with raw SQL (bulk_create refuses multi-table models)."""
    from wagtail.models import Page

    from community.models import PracticeStoryPage, Theme
    from community.models.stories import StoryCountry
    from community.search_words import search_document

    rng = random.Random(start)
    content_type = ContentType.objects.get_for_model(PracticeStoryPage)
    now = timezone.now()
    themes = list(Theme.objects.values_list("pk", flat=True))
    step = 5_000
    for offset in range(start, start + count, step):
        batch = range(offset, min(offset + step, start + count))
        pages = []
        for i in batch:
            slug = f"story-{i}"
            pages.append(
                Page(
                    title=f"Story {i} about {WORDS[i % len(WORDS)]}",
                    draft_title=f"Story {i}",
                    slug=slug,
                    content_type=content_type,
                    path=Page._get_path(index.path, index.depth + 1, i + 1),
                    depth=index.depth + 1,
                    numchild=0,
                    url_path=f"{index.url_path}{slug}/",
                    live=True,
                    first_published_at=now - timezone.timedelta(minutes=i),
                    last_published_at=now - timezone.timedelta(minutes=i),
                    locale_id=index.locale_id,
                    translation_key=uuid.uuid4(),
                )
            )
        with transaction.atomic():
            Page.objects.bulk_create(pages)
            ids = dict(Page.objects.filter(slug__in=[p.slug for p in pages]).values_list("slug", "pk"))
            rows = []
            for i in batch:
                words = " ".join(rng.choice(WORDS) for _ in range(60)) + (f" {NEEDLE}" if i % 100 == 0 else "")
                words += f" {RARE}" if i == 7 else ""
                body = json.dumps([{"type": "text", "value": f"<p>{words}</p>", "id": str(uuid.uuid4())}])
                summary = f"Summary {i}: {words[:120]}"
                title = f"Story {i} about {WORDS[i % len(WORDS)]}"
                text = search_document(title=title, parts=[summary, words])
                rows.append((ids[f"story-{i}"], summary, body, "", words, "cc-by-4.0", text))
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO community_practicestorypage "
                    "(page_ptr_id, summary, body, body_markdown, body_text, licence, search_text) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    rows,
                )
            through = PracticeStoryPage.themes.through
            through.objects.bulk_create(
                [through(practicestorypage_id=ids[f"story-{i}"], theme_id=themes[i % len(themes)]) for i in batch]
            )
            StoryCountry.objects.bulk_create(
                [StoryCountry(page_id=ids[f"story-{i}"], country=("ES", "SI", "IE")[i % 3]) for i in batch]
            )
    Page.objects.filter(pk=index.pk).update(numchild=start + count)
    if connection.vendor == "postgresql":
        # Autovacuum vacuums and analyses tables after bulk changes, a minute or so later: the
        # bench does it at once, so that it neither plans without statistics (50,000 stories
        # taken for a few) nor measures while autovacuum works beside it.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def median_ms(fn, repeats: int) -> float:
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return round(statistics.median(times) * 1000, 2)


def get(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        get(client, url)
    return len(ctx.captured_queries)


def search_times() -> dict[str, float]:
    """Median ms of each way to find the first 20 stories holding a word, for a common and a rare word.

    On PostgreSQL each is measured twice: with the server's ``random_page_cost`` (4, the
    default, priced for spinning disks) and with 1.1 (the usual setting for SSDs or a data set
    in memory, prefix ``ssd_``); the planner's choice of join for ~500 matches turns on it.
    """
    figures = _search_times()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET random_page_cost = 1.1")
        figures |= {f"ssd_{name}": value for name, value in _search_times().items()}
        with connection.cursor() as cursor:
            cursor.execute("RESET random_page_cost")
    return figures


def _search_times() -> dict[str, float]:
    from community.story_search import published_stories, search_stories

    ways = {
        "search_relevance": lambda w: search_stories(q=w, order="relevance"),
        "search_newest": lambda w: search_stories(q=w, order="newest"),
        "search_limit": lambda w: search_stories(q=w, order="relevance", limit=20),
        "folded_scan": lambda w: published_stories().filter(search_text__contains=w).order_by("-first_published_at"),
        "icontains": lambda w: published_stories().filter(body_text__icontains=w).order_by("-first_published_at"),
    }
    figures: dict[str, float] = {}
    for label, word in (("", NEEDLE), ("rare_", RARE)):
        found = {}
        for name, way in ways.items():
            figures[f"{label}{name}"] = median_ms(lambda way=way, word=word: list(way(word)[:20]), SEARCH_REPEATS)
            if name != "search_limit":
                found[name] = sorted(way(word).values_list("pk", flat=True))  # every match, untimed
        assert len({tuple(pks) for pks in found.values()}) == 1, f"the ways find different stories for {word}"
        first = list(ways["search_relevance"](word)[:20])
        assert list(ways["search_limit"](word)) == first, "limit= gives other stories than a slice"
        figures[f"{label}hits"] = len(found["icontains"])
    return figures


def main() -> None:
    call_command("migrate", verbosity=0)
    from community.demo import load_home_page
    from community.discussions import post_reply
    from community.models import Post, Thread
    from community.stories import ensure_story_index
    from tests.community.factories_stories import ThreadFactory
    from tests.factories import ProfileFactory, UserFactory

    home = load_home_page()
    index = ensure_story_index(home=home)
    index.save_revision().publish()
    index.refresh_from_db()

    t0 = time.perf_counter()
    insert_stories(index, SMALL)
    print(f"inserted {SMALL} stories in {time.perf_counter() - t0:.1f}s", flush=True)

    client = Client(HTTP_HOST="localhost")
    result: dict[str, object] = {"engine": connection.vendor, "stories": SMALL}
    result["index_median_ms"] = median_ms(lambda: get(client, "/stories/"), REPEATS)
    result["index_queries"] = queries(client, "/stories/")
    with override_settings(ROOT_URLCONF=__name__):
        result["bare_index_median_ms"] = median_ms(lambda: get(client, "/bare/stories/"), REPEATS)
    result["index_ratio"] = round(result["index_median_ms"] / result["bare_index_median_ms"], 2)

    authors = [UserFactory() for _ in range(10)]
    for user in authors:
        ProfileFactory(user=user)
    thread = ThreadFactory()
    Post.objects.bulk_create(
        [
            Post(
                thread=thread, number=n, author=authors[n % 10], body_markdown=f"post {n}", body_html=f"<p>post {n}</p>"
            )
            for n in range(1, THREAD_POSTS)
        ]
    )
    Thread.objects.filter(pk=thread.pk).update(post_count=THREAD_POSTS - 1)
    thread.refresh_from_db()
    # A moderator writes the last post (numbered, rendered, notified as usual; no rate limit).
    moderator = UserFactory(is_superuser=True)
    ProfileFactory(user=moderator)
    post_reply(user=moderator, thread=thread, body_markdown="the last post")
    url = f"{thread.get_absolute_url()}?page=20"
    result["thread_posts"] = THREAD_POSTS
    result["thread_page_median_ms"] = median_ms(lambda: get(client, url), REPEATS)
    result["thread_page_queries"] = queries(client, url)
    with override_settings(ROOT_URLCONF=__name__):
        result["bare_thread_median_ms"] = median_ms(lambda: get(client, f"/bare/thread/{thread.pk}/"), REPEATS)
    result["thread_ratio"] = round(result["thread_page_median_ms"] / result["bare_thread_median_ms"], 2)

    name = "stories.json" if connection.vendor == "sqlite" else f"stories-{connection.vendor}.json"
    out = ROOT / "bench" / "results" / name
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")  # the page figures, in case the large insert is cut short
    print(json.dumps(result, indent=2), flush=True)

    if os.environ.get("BENCH_STORIES_SEARCH", "1") == "0":
        return
    small = search_times()
    print(f"search at {SMALL}: {small}", flush=True)
    t0 = time.perf_counter()
    insert_stories(index, LARGE - SMALL, start=SMALL)
    print(f"inserted {LARGE - SMALL} more stories in {time.perf_counter() - t0:.1f}s", flush=True)
    large = search_times()
    result["search_sizes"] = [SMALL, LARGE]
    for name in small:
        result[f"{name}_ms" if "hits" not in name else name] = [small[name], large[name]]
        if "hits" not in name:
            result[f"{name}_growth"] = round(large[name] / small[name], 2)
    print(json.dumps(result, indent=2))
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
