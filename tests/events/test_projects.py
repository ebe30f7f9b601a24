"""Events belong to EU projects: the link lives on events, the project's page lists them, and
only a project the organising organisation takes part in can be picked, on every path."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from community.models import ProjectPartner, Role
from events.writing import create_event
from tests.community.factories_stories import ProjectFactory
from tests.events.test_writing import ADMIN_ADD, FORM, _editor, _moderator
from tests.factories import EventFactory, MembershipFactory, OrganisationFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def project_of(*organisations, slug="ie-vet"):
    project = ProjectFactory(title="Innovation Ecosystems for VET", slug=slug)
    for organisation in organisations:
        ProjectPartner.objects.create(project=project, organisation=organisation, name=organisation.name)
    return project


def test_a_project_the_organiser_is_not_part_of_is_refused_by_the_domain_function():
    organisation, outsider = OrganisationFactory(), OrganisationFactory()
    project = project_of(outsider)
    start = timezone.now() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        create_event(
            actor=None, organiser=organisation, title="X", start=start, end=start + dt.timedelta(hours=1),
            timezone="Europe/Madrid", project=project,
        )  # fmt: skip
    assert refused.value.message_dict["project"] == ["Choose a project the organising organisation takes part in."]


def test_the_form_offers_only_projects_of_organisations_the_member_may_publish_for(client):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    ours, other = project_of(mine), project_of(theirs, slug="other")
    _editor(client, mine)

    offered = client.get("/events/new/").context["form"].fields["project"].queryset
    forged = client.post("/events/new/", {**FORM, "organiser": mine.pk, "project": other.pk})

    assert list(offered) == [ours]
    assert "project" in forged.context["form"].errors


def test_the_admin_refuses_a_project_the_organiser_is_not_part_of_with_the_same_message(client):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    other = project_of(theirs, slug="other")
    _moderator(client)

    response = client.post(ADMIN_ADD, {**FORM, "organiser": mine.pk, "project": other.pk})

    assert response.status_code == 200  # Wagtail re-renders the form with its errors
    assert response.context["form"].errors["project"] == ["Choose a project the organising organisation takes part in."]
    assert not other.events.exists()


def test_the_project_page_lists_its_upcoming_and_past_events_and_the_event_links_back(client):
    organisation = OrganisationFactory()
    project = project_of(organisation)
    now = timezone.now()
    soon = EventFactory(
        organiser=organisation, project=project, title="Pilot workshop", start=now + dt.timedelta(days=5)
    )
    EventFactory(
        organiser=organisation, project=project, title="Kick-off meeting",
        start=now - dt.timedelta(days=50), end=now - dt.timedelta(days=50) + dt.timedelta(hours=2),
    )  # fmt: skip
    EventFactory(organiser=organisation, title="Unrelated")

    page = client.get(project.get_absolute_url()).content.decode()
    event_page = client.get(soon.get_absolute_url()).content.decode()

    assert page.index("Pilot workshop") < page.index("Kick-off meeting")
    assert "Coming up" in page
    assert "Past events" in page
    assert "Unrelated" not in page
    assert f'href="{project.get_absolute_url()}"' in event_page


def test_a_project_without_events_has_no_events_section(client):
    project = project_of(OrganisationFactory())
    assert "Coming up" not in client.get(project.get_absolute_url()).content.decode()


def test_removing_a_project_leaves_its_events():
    organisation = OrganisationFactory()
    project = project_of(organisation)
    event = EventFactory(organiser=organisation, project=project)
    project.delete()
    event.refresh_from_db()
    assert event.project is None


def test_a_moderator_may_link_any_organisations_event_to_its_projects(client):
    organisation = OrganisationFactory()
    project = project_of(organisation)
    profile = ProfileFactory()
    MembershipFactory(organisation=organisation, user=profile.user, role=Role.ADMIN)
    client.force_login(profile.user)
    response = client.post("/events/new/", {**FORM, "organiser": organisation.pk, "project": project.pk})
    assert response.status_code == 302
    assert project.events.get().title == "Workshop"
