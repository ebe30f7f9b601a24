"""Spanish and Slovenian UI: the language switcher, Accept-Language and the catalogs in locale/.

The .po files are read with a small parser here (no polib in CI), and the compiled .mo files
with the standard library's ``gettext``, so a catalog that was edited but not recompiled fails.
"""

from __future__ import annotations

import ast
import datetime as dt
import gettext
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import translation

from community.demo import load_home_page
from community.models import Sector, Theme
from tests.factories import EventFactory

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LANGS = ["es", "sl"]
NPLURALS = {"es": 2, "sl": 4}
PLURAL_FORMS = {
    "es": "nplurals=2; plural=(n != 1);",
    "sl": "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
}

# What base.html's navigation says in each language (locale/*/LC_MESSAGES/django.po).
NAV_LABELS = {
    "es": {
        "/stories/": "Experiencias",
        "/discussions/": "Debates",
        "/events/": "Eventos",
        "/members/": "Miembros",
        "/organisations/": "Organizaciones",
    },
    "sl": {
        "/stories/": "Zgodbe",
        "/discussions/": "Razprave",
        "/events/": "Dogodki",
        "/members/": "Člani",
        "/organisations/": "Organizacije",
    },
}
MAIN_NAV_LABEL = {"es": "Principal", "sl": "Glavno"}
SKIP_LINK = {"es": "Saltar al contenido principal", "sl": "Preskoči na glavno vsebino"}

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}|%[sd]")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


# --- a tiny .po reader -------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural.get(i, "") for i in range(max(self.msgstr_plural, default=-1) + 1)]


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')
_CONTINUATION = re.compile(r'^(".*")\s*$')


def _unquote(token: str) -> str:
    # A PO string literal is a C string; for the escapes gettext writes (\n, \t, \", \\)
    # Python's literal syntax gives the same value.
    return ast.literal_eval(token)


def read_po(path: Path) -> list[Entry]:
    """Every non-obsolete entry of a .po file, the header (msgid "") included."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None
    pending_flags: set[str] = set()

    def finish() -> None:
        nonlocal current, target
        if current is not None:
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue  # obsolete
        if line.startswith("#,"):
            if current is not None and target is not None and target[0].startswith("msgstr"):
                finish()
            pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            if current is not None and target is not None and target[0].startswith("msgstr"):
                finish()
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, token = match.group(1), match.group(2), match.group(3)
            if current is None or (keyword in ("msgctxt", "msgid") and target and target[0].startswith("msgstr")):
                finish()
                current = Entry(line=number, flags=pending_flags)
                pending_flags = set()
            target = ("msgstr_plural", int(index)) if index is not None else (keyword, None)
            _append(current, target, _unquote(token))
            continue
        match = _CONTINUATION.match(line)
        if match and current is not None and target is not None:
            _append(current, target, _unquote(match.group(1)))
            continue
        raise AssertionError(f"{path}:{number}: cannot parse {raw!r}")
    finish()
    return entries


def _append(entry: Entry, target: tuple[str, int | None], text: str) -> None:
    name, index = target
    if name == "msgstr_plural":
        entry.msgstr_plural[index] = entry.msgstr_plural.get(index, "") + text
    elif name == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    elif name == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    else:
        setattr(entry, name, getattr(entry, name) + text)


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def mo_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo"


def header_of(entries: list[Entry]) -> dict[str, str]:
    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    fields = {}
    for line in header.msgstr.splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def messages_of(lang: str) -> list[Entry]:
    return [e for e in read_po(po_path(lang)) if not (e.msgid == "" and e.msgctxt is None)]


@pytest.fixture(autouse=True)
def _restore_language():
    """Requests activate es/sl in this thread; put the previous language back afterwards."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def soup_of(html: bytes) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def assert_page_in(soup: BeautifulSoup, lang: str) -> None:
    assert soup.html.get("lang") == lang
    nav = soup.find("nav", class_="site-nav")
    assert nav is not None
    assert nav.get("aria-label") == MAIN_NAV_LABEL[lang]
    labels = {a["href"]: a.get_text(strip=True) for a in nav.find_all("a")}
    assert labels == NAV_LABELS[lang]
    assert soup.find("a", class_="skip-link").get_text(strip=True) == SKIP_LINK[lang]
    # The page's own heading is translated too, not only the layout.
    assert soup.find("main").find("h1").get_text(strip=True) == NAV_LABELS[lang]["/members/"]
    # The switcher shows the chosen language as selected.
    assert soup.find("select", id="language-select").find("option", selected=True)["value"] == lang


