from django.db import migrations

from community.folding import fold_all


def fill_search_text(apps, schema_editor):
    """Events written by the importer before it stored the folded copy have none, so the
    calendar's keyword filter and the site search never found them; they get it now (as
    Event.normalise makes it)."""
    Event = apps.get_model("events", "Event")
    rows = Event.objects.filter(search_text="").only("id", "title", "description_text", "venue", "city")
    batch = []
    for event in rows.iterator(chunk_size=1000):
        event.search_text = fold_all([event.title, event.description_text, event.venue, event.city])
        batch.append(event)
        if len(batch) >= 1000:
            Event.objects.bulk_update(batch, ["search_text"])
            batch = []
    Event.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("events", "0080_add_folded_search_text")]

    operations = [migrations.RunPython(fill_search_text, migrations.RunPython.noop)]
