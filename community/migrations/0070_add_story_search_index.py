"""A full-text index of the stories' folded words, in the database itself (issue #15's search growth).

PostgreSQL: ``search_vector``, a tsvector column *generated* from ``search_text`` (the title's
words weighted A, the rest D, ``simple`` configuration: the text is already folded, so no
``unaccent``, no stemming dictionary) with a GIN index. Being generated, it can never lag
behind the text: ``save()``, a bulk ``INSERT`` and a raw ``UPDATE`` all fill it.

SQLite: ``community_storysearch``, an FTS5 table over ``search_text`` with the story table as
its external content, kept in step by three triggers (insert, delete, update of the text);
the unmanaged ``StorySearchRow`` lets a story queryset join it.

The vector is not in Django's model state: Django would select it with every story (a
tsvector of a long story travelling with every page load), and neither index can be
expressed for both engines.
``community/story_search.py`` is the one reader. A later migration that makes SQLite rebuild
the story table (``_remake_table``) drops the triggers with the old table: re-run
``SQLITE_INDEX`` after it (``tests/community/test_story_search.py`` fails until then).
"""

import django.db.models.deletion
from django.db import migrations, models

import community.models.stories
from community.search_words import search_document

SQLITE_INDEX = [
    "CREATE VIRTUAL TABLE community_storysearch USING fts5("
    "search_text, content='community_practicestorypage', content_rowid='page_ptr_id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER community_storysearch_insert AFTER INSERT ON community_practicestorypage BEGIN "
    "INSERT INTO community_storysearch(rowid, search_text) VALUES (new.page_ptr_id, new.search_text); END",
    "CREATE TRIGGER community_storysearch_delete AFTER DELETE ON community_practicestorypage BEGIN "
    "INSERT INTO community_storysearch(community_storysearch, rowid, search_text) "
    "VALUES ('delete', old.page_ptr_id, old.search_text); END",
    "CREATE TRIGGER community_storysearch_update AFTER UPDATE OF search_text ON community_practicestorypage BEGIN "
    "INSERT INTO community_storysearch(community_storysearch, rowid, search_text) "
    "VALUES ('delete', old.page_ptr_id, old.search_text); "
    "INSERT INTO community_storysearch(rowid, search_text) VALUES (new.page_ptr_id, new.search_text); END",
    "INSERT INTO community_storysearch(community_storysearch) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS community_storysearch_insert",
    "DROP TRIGGER IF EXISTS community_storysearch_delete",
    "DROP TRIGGER IF EXISTS community_storysearch_update",
    "DROP TABLE IF EXISTS community_storysearch",
]
POSTGRESQL_INDEX = [
    "ALTER TABLE community_practicestorypage ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, split_part(search_text, E'\\n', 1)), 'A') || "
    "to_tsvector('simple'::regconfig, substr(search_text, strpos(search_text, E'\\n') + 1))) STORED",
    "CREATE INDEX community_story_search_vector ON community_practicestorypage USING gin (search_vector)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS community_story_search_vector",
    "ALTER TABLE community_practicestorypage DROP COLUMN IF EXISTS search_vector",
]


def fill_search_text(apps, schema_editor):
    """Stories saved before the column existed get their words now (same as PracticeStoryPage.save)."""
    Story = apps.get_model("community", "PracticeStoryPage")
    batch = []
    stories = Story.objects.prefetch_related("authors", "organisations").only("pk", "title", "summary", "body_text")
    for story in stories.iterator(chunk_size=500):
        names = [a.display_name for a in story.authors.all()] + [o.name for o in story.organisations.all()]
        story.search_text = search_document(title=story.title, parts=[story.summary, story.body_text, *names])
        batch.append(story)
        if len(batch) >= 500:
            Story.objects.bulk_update(batch, ["search_text"])
            batch = []
    Story.objects.bulk_update(batch, ["search_text"])


def run(statements):
    def apply(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return apply


create_index = run({"sqlite": SQLITE_INDEX, "postgresql": POSTGRESQL_INDEX})
drop_index = run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})


class Migration(migrations.Migration):
    dependencies = [("community", "0060_add_folded_search_text")]

    operations = [
        migrations.AddField(
            model_name="practicestorypage",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
        migrations.CreateModel(
            name="StorySearchRow",
            fields=[
                (
                    "page",
                    models.OneToOneField(
                        db_column="rowid",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="fts_row",
                        serialize=False,
                        to="community.practicestorypage",
                    ),
                ),
                ("search_text", community.models.stories.FtsColumn()),
                ("rank", models.FloatField()),
            ],
            options={"db_table": "community_storysearch", "managed": False},
        ),
    ]