# --- the site in Spanish and Slovenian ---------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_language_switcher_translates_the_site(client, db, lang):
    response = client.post("/i18n/setlang/", {"language": lang, "next": "/members/"})
    assert response.status_code == 302
    assert response["Location"] == "/members/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == lang

    response = client.get("/members/")
    assert response.status_code == 200
    assert response["Content-Language"] == lang
    soup = soup_of(response.content)
    assert_page_in(soup, lang)
    members_link = soup.find("nav", class_="site-nav").find("a", href="/members/")
    assert members_link.get("aria-current") == "page"


def test_language_switcher_spanish_members_label(client, db):
    client.post("/i18n/setlang/", {"language": "es", "next": "/members/"})
    html = client.get("/members/").content.decode()
    assert '<html lang="es"' in html
    assert ">Miembros</a>" in html


def test_language_switcher_slovenian_members_label(client, db):
    client.post("/i18n/setlang/", {"language": "sl", "next": "/members/"})
    html = client.get("/members/").content.decode()
    assert '<html lang="sl"' in html
    assert ">Člani</a>" in html


def test_accept_language_alone_gives_slovenian(client, db):
    response = client.get("/members/", HTTP_ACCEPT_LANGUAGE="sl")
    assert response.status_code == 200
    assert_page_in(soup_of(response.content), "sl")


def test_accept_language_alone_gives_spanish(client, db):
    response = client.get("/members/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9,en;q=0.5")
    assert response.status_code == 200
    assert_page_in(soup_of(response.content), "es")


def test_english_stays_the_default(client, db):
    response = client.get("/members/", HTTP_ACCEPT_LANGUAGE="fr")
    soup = soup_of(response.content)
    assert soup.html.get("lang") == "en"
    assert soup.find("nav", class_="site-nav").find("a", href="/members/").get_text(strip=True) == "Members"


def test_member_count_uses_slovenian_plural_forms(client, db):
    html = client.get("/members/", HTTP_ACCEPT_LANGUAGE="sl").content.decode()
    assert "0 članov" in html
    with translation.override("sl"):
        forms = {
            n: translation.ngettext("%(counter)s member", "%(counter)s members", n) % {"counter": n}
            for n in (1, 2, 3, 4, 5, 101, 102, 111)
        }
    assert forms == {
        1: "1 član",
        2: "2 člana",
        3: "3 člani",
        4: "4 člani",
        5: "5 članov",
        101: "101 član",
        102: "102 člana",
        111: "111 članov",
    }
    with translation.override("es"):
        assert translation.ngettext("%(counter)s member", "%(counter)s members", 1) == "%(counter)s miembro"
        assert translation.ngettext("%(counter)s member", "%(counter)s members", 0) == "%(counter)s miembros"


# --- the catalogs -------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_po_header(lang):
    header = header_of(read_po(po_path(lang)))
    assert header["Language"] == lang
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert header["Plural-Forms"] == PLURAL_FORMS[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated_and_not_fuzzy(lang):
    entries = read_po(po_path(lang))
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert fuzzy == []
    messages = [e for e in entries if e.msgid]
    assert len(messages) > 100  # the parser found the catalog, not an empty file
    untranslated = []
    for entry in messages:
        translations = entry.translations
        expected_forms = 1 if entry.msgid_plural is None else NPLURALS[lang]
        if len(translations) != expected_forms or not all(text.strip() for text in translations):
            untranslated.append(entry.msgid)
    assert untranslated == []


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_and_markup_survive_translation(lang):
    problems = []
    for entry in messages_of(lang):
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid_plural]
        for text in entry.translations:
            for pattern in (PLACEHOLDER, HTML_TAG):
                if Counter(pattern.findall(text)) != Counter(pattern.findall(sources[0])):
                    problems.append((entry.msgid, text))
            # gettext refuses a translation whose leading/trailing newlines differ (msgfmt --check).
            if text.startswith("\n") != entry.msgid.startswith("\n") or text.endswith("\n") != entry.msgid.endswith(
                "\n"
            ):
                problems.append((entry.msgid, text))
    assert problems == []


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalog_matches_the_po_file(lang):
    """The committed .mo is what a fresh machine without gettext uses: it must be current."""
    assert mo_path(lang).is_file(), f"run manage.py compilemessages for {lang}"
    with mo_path(lang).open("rb") as fp:
        catalog = gettext.GNUTranslations(fp)
    assert catalog.info()["language"] == lang
    stale = []
    for entry in messages_of(lang):
        if entry.msgid_plural is None:
            if entry.msgctxt is None:
                got = catalog.gettext(entry.msgid)
            else:
                got = catalog.pgettext(entry.msgctxt, entry.msgid)
            if got != entry.msgstr:
                stale.append((entry.msgid, got))
            continue
        for index, text in entry.msgstr_plural.items():
            n = next(n for n in range(1000) if catalog.plural(n) == index)
            if entry.msgctxt is None:
                got = catalog.ngettext(entry.msgid, entry.msgid_plural, n)
            else:
                got = catalog.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
            if got != text:
                stale.append((entry.msgid, index, got))
    assert stale == []


