from django.db import migrations, models

from community.folding import fold_all


def fill_search_text(apps, schema_editor):
    """Events stored before the folded copy existed get it now (same as Event.normalise)."""
    Event = apps.get_model("events", "Event")
    batch = []
    rows = Event.objects.only("id", "title", "description_text", "venue", "city").iterator(chunk_size=1000)
    for event in rows:
        event.search_text = fold_all([event.title, event.description_text, event.venue, event.city])
        batch.append(event)
        if len(batch) >= 1000:
            Event.objects.bulk_update(batch, ["search_text"])
            batch = []
    Event.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("events", "0090_add_calendar_counters_and_vevent_blocks"), ("community", "0060_add_folded_search_text")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
