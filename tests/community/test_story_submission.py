"""Members submit and edit stories from the front end; moderators decide in Wagtail's admin."""

from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import WorkflowState

from community.models import Notification, NotificationKind, PracticeStoryPage
from tests.community.factories_stories import assert_inert, moderator, publish_story, story_index
from tests.community.xss_vectors import DANGEROUS_MARKUP, UNSAFE_HREFS
from tests.factories import ProfileFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def member():
    user = UserFactory()
    ProfileFactory(user=user, display_name="Ana Member")
    return user


def story_data(**overrides) -> dict:
    data = {
        "title": "Peer mentoring in the workshop",
        "language": "en",
        "summary": "Apprentices mentor first-years.",
        "body_markdown": "We paired **apprentices** with first-years.",
        "outcome_before": "First-years dropped out.",
        "outcome_after": "They stay.",
        "outcome_evidence": "",
        "video_url": "",
        "licence": "cc-by-4.0",
    }
    data.update(overrides)
    return data


def submit(client, user, **overrides) -> PracticeStoryPage:
    story_index()
    client.force_login(user)
    response = client.post(reverse("story-submit"), story_data(**overrides))
    assert response.status_code == 302, BeautifulSoup(response.content, "html.parser").select(".errorlist")
    return PracticeStoryPage.objects.get(owner=user)


def decide(client, user, story: PracticeStoryPage, action: str, comment: str = ""):
    task_state = story.current_workflow_state.current_task_state
    client.force_login(user)
    url = reverse("wagtailadmin_pages:workflow_action", args=[story.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


def my_story_states(client, user) -> dict[str, str]:
    client.force_login(user)
    soup = BeautifulSoup(client.get(reverse("member-me"), follow=True).content, "html.parser")
    return {
        li.find(class_="my-stories__title").get_text(strip=True): li["data-state"]
        for li in soup.select(".my-stories li[data-state]")
    }


def test_submission_is_a_draft_in_moderation_and_not_public(client, member):
    story = submit(client, member, themes=[ThemeFactory().pk])

    assert (story.live, story.current_workflow_state.status) == (False, WorkflowState.STATUS_IN_PROGRESS)
    listed = BeautifulSoup(client.get("/stories/").content, "html.parser").select(".card--story")
    assert listed == []
    assert my_story_states(client, member) == {"Peer mentoring in the workshop": "in_moderation"}


def test_moderator_approves_in_admin_then_story_is_published_listed_and_author_notified(client, member):
    story = submit(client, member)

    response = decide(client, moderator(), story, "approve")

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.live is True
    client.logout()
    assert client.get(story.url).status_code == 200
    assert b"Peer mentoring in the workshop" in client.get("/stories/").content
    assert b"Peer mentoring in the workshop" in client.get("/stories/feed/").content
    assert b"Peer mentoring in the workshop" in client.get("/stories/", {"q": "apprentices"}).content
    notes = Notification.objects.filter(recipient=member)
    assert [(n.kind, n.url) for n in notes] == [(NotificationKind.STORY_APPROVED, story.url)]
    assert my_story_states(client, member) == {"Peer mentoring in the workshop": "published"}


def test_moderator_rejects_with_comment_and_author_sees_needs_changes(client, member):
    story = submit(client, member)

    decide(client, moderator(), story, "reject", comment="Please name the college.")

    story.refresh_from_db()
    assert story.live is False
    note = Notification.objects.get(recipient=member)
    assert (note.kind, note.message) == (
        NotificationKind.STORY_REJECTED,
        "Your story “Peer mentoring in the workshop” needs changes. Moderator's comment: Please name the college.",
    )
    assert my_story_states(client, member) == {"Peer mentoring in the workshop": "needs_changes"}


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_an_editor_without_the_moderator_role_gets_a_403_naming_the_reason(client, member, action):
    story = submit(client, member)
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))

    response = decide(client, editor, story, action)

    assert response.status_code == 403
    assert f"Your role does not allow this moderation action ({action}) on this page." in response.content.decode()
    story.refresh_from_db()
    assert (story.live, story.current_workflow_state.status) == (False, WorkflowState.STATUS_IN_PROGRESS)


def test_a_member_with_no_admin_role_gets_a_403_not_a_login_loop(client, member):
    story = submit(client, member)
    other = UserFactory()

    response = decide(client, other, story, "approve")
    dashboard = client.get("/admin/")

    assert (response.status_code, dashboard.status_code) == (403, 403)
    assert "approving or rejecting stories needs the moderator role" in dashboard.content.decode()
    story.refresh_from_db()
    assert story.live is False


def test_visitors_are_still_sent_to_log_in_to_the_admin(client):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"


