"""Demo practice stories and discussions, written from the seed documents.

Idempotent like the rest of the demo: stories are looked up by slug, threads by title.
Published directly (a demo has no one to moderate it); member submissions go through
community/stories.py and the workflow.
"""

from __future__ import annotations

from wagtail.models import Locale
from wagtail.rich_text import RichText

from community.discussions import follow_category, post_reply, start_thread, story_thread
from community.markdown import render_markdown
from community.models import (
    Category,
    HomePage,
    Organisation,
    PracticeStoryPage,
    Project,
    Sector,
    StoryCountry,
    TargetGroup,
    Theme,
    Thread,
    User,
)
from community.stories import ensure_story_index

STORIES = [
    {
        "slug": "an-innovation-ecosystem-for-vet",
        "title": "Piloting an innovation ecosystem for VET",
        "summary": "Nine partners agreed a set of common elements and principles for innovation in vocational "
        "education and training, then piloted them as a framework in their own countries.",
        "body": "Innovation is essential for the growth of modern societies, yet it is not systematically part of "
        "education policy, and the dynamics of innovation in VET remain to be fully understood.\n\n"
        "## What we did\n\n"
        "- agreed a set of **common elements and principles** for an innovation ecosystem;\n"
        "- used them to identify, test, develop and assess new approaches with *mainstreaming potential*;\n"
        "- borrowed from business what public training systems often lack: being market-driven, flexible "
        "and quick to adapt.\n",
        "outcome": (
            "Innovation in our VET centres depended on a few enthusiasts and stopped when they moved on.",
            "Each partner runs a shared cycle to identify, test, develop and assess new approaches.",
            "The framework was piloted in the partner countries during the project.",
        ),
        "author": "aoife@praxis.example",
        "organisations": ["vet-innovation-centre", "florida-universitaria"],
        "countries": ["IE", "ES", "FR", "FI", "DE", "PT", "IT", "NL", "PL"],
        "sectors": ["vet"],
        "themes": ["innovative-teaching", "entrepreneurship"],
        "target_groups": ["teachers", "vet-learners", "policy-makers"],
        "project": True,
    },
    {
        "slug": "from-nice-to-potica-valorisation",
        "title": "From Nice to potica: valorising projects at a national agency",
        "summary": "How the Slovenian national agency turned its yearly valorisation conference into a place where "
        "schools, NGOs, companies and municipalities see what international projects change at home.",
        "body": "The valorisation conference is the agency's most important yearly event. In 2019 it was joined "
        "with the national eTwinning conference, so online project methods met mobility projects.\n\n"
        "The theme was the **local impact** of projects: belonging, cooperation between schools, NGOs, "
        "companies and municipalities, and the role of education as the centre of a local community.\n\n"
        "Three areas frame each year: professional development of educators from kindergarten to adult "
        "education, intercultural competence, and the quality of education.\n",
        "outcome": (
            "Results of projects stayed with the institutions that ran them.",
            "Participants go home with new contacts at home and abroad and ideas for their own work.",
            "",
        ),
        "author": "maja@praxis.example",
        "organisations": ["cmepius"],
        "countries": ["SI"],
        "sectors": ["school", "adult-education"],
        "themes": ["professional-development", "diversity"],
        "target_groups": ["teachers", "school-leaders"],
        "translation": {
            "language": "sl",
            "slug": "od-nice-do-potice-valorizacija",
            "title": "Od Nice do potice: valorizacija projektov na nacionalni agenciji",
            "summary": "Kako je valorizacijska konferenca CMEPIUS postala prostor, kjer šole, nevladne "
            "organizacije, podjetja in občine vidijo, kaj mednarodni projekti spreminjajo doma.",
            "body": "Valorizacijska konferenca je naš najpomembnejši letni dogodek. Leta 2019 smo jo združili z "
            "nacionalno eTwinning konferenco.\n\nPosvečena je bila **vplivu projektov na lokalno okolje**, "
            "medsebojnemu povezovanju in občutku pripadnosti.\n",
        },
    },
    {
        "slug": "cooperating-for-school-social-professional-success",
        "title": "Cooperating for school, social and professional success",
        "summary": "An international conference in Catarroja brought teachers, social-services staff, trainers for "
        "unemployed people and HR staff together to exchange good practices in innovation and leadership.",
        "body": "We aimed to go **beyond the school field**: new spaces for learning and teaching exist in "
        "social services, companies and training for unemployed people.\n\n"
        "The conference, in the framework of the European project IT-CLEX, was a meeting point between "
        "universities, schools, companies and social services.\n",
        "outcome": (
            "Good practices stayed invisible outside the school that made them.",
            "Professionals from four worlds exchanged models, methods and resources for school, social and "
            "professional success.",
            "",
        ),
        "author": "lucia@praxis.example",
        "organisations": ["florida-universitaria"],
        "countries": ["ES"],
        "sectors": ["school", "higher-education", "company-hr"],
        "themes": ["educational-leadership", "transitions"],
        "target_groups": ["teachers", "social-services", "hr-staff", "unemployed"],
        "translation": {
            "language": "es",
            "slug": "cooperando-para-el-exito-escolar-social-y-profesional",
            "title": "Cooperando para el éxito escolar, social y profesional",
            "summary": "Un congreso internacional en Catarroja reunió a docentes, personal de servicios sociales, "
            "formadores de personas desempleadas y de recursos humanos para intercambiar buenas prácticas.",
            "body": "Quisimos ir **más allá del ámbito escolar**: también se aprende y se enseña en los servicios "
            "sociales, en las empresas y en la formación para personas desempleadas.\n",
        },
    },
]

