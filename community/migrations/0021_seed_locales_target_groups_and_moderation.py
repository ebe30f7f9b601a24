from django.db import migrations

# Who a practice is for; the Key Action 2 text names these audiences.
TARGET_GROUPS = [
    ("teachers", "Teachers and trainers"),
    ("school-leaders", "School and centre leaders"),
    ("learners", "Learners and students"),
    ("vet-learners", "VET learners and apprentices"),
    ("adult-learners", "Adult learners"),
    ("young-people", "Young people"),
    ("disadvantaged", "People with fewer opportunities"),
    ("unemployed", "Unemployed people"),
    ("hr-staff", "HR staff in companies"),
    ("social-services", "Social and educational services staff"),
    ("policy-makers", "Policy makers"),
]

# Locales for WAGTAIL_I18N_ENABLED; wagtailcore already made the one for LANGUAGE_CODE.
LOCALES = ["en", "es", "sl"]

MODERATOR_PERMS = [
    ("category", ["add", "view", "change", "delete"]),
    ("thread", ["view", "change"]),
    ("post", ["view", "change"]),
    ("flag", ["view", "change"]),
    ("targetgroup", ["add", "view", "change", "delete"]),
]


def seed(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in LOCALES:
        Locale.objects.get_or_create(language_code=code)
    TargetGroup = apps.get_model("community", "TargetGroup")
    for slug, name in TARGET_GROUPS:
        TargetGroup.objects.update_or_create(slug=slug, defaults={"name": name})


def moderator_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name="Moderators")
    for model, actions in MODERATOR_PERMS:
        content_type, _ = ContentType.objects.get_or_create(app_label="community", model=model)
        for action in actions:
            perm, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=f"{action}_{model}", defaults={"name": f"Can {action} {model}"}
            )
            group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0020_add_stories_projects_and_discussions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(moderator_permissions, migrations.RunPython.noop),
    ]
