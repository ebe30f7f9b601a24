"""The site chrome: base layout, error pages, allauth pages, shared includes, static assets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.views.defaults import permission_denied

from tests.factories import UserFactory

ROOT = Path(settings.BASE_DIR)
PASSWORD = "correct horse battery staple"
NAV = {"/stories/", "/discussions/", "/events/", "/members/", "/organisations/"}


def soup_of(html: str | bytes) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def assert_chrome(soup: BeautifulSoup, lang: str = "en") -> None:
    """The page is inside the Praxis layout and has its accessibility landmarks."""
    assert soup.html is not None
    assert soup.html.get("lang") == lang
    assert soup.title is not None
    assert soup.title.get_text(strip=True).endswith("Praxis")

    first_focusable = soup.body.find(["a", "button", "input", "select", "textarea"])
    assert first_focusable.name == "a"
    assert first_focusable["href"] == "#main"
    assert "skip-link" in first_focusable["class"]

    header = soup.body.find("header")
    assert header is not None
    brand = header.find("a", href="/")
    assert brand is not None
    assert "Praxis" in brand.get_text()

    main_nav = soup.find("nav", attrs={"aria-label": "Main"})
    assert main_nav is not None
    assert {a["href"] for a in main_nav.find_all("a")} == NAV

    mains = soup.find_all("main")
    assert len(mains) == 1
    assert mains[0].get("id") == "main"
    assert mains[0].get("tabindex") == "-1"
    assert soup.body.find("footer") is not None

    assert soup.find("link", rel="stylesheet", href=re.compile(r"/static/css/praxis\.css$"))
    script = soup.find("script", src=re.compile(r"/static/js/praxis\.js$"))
    assert script is not None
    assert script.has_attr("defer")
    assert soup.find("link", rel="icon", href=re.compile(r"/static/img/favicon\.svg$"))


def unlabelled_inputs(soup: BeautifulSoup) -> list[str]:
    """Form controls that a screen reader would announce without a name."""
    scope = soup.find("main")
    labelled_ids = {label.get("for") for label in soup.find_all("label") if label.get("for")}
    missing = []
    for control in scope.find_all(["input", "select", "textarea"]):
        if control.name == "input" and control.get("type", "text") in {"hidden", "submit", "button", "reset", "image"}:
            continue
        if control.get("aria-label") or control.get("aria-labelledby"):
            continue
        if control.get("id") and control["id"] in labelled_ids:
            continue
        missing.append(str(control))
    return missing


# --- error pages ------------------------------------------------------------


@pytest.mark.django_db
def test_404_renders_inside_the_chrome(client):
    response = client.get("/this/page/does-not-exist-anywhere/")

    assert response.status_code == 404
    soup = soup_of(response.content)
    assert_chrome(soup)
    assert soup.find("main").find("h1").get_text(strip=True) == "Page not found"
    assert soup.find("meta", attrs={"name": "robots", "content": "noindex"})
    assert not soup.find(attrs={"aria-current": True})


@pytest.mark.django_db
def test_403_renders_inside_the_chrome_and_offers_login(rf):
    request = rf.get("/events/42/edit/")
    request.user = AnonymousUser()

    response = permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    soup = soup_of(response.content)
    assert_chrome(soup)
    login = soup.find("main").find("a", href=re.compile(r"^/accounts/login/\?next="))
    assert login is not None
    assert "%2Fevents%2F42%2Fedit%2F" in login["href"]


def test_500_is_self_contained_without_context_or_database():
    # No `db` fixture: any query would raise. No request, no context processors.
    html = get_template("500.html").render()

    soup = soup_of(html)
    assert soup.html.get("lang") == "en"
    assert soup.find("main") is not None
    assert soup.find("h1") is not None
    assert soup.find("style") is not None
    assert not soup.find("link", rel="stylesheet")
    assert not soup.find("script")


# --- the base layout ----------------------------------------------------------


def render_base(rf, path: str, user=None) -> BeautifulSoup:
    request = rf.get(path)
    request.user = user or AnonymousUser()
    return soup_of(render_to_string("base.html", request=request))


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/stories/", "/stories/"),
        ("/stories/a-practice/", "/stories/"),
        ("/discussions/3/", "/discussions/"),
        ("/events/", "/events/"),
        ("/events/2025/05/", "/events/"),
        ("/members/ana/", "/members/"),
        ("/organisations/uv/", "/organisations/"),
        ("/eventsx/", None),
    ],
)
def test_active_nav_item_has_aria_current(rf, path, current):
    soup = render_base(rf, path)

    nav = soup.find("nav", attrs={"aria-label": "Main"})
    marked = [a["href"] for a in nav.find_all("a", attrs={"aria-current": "page"})]
    assert marked == ([current] if current else [])


@pytest.mark.django_db
def test_anonymous_visitor_sees_log_in_and_sign_up(client):
    soup = soup_of(client.get("/this/page/does-not-exist-anywhere/").content)

    account = soup.find("nav", attrs={"aria-label": "Account"})
    hrefs = {a["href"] for a in account.find_all("a")}
    assert hrefs == {reverse("account_login"), reverse("account_signup")}
    assert account.find("form") is None


@pytest.mark.django_db
def test_member_sees_profile_link_and_a_post_logout_form(client):
    client.force_login(UserFactory())

    soup = soup_of(client.get("/this/page/does-not-exist-anywhere/").content)

    account = soup.find("nav", attrs={"aria-label": "Account"})
    texts = [a.get_text(strip=True) for a in account.find_all("a")]
    assert texts == ["My profile", "My calendar"]
    assert account.find("a")["href"].endswith("/edit/")
    logout = account.find("form")
    assert logout["method"] == "post"
    assert logout["action"] == reverse("account_logout")
    assert logout.find("input", attrs={"name": "csrfmiddlewaretoken"})
    assert logout.find("button", type="submit").get_text(strip=True) == "Log out"


@pytest.mark.django_db
def test_language_switcher_is_a_plain_post_form(client):
    soup = soup_of(client.get("/this/page/does-not-exist-anywhere/?a=1").content)

    form = soup.find("form", action=reverse("set_language"))
    assert form["method"] == "post"
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})
    next_field = form.find("input", attrs={"name": "next", "type": "hidden"})
    assert next_field["value"] == "/this/page/does-not-exist-anywhere/?a=1"
    select = form.find("select", attrs={"name": "language"})
    assert soup.find("label", attrs={"for": select["id"]}) is not None
    options = {o["value"]: o.get_text(strip=True) for o in select.find_all("option")}
    assert options == {"en": "English", "es": "Español", "sl": "Slovenščina"}
    assert select.find("option", selected=True)["value"] == "en"
    assert form.find("button", type="submit") is not None


@pytest.mark.django_db
def test_switching_language_changes_the_lang_attribute(client):
    response = client.post(reverse("set_language"), {"language": "sl", "next": "/nowhere-at-all/"})
    assert response.status_code == 302

    soup = soup_of(client.get("/nowhere-at-all/").content)

    assert soup.html["lang"] == "sl"
    assert soup.find("select", attrs={"name": "language"}).find("option", selected=True)["value"] == "sl"


@pytest.mark.django_db
def test_messages_are_a_status_list(client):
    user = UserFactory()
    client.force_login(user)
    # allauth adds a "signed out" message on logout; follow the redirect to a page in our chrome.
    response = client.post(reverse("account_logout"), {"next": "/nowhere-at-all/"}, follow=True)

    soup = soup_of(response.content)
    messages = soup.find("ul", class_="messages")
    assert messages is not None
    assert messages["role"] == "status"
    assert messages.find("li", class_="message")


# --- allauth pages ------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_has_labelled_inputs_inside_the_chrome(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    soup = soup_of(response.content)
    assert_chrome(soup)
    assert soup.title.get_text(" ", strip=True).startswith("Log in")
    form = soup.find("main").find("form", method="post")
    assert form.find("input", attrs={"type": "email"}) is not None
    assert form.find("input", attrs={"type": "password"}) is not None
    assert unlabelled_inputs(soup) == []


@pytest.mark.django_db
def test_failed_login_is_announced_and_keeps_what_was_typed(client):
    UserFactory(email="ana@example.org")

    response = client.post("/accounts/login/", {"login": "ana@example.org", "password": "wrong password"})

    assert response.status_code == 200
    soup = soup_of(response.content)
    alert = soup.find("main").find(attrs={"role": "alert"})
    assert alert is not None
    assert alert.find("ul", class_="errorlist")
    assert soup.find("input", attrs={"name": "login"})["value"] == "ana@example.org"
    assert unlabelled_inputs(soup) == []


@pytest.mark.django_db
def test_signup_errors_are_linked_to_their_fields(client):
    response = client.post("/accounts/signup/", {"email": "not-an-email", "password1": "x", "password2": "y"})

    assert response.status_code == 200
    soup = soup_of(response.content)
    email = soup.find("input", attrs={"name": "email"})
    assert email["aria-invalid"] == "true"
    error_id = f"{email['id']}_error"
    assert error_id in email["aria-describedby"].split()
    assert soup.find(id=error_id).name == "ul"
    assert soup.find(attrs={"role": "alert"}).find("a", href=f"#{email['id']}")
    assert unlabelled_inputs(soup) == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/signup/", "/accounts/password/reset/"])
def test_anonymous_allauth_pages_render_in_the_chrome(client, path):
    response = client.get(path)

    assert response.status_code == 200
    soup = soup_of(response.content)
    assert_chrome(soup)
    assert "allauth" in soup.body["class"]
    assert soup.find("main").find("h1") is not None
    assert unlabelled_inputs(soup) == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/email/", "/accounts/password/change/"])
def test_member_allauth_pages_render_in_the_chrome(client, path):
    user = UserFactory()
    client.force_login(user)

    response = client.get(path)

    assert response.status_code == 200
    soup = soup_of(response.content)
    assert_chrome(soup)
    assert soup.find("main").find("h1") is not None
    assert unlabelled_inputs(soup) == []


# --- shared includes ----------------------------------------------------------


class SampleForm(forms.Form):
    email = forms.EmailField(label="Email", help_text="We never show it to anyone.")
    themes = forms.MultipleChoiceField(
        label="Themes",
        choices=[("vet", "VET"), ("adult", "Adult learning")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Pick one or more.",
    )
    agree = forms.BooleanField(label="I agree", required=False)
    bio = forms.CharField(label="About you", required=False, widget=forms.Textarea)

    def clean(self):
        raise forms.ValidationError("Something is wrong with the form as a whole.")


def render_include(name: str, **context) -> BeautifulSoup:
    return soup_of(render_to_string(name, context))


def test_form_field_links_label_help_and_errors():
    form = SampleForm(data={"email": "nope", "bio": "Hello"})
    form.is_valid()

    soup = render_include("includes/form_field.html", field=form["email"])

    widget = soup.find("input", attrs={"name": "email"})
    assert soup.find("label", attrs={"for": widget["id"]}).get_text(strip=True) == "Email"
    assert widget["aria-invalid"] == "true"
    described = widget["aria-describedby"].split()
    assert described == [f"{widget['id']}_helptext", f"{widget['id']}_error"]
    assert soup.find(id=f"{widget['id']}_helptext").get_text(strip=True) == "We never show it to anyone."
    errors = soup.find(id=f"{widget['id']}_error")
    assert "errorlist" in errors["class"]
    assert errors.find("li")


def test_form_field_without_errors_is_not_marked_invalid():
    soup = render_include("includes/form_field.html", field=SampleForm()["bio"])

    widget = soup.find("textarea")
    assert not widget.has_attr("aria-invalid")
    assert soup.find("label", attrs={"for": widget["id"]})
    assert "(optional)" in soup.find("label").get_text()


def test_form_field_groups_multiple_choices_in_a_fieldset():
    form = SampleForm(data={"email": "a@example.org"})
    form.is_valid()

    soup = render_include("includes/form_field.html", field=form["themes"])

    fieldset = soup.find("fieldset")
    assert fieldset.find("legend").get_text(strip=True) == "Themes"
    assert set(fieldset["aria-describedby"].split()) == {"id_themes_helptext", "id_themes_error"}
    boxes = fieldset.find_all("input", type="checkbox")
    assert len(boxes) == 2
    assert all(soup.find("label", attrs={"for": box["id"]}) for box in boxes)


def test_form_field_puts_a_single_checkbox_before_its_label():
    soup = render_include("includes/form_field.html", field=SampleForm()["agree"])

    box = soup.find("input", type="checkbox")
    label = soup.find("label", attrs={"for": box["id"]})
    assert label is not None
    assert box.find_next("label") is label


def test_form_errors_is_an_alert_with_links_to_fields():
    form = SampleForm(data={"email": "nope"})
    form.is_valid()

    soup = render_include("includes/form_errors.html", form=form)

    alert = soup.find(attrs={"role": "alert"})
    assert "Something is wrong with the form as a whole." in alert.get_text()
    assert alert.find("a", href="#id_email")
    assert render_to_string("includes/form_errors.html", {"form": SampleForm()}).strip() == ""


def test_pagination_keeps_filters_and_marks_the_current_page(rf):
    request = rf.get("/events/", {"theme": "vet", "country": "SI", "page": "5"})
    page_obj = Paginator(range(200), 10).page(5)

    soup = soup_of(render_to_string("includes/pagination.html", {"page_obj": page_obj}, request=request))

    nav = soup.find("nav", class_="pagination")
    assert nav["aria-label"] == "Pagination"
    hrefs = [a["href"] for a in nav.find_all("a")]
    assert all("theme=vet" in h and "country=SI" in h for h in hrefs)
    assert all(h.count("page=") == 1 for h in hrefs)
    current = nav.find("a", attrs={"aria-current": "page"})
    assert current["href"].endswith("page=5")
    assert nav.find("a", rel="prev")["href"].endswith("page=4")
    assert nav.find("a", rel="next")["href"].endswith("page=6")
    pages = [a.get_text(" ", strip=True).split()[-1] for a in nav.find_all("a") if not a.get("rel")]
    assert pages == ["1", "3", "4", "5", "6", "7", "20"]


def test_pagination_renders_nothing_for_a_single_page(rf):
    page_obj = Paginator(range(5), 10).page(1)

    html = render_to_string("includes/pagination.html", {"page_obj": page_obj}, request=rf.get("/members/"))

    assert html.strip() == ""


# --- assets -------------------------------------------------------------------

EXTERNAL_ASSET = [
    re.compile(r"""\bsrc\s*=\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//""", re.I | re.S),
    re.compile(r"""@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"""\burl\(\s*["']?\s*(?:https?:)?//""", re.I),
]
ASSET_SUFFIXES = {".html", ".txt", ".css", ".js", ".mjs", ".svg"}


def asset_files() -> list[Path]:
    roots = [ROOT / "templates", ROOT / "site" / "static"]
    return sorted(p for root in roots for p in root.rglob("*") if p.is_file() and p.suffix in ASSET_SUFFIXES)


def test_no_template_or_static_file_loads_assets_from_another_host():
    files = asset_files()
    assert any(p.name == "base.html" for p in files)

    offenders = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for pattern in EXTERNAL_ASSET:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)!r}")

    assert offenders == []


