from django.db import migrations, models

from community.folding import fold_all
from community.sanitise import html_to_text


def fill_search_text(apps, schema_editor):
    """Profiles saved before the folded copy existed get it now (same as Profile.save)."""
    Profile = apps.get_model("community", "Profile")
    batch = []
    for profile in Profile.objects.only("id", "display_name", "headline", "bio").iterator(chunk_size=1000):
        profile.search_text = fold_all([profile.display_name, profile.headline, html_to_text(profile.bio or "")])
        batch.append(profile)
        if len(batch) >= 1000:
            Profile.objects.bulk_update(batch, ["search_text"])
            batch = []
    Profile.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("community", "0050_add_privacy_choices_exports_audit_log")]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