@pytest.mark.parametrize("lang", LANGS)
def test_django_uses_the_catalog(lang):
    expected = {e.msgid: e.msgstr for e in messages_of(lang) if e.msgid_plural is None and e.msgctxt is None}
    sample = ["Members", "Events", "Log in", "Page not found", "National agency", "VET provider"]
    with translation.override(lang):
        for msgid in sample:
            assert translation.gettext(msgid) == expected[msgid] != msgid


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_msgfmt_check(lang):
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(po_path(lang))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# --- content in three languages: dates, vocabularies, the home page ----------------------

DAY_HEADINGS = {
    "en": "Wednesday, 23 December 2026",
    "es": "Miércoles, 23 de diciembre de 2026",
    "sl": "Sreda, 23. december 2026",
}


@pytest.mark.parametrize("lang", ["en", *LANGS])
def test_dates_follow_each_languages_format(client, db, lang):
    start = dt.datetime(2026, 12, 23, 9, 0, tzinfo=dt.UTC)
    event = EventFactory(timezone="UTC", start=start, end=start + dt.timedelta(hours=1))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    text = " ".join(soup_of(client.get(event.get_absolute_url()).content).find("main").get_text(" ").split())
    assert f"{DAY_HEADINGS[lang]}, 09:00" in text


def test_a_one_day_all_day_event_reads_as_one_day(client, db):
    start = dt.datetime(2027, 4, 4, tzinfo=dt.UTC)
    event = EventFactory(timezone="UTC", all_day=True, start=start, end=start + dt.timedelta(days=1))
    when = soup_of(client.get(event.get_absolute_url()).content).find("dl", class_="facts").find("dd")
    assert " ".join(when.get_text(" ").split()) == "Sunday, 4 April 2027"


@pytest.mark.parametrize(
    ("lang", "theme", "sector"),
    [
        ("es", "Competencia digital", "Formación profesional (FP)"),
        ("sl", "Digitalna kompetenca", "Poklicno izobraževanje in usposabljanje (PIU)"),
    ],
)
def test_seeded_themes_and_sectors_read_in_the_pages_language(client, db, lang, theme, sector):
    Theme.objects.get_or_create(slug="digital-competence", defaults={"name": "Digital competence"})
    Sector.objects.get_or_create(slug="vet", defaults={"name": "Vocational education and training (VET)"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    soup = soup_of(client.get("/events/").content)
    themes = [o.get_text(strip=True) for o in soup.find("select", id="f-theme").find_all("option")]
    sectors = [o.get_text(strip=True) for o in soup.find("select", id="f-sector").find_all("option")]
    assert (theme in themes, sector in sectors) == (True, True)


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("en", "Praxis: a community of practice for educators"),
        ("es", "Praxis: una comunidad de práctica para educadores"),
        ("sl", "Praxis: skupnost prakse za izobraževalce"),
    ],
)
def test_the_demo_home_page_reads_in_the_pages_language(client, db, lang, heading):
    load_home_page()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    assert soup_of(client.get("/").content).find("h1").get_text(strip=True) == heading