def test_external_asset_patterns_catch_what_they_should():
    bad = [
        '<script src="https://cdn.example.com/x.js"></script>',
        "<link rel='stylesheet' href='https://fonts.googleapis.com/css'>",
        '<img src="//example.com/a.png">',
        "@import url(https://fonts.googleapis.com/css2?family=Inter);",
        'background: url("http://example.com/bg.png")',
    ]
    good = [
        '<a href="https://erasmus-plus.ec.europa.eu/">Erasmus+</a>',
        '<script src="/static/js/praxis.js" defer></script>',
        "background: url(../img/favicon.svg)",
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
    ]
    assert all(any(p.search(s) for p in EXTERNAL_ASSET) for s in bad)
    assert not any(p.search(s) for s in good for p in EXTERNAL_ASSET)


CHROME_TEMPLATES = [
    "base.html",
    "404.html",
    "403.html",
    "500.html",
    "includes/pagination.html",
    "includes/form_field.html",
    "includes/form_errors.html",
    "allauth/layouts/base.html",
    "allauth/elements/fields.html",
]


@pytest.mark.parametrize("name", CHROME_TEMPLATES)
def test_every_ui_string_in_the_chrome_is_translatable(name):
    """Once template tags, variables, markup, styles and comments are gone, no words are left."""
    source = (ROOT / "templates" / name).read_text(encoding="utf-8")
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", source, flags=re.S)
    text = re.sub(r"{%\s*blocktranslate.*?endblocktranslate\s*%}", " ", text, flags=re.S)
    text = re.sub(r"{%\s*block body_class\s*%}.*?{%\s*endblock[^%]*%}", " ", text, flags=re.S)  # CSS classes
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.S | re.I)
    text = re.sub(r"{%.*?%}|{{.*?}}|<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text, flags=re.S)
    words = set(re.findall(r"[^\W\d_]{2,}", text)) - {"Praxis"}
    assert words == set(), f"untranslated text in {name}: {sorted(words)}"
