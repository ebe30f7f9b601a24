from django.conf.locale import LANG_INFO
from django.db import migrations

from community.taxonomy_seed import LANGUAGES, SECTORS, THEMES

EXTRA_LANGUAGE_NAMES = {"mt": "Maltese"}  # EU official languages Django's LANG_INFO lacks

MODERATOR_PERMS = [
    ("community", "profile", ["view", "change"]),
    ("community", "organisation", ["add", "view", "change", "delete"]),
    ("community", "membership", ["add", "view", "change", "delete"]),
    ("community", "theme", ["add", "view", "change", "delete"]),
    ("community", "project", ["add", "view", "change", "delete"]),
]
EDITOR_PERMS = [
    ("community", "theme", ["view"]),
    ("community", "project", ["add", "view", "change"]),
]


def seed(apps, schema_editor):
    Sector = apps.get_model("community", "Sector")
    Theme = apps.get_model("community", "Theme")
    Language = apps.get_model("community", "Language")
    for position, (slug, name) in enumerate(SECTORS):
        Sector.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})
    for slug, name in THEMES:
        Theme.objects.update_or_create(slug=slug, defaults={"name": name})
    for code in LANGUAGES:
        name = LANG_INFO[code]["name"] if code in LANG_INFO else EXTRA_LANGUAGE_NAMES[code]
        Language.objects.update_or_create(code=code, defaults={"name": name})


def groups(apps, schema_editor):
    """Create the groups with admin access; permissions attach after content types exist.

    Community never depends on events: events' own migration grants these groups its permissions."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    admin_access, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    for name, spec in (("Moderators", MODERATOR_PERMS), ("Editors", EDITOR_PERMS)):
        group, _ = Group.objects.get_or_create(name=name)
        perms = [admin_access]
        for app_label, model, actions in spec:
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            for action in actions:
                perm, _ = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {model}"},
                )
                perms.append(perm)
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0002_add_home_page"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(groups, migrations.RunPython.noop),
    ]
