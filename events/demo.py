"""Demo events: the two seed conferences with programmes, a past edition for the
archive, and a few events that show recurrence, online attendance and cancellation.

Dates are placed relative to the day the demo is loaded so the calendar always has
upcoming events; rows are keyed by UID, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from community.models import Language, Organisation, Project, Sector, Theme, User
from events.demo_images import add_demo_images
from events.models import Event, EventKind, Speaker
from events.writing import create_event, save_event

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
LJUBLJANA = zoneinfo.ZoneInfo("Europe/Ljubljana")


def _next(month: int, day: int, *, after: dt.date) -> dt.date:
    candidate = dt.date(after.year, month, day)
    return candidate if candidate > after else dt.date(after.year + 1, month, day)


def _at(day: dt.date, hhmm: str, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    h, m = map(int, hhmm.split(":"))
    return dt.datetime(day.year, day.month, day.day, h, m, tzinfo=zone)


def _event(uid: str, *, themes=(), sectors=(), language: str | None = None, speakers=(), **fields) -> Event:
    event = Event.objects.filter(uid=uid, recurrence_id__isnull=True).first()
    if event is not None:
        return event
    if language:
        fields["language"] = Language.objects.get(code=language)
    # Through the one write path, so the demo obeys every rule a person's event does.
    event = create_event(
        actor=None,
        uid=uid,
        themes=Theme.objects.filter(slug__in=themes),
        sectors=Sector.objects.filter(slug__in=sectors),
        **fields,
    )
    for position, speaker in enumerate(speakers):
        if isinstance(speaker, User):
            Speaker.objects.create(session=event, profile=speaker.profile, position=position)
        else:
            Speaker.objects.create(session=event, name=speaker, position=position)
    return event


CATARROJA_PROGRAMME = [
    # day, start, end, title, room, track, speakers
    (0, "09:00", "09:30", "Welcome and opening of the conference", "Auditorium", "", ["lucia"]),
    (0, "09:30", "10:30", "Keynote: the educational legacy of our schools", "Auditorium", "",
     ["Guest keynote speaker"]),
    (0, "11:00", "12:30", "Good practices for school success", "Room 1", "School success", ["lucia"]),
    (0, "11:00", "12:30", "Social services and education: working together", "Room 2", "Social success",
     ["marco"]),
    (0, "14:00", "15:30", "From VET to work: transitions that succeed", "Room 1", "Professional success",
     ["jordi", "aoife"]),
    (1, "09:30", "11:00", "Round table: universities, schools, companies and social services", "Auditorium", "",
     ["lucia", "jordi", "marco"]),
    (1, "11:30", "13:00", "Workshop: leading innovation in your organisation", "Room 2", "Professional success",
     ["aoife"]),
    (1, "13:00", "13:30", "Conclusions and closing", "Auditorium", "", ["lucia"]),
]  # fmt: skip

CMEPIUS_PROGRAMME = [
    (0, "09:00", "09:30", "Opening: Erasmus+ and the local community", "Congress hall", "", ["maja"]),
    (0, "09:30", "10:30", "The impact of international projects on the local environment", "Congress hall", "",
     ["maja"]),
    (0, "11:00", "12:30", "eTwinning: online projects that connect schools", "Hall A", "eTwinning", ["tina"]),
    (0, "11:00", "12:30", "Professional development of educators through mobility", "Hall B", "Valorisation",
     ["Guest speaker"]),
    (0, "14:00", "15:30", "Intercultural competences in everyday teaching", "Hall A", "Valorisation", ["tina"]),
]  # fmt: skip


def _programme(conference: Event, day0: dt.date, zone, programme, users: dict[str, User]) -> None:
    for index, (day, start, end, title, room, track, names) in enumerate(programme):
        speakers = [users.get(f"{n}@praxis.example", n) for n in names]
        _event(
            f"{conference.uid.split('@')[0]}-session-{index + 1}@praxis.demo",
            kind=EventKind.SESSION,
            parent=conference,
            organiser=conference.organiser,
            title=title,
            description=f"<p>{title}. Part of {conference.title}.</p>",
            start=_at(day0 + dt.timedelta(days=day), start, zone),
            end=_at(day0 + dt.timedelta(days=day), end, zone),
            timezone=conference.timezone,
            venue=conference.venue,
            city=conference.city,
            country=conference.country,
            room=room,
            track=track,
            language=conference.language.code if conference.language else None,
            speakers=speakers,
        )


def load_events_demo(organisations: dict[str, Organisation], users: dict[str, User]) -> list[Event]:
    today = timezone.localdate()
    florida, cmepius = organisations["florida-universitaria"], organisations["cmepius"]
    vet = organisations["vet-innovation-centre"]

    sept = _next(9, 24, after=today + dt.timedelta(days=14))
    catarroja = _event(
        f"catarroja-conference-{sept.year}@praxis.demo",
        kind=EventKind.CONFERENCE,
        organiser=florida,
        title="Cooperating for school, social and professional success",
        description="<p>International Conference: Good and new practices in innovation and educational "
        "leadership, in the framework of the European project IT-CLEX. A meeting point between professionals "
        "from universities, schools, companies and social services.</p>",
        start=_at(sept, "09:00", MADRID),
        end=_at(sept + dt.timedelta(days=1), "14:00", MADRID),
        timezone="Europe/Madrid",
        venue="Florida Universitària",
        address="Carrer del Rei en Jaume I, 2",
        city="Catarroja (Valencia)",
        country="ES",
        latitude="39.403400",
        longitude="-0.402800",
        language="en",
        themes=["educational-leadership", "innovative-teaching", "transitions"],
        sectors=["school", "vet", "higher-education", "company-hr", "social-services"],
    )
    _programme(catarroja, sept, MADRID, CATARROJA_PROGRAMME, users)

    may = _next(5, 23, after=today + dt.timedelta(days=14))
    brdo = _event(
        f"cmepius-valorisation-{may.year}@praxis.demo",
        kind=EventKind.CONFERENCE,
        organiser=cmepius,
        title="CMEPIUS valorisation conference and national eTwinning conference",
        description="<p>CMEPIUS's most important annual event: valorising and spreading the results of "
        "international cooperation projects, joined with the national eTwinning conference (KONFeT).</p>",
        start=_at(may, "09:00", LJUBLJANA),
        end=_at(may, "16:00", LJUBLJANA),
        timezone="Europe/Ljubljana",
        venue="Brdo Congress Centre",
        address="Predoslje 39",
        city="Brdo pri Kranju",
        country="SI",
        latitude="46.291700",
        longitude="14.386900",
        language="sl",
        themes=["professional-development", "diversity", "local-communities"],
        sectors=["school", "vet", "adult-education"],
    )
    _programme(brdo, may, LJUBLJANA, CMEPIUS_PROGRAMME, users)

    _event(
        "cmepius-valorisation-2019@praxis.demo",
        kind=EventKind.CONFERENCE,
        organiser=cmepius,
        title="Od Nice do potice: valorisation conference 2019",
        description="<p>The 2019 valorisation conference, joined with the national eTwinning conference: the "
        "impact of projects on the local environment, cooperation and a sense of belonging.</p>",
        start=_at(dt.date(2019, 5, 23), "09:00", LJUBLJANA),
        end=_at(dt.date(2019, 5, 23), "16:00", LJUBLJANA),
        timezone="Europe/Ljubljana",
        venue="Brdo Congress Centre",
        city="Brdo pri Kranju",
        country="SI",
        language="sl",
        themes=["local-communities"],
    )

    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    first_tuesday = next_month + dt.timedelta(days=(1 - next_month.weekday()) % 7)
    _event(
        "vet-innovation-webinars@praxis.demo",
        organiser=vet,
        title="Innovation in VET: monthly webinar",
        description="<p>An hour with practitioners piloting innovation ecosystems in vocational education.</p>",
        start=_at(first_tuesday, "16:00", zoneinfo.ZoneInfo("Europe/Dublin")),
        end=_at(first_tuesday, "17:00", zoneinfo.ZoneInfo("Europe/Dublin")),
        timezone="Europe/Dublin",
        rrule="FREQ=MONTHLY;BYDAY=1TU;COUNT=8",
        project=Project.objects.filter(slug="innovation-ecosystems-for-vet").first(),  # its coordinator's
        attendance_mode="online",
        online_url="https://meet.example.org/vet-innovation",
        language="en",
        themes=["innovative-teaching", "entrepreneurship"],
        sectors=["vet"],
    )
    _event(
        "florida-open-day@praxis.demo",
        organiser=florida,
        title="Erasmus+ open day for partner schools",
        description="<p>A day to meet partner schools and plan new mobility projects.</p>",
        start=_at(today + dt.timedelta(days=40), "00:00", MADRID),
        end=_at(today + dt.timedelta(days=41), "00:00", MADRID),
        timezone="Europe/Madrid",
        all_day=True,
        venue="Florida Universitària",
        city="Catarroja (Valencia)",
        country="ES",
        language="es",
        themes=["internationalisation"],
        sectors=["school"],
    )
    _event(
        "cmepius-info-day-cancelled@praxis.demo",
        organiser=cmepius,
        title="Erasmus+ info day for adult education (cancelled)",
        description="<p>This info day is cancelled; a new date will be announced.</p>",
        start=_at(today + dt.timedelta(days=21), "10:00", LJUBLJANA),
        end=_at(today + dt.timedelta(days=21), "13:00", LJUBLJANA),
        timezone="Europe/Ljubljana",
        status="cancelled",
        city="Ljubljana",
        country="SI",
        language="sl",
        sectors=["adult-education"],
    )
    _live_conference(vet, users)
    add_demo_images()
    return list(Event.objects.filter(uid__endswith="@praxis.demo"))


def _live_conference(organiser: Organisation, users: dict[str, User]) -> None:
    """An online conference with a session happening now, so a newcomer can try the chat at once.

    Placed relative to the time the demo is loaded; a later load moves it forward again
    once it is over, and otherwise leaves it alone (loading stays idempotent).
    """
    now = timezone.now().replace(second=0, microsecond=0)
    spans = {
        "praxis-live-conference@praxis.demo": (now - dt.timedelta(hours=1), now + dt.timedelta(hours=7)),
        "praxis-live-session-1@praxis.demo": (now - dt.timedelta(minutes=15), now + dt.timedelta(hours=3)),
    }
    common = {
        "organiser": organiser,
        "timezone": "Europe/Dublin",
        "attendance_mode": "online",
        "online_url": "https://meet.example.org/praxis-live",
        "language": "en",
    }
    conference = _event(
        "praxis-live-conference@praxis.demo",
        kind=EventKind.CONFERENCE,
        title="Praxis live: innovation ecosystems in VET (online day)",
        description="<p>An online day with the partners of Innovation Ecosystems for VET. "
        "Every session has a live chat: ask the speakers, vote for questions, share links.</p>",
        start=spans["praxis-live-conference@praxis.demo"][0],
        end=spans["praxis-live-conference@praxis.demo"][1],
        themes=["innovative-teaching", "entrepreneurship"],
        sectors=["vet"],
        **common,
    )
    session = _event(
        "praxis-live-session-1@praxis.demo",
        kind=EventKind.SESSION,
        parent=conference,
        title="Live now: ask the panel about innovation ecosystems",
        description="<p>Happening now. Open the chat below, ask a question and vote for others.</p>",
        start=spans["praxis-live-session-1@praxis.demo"][0],
        end=spans["praxis-live-session-1@praxis.demo"][1],
        track="Panel",
        speakers=[users.get("aoife@praxis.example", "Aoife"), "Guest panellist"],
        **common,
    )
    for event in (conference, session):
        start, end = spans[event.uid]
        if event.end <= now + dt.timedelta(minutes=30):  # over, or about to be: place it around now again
            event.start, event.end = start, end
            save_event(actor=None, event=event)
