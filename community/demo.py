"""Demo content for the community side, drawn from the seed documents.

Idempotent: every object is looked up by a natural key first, so a second run
changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_noop
from wagtail.models import Page, Site

from community.demo_stories import load_discussions, load_stories
from community.members import ensure_profile
from community.models import (
    HomePage,
    Language,
    LegalText,
    Membership,
    Organisation,
    Project,
    ProjectPartner,
    Role,
    Sector,
    Theme,
    User,
)
from community.organisations import add_member

ORGANISATIONS = [
    {
        "slug": "florida-universitaria",
        "name": "Florida Universitària",
        "type": "university",
        "country": "ES",
        "city": "Catarroja (Valencia)",
        "website": "https://www.floridauniversitaria.es/",
        "description": "<p>University college in Catarroja, Valencia, working across school, VET, higher "
        "education and companies. Host of the international conference on good and new practices in "
        "innovation and educational leadership (European project IT-CLEX).</p>",
    },
    {
        "slug": "cmepius",
        "name": "CMEPIUS",
        "type": "national_agency",
        "country": "SI",
        "city": "Ljubljana",
        "website": "https://www.cmepius.si/",
        "description": "<p>Centre of the Republic of Slovenia for Mobility and European Educational and "
        "Training Programmes: the Erasmus+ national agency for education and training, and organiser of the "
        "annual valorisation conference.</p>",
    },
    {
        "slug": "vet-innovation-centre",
        "name": "VET Innovation Centre",
        "type": "vet",
        "country": "IE",
        "city": "Cork",
        "description": "<p>A vocational training provider working on innovation ecosystems for VET.</p>",
    },
]

MEMBERS = [
    # email, display name, headline, country, org slug, role, sectors, languages, themes
    ("admin@praxis.example", "Praxis Admin", "Platform moderator", "BE", None, None, [], ["en"], []),
    ("lucia@praxis.example", "Lucía Martínez", "Lecturer in education, Florida Universitària", "ES",
     "florida-universitaria", Role.ADMIN, ["higher-education", "school"], ["es", "ca", "en"],
     ["educational-leadership", "innovative-teaching"]),
    ("jordi@praxis.example", "Jordi Ferrer", "VET trainer and project coordinator", "ES",
     "florida-universitaria", Role.EDITOR, ["vet", "company-hr"], ["ca", "es", "en"],
     ["employability", "transitions"]),
    ("maja@praxis.example", "Maja Novak", "Programme officer, Erasmus+ school education", "SI", "cmepius",
     Role.ADMIN, ["school", "adult-education"], ["sl", "en", "de"], ["professional-development", "diversity"]),
    ("tina@praxis.example", "Tina Kovač", "eTwinning ambassador and primary teacher", "SI", "cmepius",
     Role.MEMBER, ["school"], ["sl", "en"], ["digital-competence", "language-learning"]),
    ("aoife@praxis.example", "Aoife Byrne", "Head of innovation, VET Innovation Centre", "IE",
     "vet-innovation-centre", Role.ADMIN, ["vet"], ["en", "ga"], ["entrepreneurship", "practice-research-policy"]),
    ("marco@praxis.example", "Marco Rossi", "Youth worker and social educator", "IT", None, None,
     ["youth", "social-services"], ["it", "en"], ["inclusion", "active-citizenship"]),
]  # fmt: skip

PROJECT_PARTNERS = [
    ("VET Innovation Centre", "IE", True, "vet-innovation-centre"),
    ("Florida Universitària", "ES", False, "florida-universitaria"),
    ("Regional chamber of commerce", "FR", False, None),
    ("Vocational college", "FI", False, None),
    ("Training institute", "DE", False, None),
    ("Adult education centre", "PT", False, None),
    ("Technical school", "IT", False, None),
    ("VET research unit", "NL", False, None),
    ("Regional development agency", "PL", False, None),
]


def demo_password() -> str:
    return "praxis-demo"


# The demo home page's text, in the catalogs: home_page.html shows it in the page's language
# (text an editor writes instead reads as written).
HOME_TITLE = gettext_noop("Praxis: a community of practice for educators")
HOME_INTRO = gettext_noop(
    "Teachers, trainers, university staff, youth workers and HR people share the good practices "
    "of their European projects, discuss them, and meet at conferences."
)


def load_home_page() -> HomePage:
    home = HomePage.objects.first()
    if home is not None:
        return home
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(
            title=HOME_TITLE,
            slug="praxis-home",
            intro=HOME_INTRO,
        )
    )
    site = Site.objects.filter(is_default_site=True).first()
    old_root = site.root_page if site else None
    if site:
        site.root_page = home
        site.site_name = "Praxis"
        site.save()
    else:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name="Praxis")
    if old_root is not None and old_root.pk != home.pk and old_root.depth == 2 and not old_root.get_children():
        old_root.delete()
    return home


def load_organisations() -> dict[str, Organisation]:
    out = {}
    for spec in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(slug=spec["slug"], defaults=spec)
        out[org.slug] = org
    return out


def load_members(organisations: dict[str, Organisation]) -> dict[str, User]:
    users = {}
    for email, name, headline, country, org_slug, role, sectors, languages, themes in MEMBERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(username=email.split("@")[0], email=email)
            user.set_password(demo_password())
            if email.startswith("admin@"):
                user.is_staff = user.is_superuser = True
            user.save()
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
            profile = ensure_profile(user=user, display_name=name)
            profile.headline, profile.country, profile.visibility = headline, country, "public"
            # The demo members opt in explicitly: the defaults list nobody.
            profile.in_directory = profile.in_speaker_lists = profile.in_organisation_lists = True
            profile.save()
            profile.sectors.set(Sector.objects.filter(slug__in=sectors))
            profile.languages.set(Language.objects.filter(code__in=languages))
            profile.themes.set(Theme.objects.filter(slug__in=themes))
        if org_slug and not Membership.objects.filter(user=user, organisation=organisations[org_slug]).exists():
            add_member(organisation=organisations[org_slug], user=user, role=role)
        users[email] = user
    return users


def load_project(organisations: dict[str, Organisation]) -> Project:
    project, created = Project.objects.get_or_create(
        slug="innovation-ecosystems-for-vet",
        defaults={
            "title": "Innovation Ecosystems for VET",
            "programme": "Erasmus+",
            "action": "Key Action 2: Strategic Partnerships",
            "start_date": dt.date(2015, 11, 1),
            "end_date": dt.date(2017, 10, 31),
            "summary": "To define and pilot an innovation ecosystem for VET based on an agreed set of common "
            "elements and principles that can be applied as a framework for innovation in Member States.",
        },
    )
    if created:
        project.themes.set(Theme.objects.filter(slug__in=["innovative-teaching", "entrepreneurship"]))
        for name, country, coordinator, org_slug in PROJECT_PARTNERS:
            ProjectPartner.objects.create(
                project=project,
                name=name,
                country=country,
                is_coordinator=coordinator,
                organisation=organisations.get(org_slug) if org_slug else None,
            )
    return project


PRIVACY_NOTICE = """
<p>Praxis is run by its partner organisations for educators across Europe. We keep what you give us
(your account, profile, posts, stories, chat messages and follows) to run the community, and nothing else.</p>
<h2>Your choices</h2>
<p>On <a href="/members/me/privacy/">Privacy and my data</a> you choose who sees your profile, whether you
appear in the directory, in speaker lists and on organisation pages, whether you may be quoted in practice
stories, and which emails you get. The defaults list you nowhere.</p>
<h2>Your rights</h2>
<p>From the same page you download all your data as one archive, or delete your account. No page loads
anything from another site: no fonts, analytics or CDNs, so there is no tracking and no cookie banner.</p>
"""

TERMS = """
<p>Be kind, share what worked and what did not, and respect the licence each story carries.
Moderators may hide posts and chat messages that break these terms.</p>
"""


def load_legal_texts() -> None:
    """The privacy notice and terms shown at /privacy/ and /terms/ (staff edit them in the admin)."""
    LegalText.objects.get_or_create(kind="privacy", defaults={"title": "Privacy notice", "body": PRIVACY_NOTICE})
    LegalText.objects.get_or_create(kind="terms", defaults={"title": "Terms of use", "body": TERMS})


def load_community_demo() -> dict[str, object]:
    if not (settings.DEBUG or settings.ALLOW_DEMO_DATA):
        # Demo accounts share one known password: never on a production site by accident.
        raise RuntimeError("load_demo runs only with DEBUG=1 (demo accounts have a known password)")
    home = load_home_page()
    organisations = load_organisations()
    users = load_members(organisations)
    project = load_project(organisations)
    stories = load_stories(home=home, users=users, organisations=organisations, project=project)
    load_discussions(users=users, stories=stories)
    load_legal_texts()
    return {"organisations": organisations, "users": users, "stories": stories}
