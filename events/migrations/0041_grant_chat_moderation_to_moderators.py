from django.db import migrations


def grant(apps, schema_editor):
    """The Moderators group moderates every chat room (organisers' admins and editors moderate their own)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="events", model="chatroom")
    perm, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="moderate_chat", defaults={"name": "Can moderate every chat room"}
    )
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0040_add_chat_rooms"),
        ("community", "0003_seed_taxonomies_and_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
