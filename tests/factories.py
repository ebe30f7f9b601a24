"""Factories for the whole suite; one per model that tests create."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from community.models import Language, Membership, Organisation, Profile, Role, Sector, Theme, User
from events.models import Event


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.django.Password("correct horse battery staple")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Member {n}")
    slug = factory.Sequence(lambda n: f"member-{n}")
    # A member who chose to be seen: public and listed everywhere (the model's defaults list
    # nobody; tests of the privacy choices set each one explicitly).
    visibility = "public"
    in_directory = True
    in_speaker_lists = True
    in_organisation_lists = True


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("code",)

    code = "en"
    name = "English"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    type = "university"
    country = "ES"
    city = "Valencia"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    organiser = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Event {n}")
    description = "<p>A meeting of practitioners.</p>"
    timezone = "Europe/Madrid"
    start = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0, second=0) + dt.timedelta(days=7))
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(hours=2))
    city = "Valencia"
    country = "ES"


class SessionFactory(EventFactory):
    """A conference session; pass ``parent=conference`` (its organiser is taken from it)."""

    kind = "session"
    parent = factory.SubFactory(EventFactory, kind="conference")
    organiser = factory.LazyAttribute(lambda o: o.parent.organiser)
    start = factory.LazyAttribute(lambda o: o.parent.start)
