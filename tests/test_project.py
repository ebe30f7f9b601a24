"""Project-wide guarantees: migrations match models, production settings pass Django's deploy check."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_models_have_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_no_migration_has_a_generated_name():
    names = [p.name for p in ROOT.glob("*/migrations/0*.py")]
    assert names
    assert [n for n in names if "_auto_" in n] == []


def production_environment(**extra: str) -> dict[str, str]:
    """A production process's environment: none of the test run's settings (pytest-env) leak in."""
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", **extra)
    return env


def test_production_settings_pass_every_deploy_check_without_warnings():
    # All tags, not only security: drf-spectacular's schema check runs here too.
    env = production_environment(
        SECRET_KEY="x" * 60 + "production-like-secret-key-for-the-check", ALLOWED_HOSTS="praxis.example.org"
    )
    proc = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "System check identified no issues (0 silenced)."


def test_settings_do_not_switch_on_pytest_being_imported():
    """Importing pytest in production must not relax anything: the environment chooses."""
    env = production_environment(SECRET_KEY="x" * 60 + "production-like", ALLOWED_HOSTS="praxis.example.org")
    script = (
        "import pytest, django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.ACCOUNT_RATE_LIMITS != False, "
        "s.TASKS['default']['BACKEND'], s.PASSWORD_HASHERS[0].rsplit('.', 1)[-1], s.ALLOW_DEMO_DATA)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [
        "True",
        "True",
        "True",
        "django_tasks_db.DatabaseBackend",
        "PBKDF2PasswordHasher",
        "False",
    ]


def test_settings_refuse_a_missing_secret_key_in_production():
    env = production_environment()
    proc = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode != 0
    assert "SECRET_KEY must be set" in proc.stderr


def test_no_delete_receiver_listens_to_every_model():
    # A post_delete/pre_delete receiver without a sender turns off Django's fast delete for
    # every model: each cascade then loads its rows first (30,000 occurrences on a reimport).
    from django.db.models.deletion import Collector

    from events.models import ImportedBlock, Occurrence

    collector = Collector(using="default", origin=None)
    assert collector.can_fast_delete(Occurrence.objects.all())
    assert collector.can_fast_delete(ImportedBlock.objects.all())