CATEGORIES = [
    ("practice-exchange", "Practice exchange", "Ask colleagues how they did it; share what worked.", 0),
    ("projects-and-partners", "Projects and partners", "Looking for partners, valorising results.", 1),
]


def _story_page(spec: dict, *, locale: Locale, author: User, organisations, project) -> PracticeStoryPage:
    html, _text = render_markdown(spec["body"])
    before, after, evidence = spec.get("outcome", ("", "", ""))
    body = [("text", RichText(html))]
    if before and after:
        body.append(("outcome", {"before": before, "after": after, "evidence": evidence}))
    page = PracticeStoryPage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        body_markdown=spec["body"],
        body=body,
        owner=author,
        locale=locale,
        project=project,
    )
    page.authors.set([author.profile])
    page.organisations.set([organisations[slug] for slug in spec.get("organisations", []) if slug in organisations])
    page.sectors.set(Sector.objects.filter(slug__in=spec.get("sectors", [])))
    page.themes.set(Theme.objects.filter(slug__in=spec.get("themes", [])))
    page.target_groups.set(TargetGroup.objects.filter(slug__in=spec.get("target_groups", [])))
    page.countries.set([StoryCountry(country=code) for code in spec.get("countries", [])])
    return page


def load_stories(
    *, home: HomePage, users: dict[str, User], organisations: dict[str, Organisation], project: Project
) -> dict[str, PracticeStoryPage]:
    index = ensure_story_index(home=home)
    if not index.live:
        index.save_revision().publish()
    stories = {}
    for spec in STORIES:
        story = PracticeStoryPage.objects.filter(slug=spec["slug"]).first()
        author = users[spec["author"]]
        if story is None:
            page = _story_page(
                spec,
                locale=index.locale,
                author=author,
                organisations=organisations,
                project=project if spec.get("project") else None,
            )
            story = index.add_child(instance=page)
            story.save_revision(user=author).publish()
        stories[spec["slug"]] = story
        translation = spec.get("translation")
        if translation and not PracticeStoryPage.objects.filter(slug=translation["slug"]).exists():
            locale = Locale.objects.get(language_code=translation["language"])
            copy = story.copy_for_translation(locale, copy_parents=True)
            translated = _story_page(
                {**spec, **translation, "outcome": ("", "", "")},
                locale=locale,
                author=author,
                organisations=organisations,
                project=None,
            )
            for name in ("title", "slug", "summary", "body_markdown", "body"):
                setattr(copy, name, getattr(translated, name))
            copy.save_revision(user=author).publish()
            stories[translation["slug"]] = copy
    return stories


def load_discussions(*, users: dict[str, User], stories: dict[str, PracticeStoryPage]) -> None:
    categories = {}
    for slug, name, description, position in CATEGORIES:
        categories[slug], _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    lucia, maja, tina, jordi = (users[f"{name}@praxis.example"] for name in ("lucia", "maja", "tina", "jordi"))
    if not Thread.objects.filter(title="How do you keep project results alive after the funding ends?").exists():
        follow_category(user=lucia, category=categories["practice-exchange"])
        thread = start_thread(
            user=jordi,
            category=categories["practice-exchange"],
            title="How do you keep project results alive after the funding ends?",
            body_markdown="Our KA2 partnership ended last year. The materials are online but few people use them. "
            "What did you do to keep **results** in use?",
        )
        post_reply(
            user=maja,
            thread=thread,
            body_markdown="We invite projects to the valorisation conference a year after they end: seeing "
            "colleagues use their results keeps teams going.",
        )
    if not Thread.objects.filter(title="Looking for a VET partner in Finland or Portugal").exists():
        start_thread(
            user=users["aoife@praxis.example"],
            category=categories["projects-and-partners"],
            title="Looking for a VET partner in Finland or Portugal",
            body_markdown="We want to pilot the innovation ecosystem framework with two more VET providers.",
        )
    story = stories.get("from-nice-to-potica-valorisation")
    if story is not None:
        thread = story_thread(story=story)
        if thread.post_count == 0:
            first = post_reply(
                user=tina,
                thread=thread,
                body_markdown="Joining the valorisation with the eTwinning conference worked well for our school: "
                "online projects and mobility finally met.",
            )
            post_reply(
                user=lucia,
                thread=thread,
                body_markdown=f"@{maja.profile.slug} did you keep the same format for the 2020 conference?",
                reply_to=first,
            )
            post_reply(
                user=maja,
                thread=thread,
                body_markdown="Each year has its own theme, but the mix of good practices and space for new "
                "partnerships stays.",
            )