def test_editing_a_published_story_goes_to_moderation_while_the_published_version_stays(client, member):
    story = submit(client, member)
    decide(client, moderator(), story, "approve")
    client.force_login(member)

    response = client.post(reverse("story-edit", args=[story.pk]), story_data(title="Peer mentoring, year two"))

    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.title, story.live, story.current_workflow_state.status) == (
        "Peer mentoring in the workshop",
        True,
        WorkflowState.STATUS_IN_PROGRESS,
    )
    assert b"Peer mentoring in the workshop" in client.get(story.url).content
    decide(client, moderator(), story, "approve")
    story.refresh_from_db()
    assert story.title == "Peer mentoring, year two"


def test_someone_elses_story_cannot_be_edited(client, member):
    story = publish_story(title="Not yours")
    client.force_login(member)

    get = client.get(reverse("story-edit", args=[story.pk]))
    post = client.post(reverse("story-edit", args=[story.pk]), story_data(title="Mine now"))

    assert (get.status_code, post.status_code) == (403, 403)
    assert b"Only the story&#x27;s authors can edit it." in post.content
    story.refresh_from_db()
    assert story.title == "Not yours"


def test_form_error_keeps_everything_typed(client, member):
    story_index()
    client.force_login(member)

    response = client.post(reverse("story-submit"), story_data(summary="", video_url="https://evil.example/v"))

    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("input", attrs={"name": "title"})["value"] == "Peer mentoring in the workshop"
    assert soup.find("textarea", attrs={"name": "body_markdown"}).get_text().lstrip("\n") == (
        "We paired **apprentices** with first-years."
    )
    assert PracticeStoryPage.objects.count() == 0


def test_video_must_be_youtube_or_vimeo(client, member):
    story_index()
    client.force_login(member)

    response = client.post(reverse("story-submit"), story_data(video_url="https://evil.example/v"))

    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert (
        soup.find(id="id_video_url_error").get_text(" ", strip=True) == "Error: Give a YouTube or Vimeo video address."
    )


def test_organisation_field_only_offers_the_members_own_organisations(client, member):
    from tests.factories import MembershipFactory, OrganisationFactory

    mine = MembershipFactory(user=member).organisation
    other = OrganisationFactory()
    story_index()
    client.force_login(member)

    response = client.post(reverse("story-submit"), story_data(organisations=[other.pk]))

    assert response.status_code == 400
    assert PracticeStoryPage.objects.count() == 0
    client.post(reverse("story-submit"), story_data(organisations=[mine.pk]))
    assert list(PracticeStoryPage.objects.get().organisations.all()) == [mine]


def test_xss_vectors_in_every_story_field_are_inert_on_the_page_and_in_the_feed(client, member):
    # Django's form fields refuse NUL outright, so vectors carrying one are left to the sanitiser's tests.
    markup = "\n\n".join(vector for _name, vector, _expected in DANGEROUS_MARKUP if "\x00" not in vector)
    hrefs = [href for _id, href in UNSAFE_HREFS if "\x00" not in href]
    links = "\n\n".join(f'[x{n}]({href}) <a href="{href}">y{n}</a>' for n, href in enumerate(hrefs))
    story = submit(
        client,
        member,
        title='<script>alert(1)</script><img src=x onerror=alert(1)>"><svg onload=alert(1)>',
        summary="<script>alert(1)</script>" + markup[:400],
        body_markdown=markup + "\n\n" + links,
        outcome_before=markup[:2000],
        outcome_after="<img src=x onerror=alert(1)>",
        outcome_evidence='"><script>alert(1)</script>',
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ&x=<script>",
    )
    decide(client, moderator(), story, "approve")
    story.refresh_from_db()
    client.logout()

    page = client.get(story.url)
    assert page.status_code == 200
    assert_inert(page.content)
    assert_inert(client.get("/stories/").content)
    api_row = client.get(f"/api/v1/stories/{story.pk}/").json()
    assert_inert(api_row["body_html"])
    assert api_row["title"] == story.title  # JSON carries text; escaping is the reader's job as for any string
    # In the feed the title is Atom text (shown as text) and the summary is type="html": a reader
    # parses the summary as HTML, so that parsed HTML must be inert.
    feed = ElementTree.fromstring(client.get("/stories/feed/").content)
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == story.title
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert_inert(summary.text)
    assert BeautifulSoup(summary.text, "html.parser").get_text() == story.summary


def test_a_title_with_line_breaks_is_stored_on_one_line_and_no_email_subject_breaks(client, member, mailoutbox):
    story = submit(client, member, title="Peer\r\nmentoring\u2028 in\tthe\x0b workshop")

    decide(client, moderator(), story, "approve")

    story.refresh_from_db()
    assert story.title == "Peer mentoring in the workshop"
    assert all("\n" not in message.subject for message in mailoutbox)
