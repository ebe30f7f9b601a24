import pytest
from django.core.management import call_command
from django.utils import timezone

from community.models import Organisation, Project, User
from events.models import Event

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(Organisation.objects.values_list("slug", "updated")),
        sorted(Event.objects.values_list("uid", "updated", "sequence")),
        User.objects.count(),
    )


def test_load_demo_is_idempotent_and_has_upcoming_and_past_conferences(client):
    call_command("load_demo", verbosity=0)
    first = _snapshot()
    call_command("load_demo", verbosity=0)
    assert _snapshot() == first
    assert {"florida-universitaria", "cmepius"} <= set(Organisation.objects.values_list("slug", flat=True))
    project = Project.objects.get(slug="innovation-ecosystems-for-vet")
    assert (project.partners.count(), project.status, str(project.start_date)) == (9, "finished", "2015-11-01")
    conferences = Event.objects.filter(kind="conference")
    now = timezone.now()
    assert conferences.filter(start__gt=now).count() == 2
    assert conferences.filter(end__lt=now).count() == 1
    catarroja = conferences.get(title="Cooperating for school, social and professional success")
    assert catarroja.sessions.count() >= 5
    assert (catarroja.local_start.month, catarroja.local_start.day) == (9, 24)


def test_demo_pages_answer(client):
    call_command("load_demo", verbosity=0)
    for path in [
        "/",
        "/members/",
        "/organisations/florida-universitaria/",
        "/organisations/cmepius/",
        "/events/",
        "/events/?view=month",
        "/events/?archive=1",
    ]:
        assert client.get(path).status_code == 200, path
    client.force_login(User.objects.get(email="admin@praxis.example"))
    assert client.get("/admin/").status_code == 200
