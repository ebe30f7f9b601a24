"""The last-admin rule holds when two admins demote (or remove) each other at the same moment.

Two real database connections, one per thread. The first change runs and holds its
transaction open until the second one is either finished (no lock: it would have
counted the first admin as staying, and both would go) or is seen waiting for a lock
in pg_stat_activity (the row locks work); then the first commits.

PostgreSQL only: on SQLite every write transaction is IMMEDIATE, so writers are
serialised by the database file lock and the race cannot happen there.
"""

import pytest
from django.db import connection

from community.models import Membership, Role
from community.organisations import change_role, remove_member
from tests.factories import MembershipFactory, OrganisationFactory
from tests.races import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises write transactions: no race to test"
    ),
]


@pytest.fixture
def two_admins():
    organisation = OrganisationFactory()
    ana = MembershipFactory(organisation=organisation, role=Role.ADMIN)
    ben = MembershipFactory(organisation=organisation, role=Role.ADMIN)
    return organisation, ana, ben


def admins_of(organisation) -> list[int]:
    return list(Membership.objects.filter(organisation=organisation, role=Role.ADMIN).values_list("pk", flat=True))


def test_two_admins_demoting_each_other_at_once_leave_one_admin(two_admins):
    organisation, ana, ben = two_admins

    outcomes = race(
        lambda: change_role(actor=ana.user, membership=Membership.objects.get(pk=ben.pk), role=Role.MEMBER),
        lambda: change_role(actor=ben.user, membership=Membership.objects.get(pk=ana.pk), role=Role.MEMBER),
    )

    assert outcomes[0] == "changed"
    assert outcomes[1] in {"ValidationError", "PermissionDenied"}  # ben is no admin by the time he acts
    assert admins_of(organisation) == [ana.pk]


def test_two_admins_removing_each_other_at_once_leave_one_admin(two_admins):
    organisation, ana, ben = two_admins

    outcomes = race(
        lambda: remove_member(actor=ana.user, membership=Membership.objects.get(pk=ben.pk)),
        lambda: remove_member(actor=ben.user, membership=Membership.objects.get(pk=ana.pk)),
    )

    assert outcomes[0] == "changed"
    assert outcomes[1] in {"ValidationError", "PermissionDenied"}
    assert admins_of(organisation) == [ana.pk]


def test_superuser_demoting_both_admins_at_once_leaves_one(two_admins, django_user_model):
    organisation, ana, ben = two_admins
    root = django_user_model.objects.create_superuser(username="root", email="root@example.org", password="x")

    outcomes = race(
        lambda: change_role(actor=root, membership=Membership.objects.get(pk=ben.pk), role=Role.EDITOR),
        lambda: change_role(actor=root, membership=Membership.objects.get(pk=ana.pk), role=Role.EDITOR),
    )

    assert outcomes == ["changed", "ValidationError"]
    assert admins_of(organisation) == [ana.pk]
