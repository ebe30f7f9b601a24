"""Two members in one session room, in two real browser contexts (Debian's Chromium).

Runs the real server (uvicorn, a subprocess on the test database) and the real client
(site/static/js/chat.js): messages, a question and its vote travel between the two, and a
dropped socket reconnects and resumes with no gap and no duplicate.
"""

import re

import pytest
from channels.db import database_sync_to_async

from events.models import ChatMessage
from tests.e2e.browsers import CHROMIUM, NO_CHROMIUM
from tests.events.factories_chat import live_session, member, session_cookie

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM),
]
playwright_api = pytest.importorskip("playwright.async_api")


async def _page_for(browser, base: str, cookie: str, path: str):
    context = await browser.new_context()
    await context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
    page = await context.new_page()
    await _goto(page, base + path)
    await page.locator("[data-chat-form]").wait_for(state="visible")
    return page


async def _goto(page, url: str) -> None:
    """Open the page, waiting while the server process starts."""
    for _attempt in range(100):
        try:
            await page.goto(url)
            return
        except playwright_api.Error:
            await page.wait_for_timeout(200)
    raise AssertionError(f"{url} never answered")


async def _say(page, text: str, *, question: bool = False) -> None:
    if question:
        await page.locator("[data-chat-question]").check()
    await page.locator("[data-chat-text]").fill(text)
    await page.locator("[data-chat-text]").press("Enter")


async def test_two_members_exchange_messages_questions_and_votes_and_a_drop_resumes(server, browser):
    session = await _sync(live_session)
    ana, ben = await _sync(member, "Ana"), await _sync(member, "Ben")
    ana_cookie, ben_cookie = await _sync(session_cookie, ana), await _sync(session_cookie, ben)
    path = session.get_absolute_url()
    sockets = []

    async def keep(route):
        route.connect_to_server()
        sockets.append(route)

    context_a = await browser.new_context()
    await context_a.add_cookies([{"name": "sessionid", "value": ana_cookie, "url": server}])
    page_a = await context_a.new_page()
    await page_a.route_web_socket(re.compile(r"/ws/chat/"), keep)
    await _goto(page_a, server + path)
    await page_a.locator("[data-chat-form]").wait_for(state="visible")
    page_b = await _page_for(browser, server, ben_cookie, path)

    await _say(page_a, "Hello from Ana https://praxis.example")
    log_b = page_b.locator("[data-chat-log]")
    await log_b.get_by_text("Hello from Ana").wait_for()
    assert await log_b.locator("a[href='https://praxis.example']").count() == 1

    await _say(page_b, "Which tools did you use?", question=True)
    await page_a.get_by_role("tab", name=re.compile("Questions")).click()
    await page_a.locator("[data-chat-questions]").get_by_role("button", name="Upvote").click()
    await page_b.get_by_role("tab", name=re.compile("Questions")).click()
    await page_b.locator("[data-chat-questions]").get_by_text("1 votes").wait_for()

    for page in (page_a, page_b):
        await page.get_by_role("tab", name="Chat").click()
    await sockets[-1].close(code=4000, reason="test drop")
    await _say(page_b, "Said while Ana was away")
    await page_a.locator("[data-chat-log]").get_by_text("Said while Ana was away").wait_for(timeout=15_000)
    await _say(page_a, "Back again")
    await log_b.get_by_text("Back again").wait_for()
    log_a = page_a.locator("[data-chat-log] li")
    texts = [t.strip() for t in await page_a.locator("[data-chat-log] .chat__text").all_inner_texts()]
    assert texts == [
        "Hello from Ana https://praxis.example",
        "Which tools did you use?",
        "Said while Ana was away",
        "Back again",
    ]
    assert await log_a.filter(has_text="sending").count() == 0
    assert len(sockets) == 2

    own = log_a.filter(has_text="Back again")
    await own.get_by_role("button", name="Hide from the transcript").click()
    await own.get_by_text("Hidden from the transcript").wait_for()
    hidden = await _sync(lambda: list(ChatMessage.objects.filter(hidden_by_author=True).values_list("text", flat=True)))
    assert hidden == ["Back again"]


async def _sync(function, *args):
    return await database_sync_to_async(function)(*args)
