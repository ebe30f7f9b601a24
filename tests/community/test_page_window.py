"""A pagination bar links the first and last page and two either side of the current one,
whatever the number of pages."""

import pytest

from community.page_window import page_window


@pytest.mark.parametrize(
    ("number", "last", "expected"),
    [
        (1, 1, [1]),
        (1, 2, [1, 2]),
        (1, 250, [1, 2, 3, None, 250]),
        (4, 250, [1, 2, 3, 4, 5, 6, None, 250]),
        (5, 250, [1, None, 3, 4, 5, 6, 7, None, 250]),
        (125, 250, [1, None, 123, 124, 125, 126, 127, None, 250]),
        (250, 250, [1, None, 248, 249, 250]),
        (247, 250, [1, None, 245, 246, 247, 248, 249, 250]),
    ],
)
def test_the_window_of_page_numbers(number, last, expected):
    assert page_window(number=number, last=last) == expected


@pytest.mark.django_db
def test_a_long_listing_links_a_handful_of_pages_not_all_of_them(client):
    from community.models import Post, Thread
    from tests.community.factories_stories import ThreadFactory
    from tests.factories import UserFactory

    thread = ThreadFactory()
    author = UserFactory()
    Post.objects.bulk_create(
        [Post(thread=thread, number=n, author=author, body_html="<p>x</p>") for n in range(1, 1001)]
    )
    Thread.objects.filter(pk=thread.pk).update(post_count=1000)
    html = client.get(f"{thread.get_absolute_url()}?page=10").content.decode()
    bar = html[html.index('<nav class="pagination"') : html.index("</nav>", html.index('<nav class="pagination"'))]
    assert [f'href="?page={n}"' in bar for n in (1, 8, 9, 10, 11, 12, 20)] == [True] * 7
    assert 'href="?page=7"' not in bar
    assert 'href="?page=13"' not in bar
    assert bar.count("…") == 2
