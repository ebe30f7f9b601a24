import gzip

import pytest

from events.federation.fetch import FetchError, UnsafeURLError, fetch, is_public_address, resolve_target
from tests.events.federation.conftest import Route

CAL = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


def test_fetch_returns_body_validators_and_sends_user_agent(feed_server, settings):
    settings.SITE_URL = "https://praxis.example"
    feed_server.routes["/cal.ics"] = Route(
        CAL, headers={"ETag": '"v1"', "Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT"}
    )
    result = fetch(feed_server.url("/cal.ics"))
    assert (result.status, result.body, result.etag, result.last_modified) == (
        200,
        CAL,
        '"v1"',
        "Tue, 01 Dec 2026 10:00:00 GMT",
    )
    assert feed_server.requests[0]["user-agent"] == "Praxis-calendar/1.0 (+https://praxis.example)"


def test_fetch_with_matching_etag_is_not_modified(feed_server):
    feed_server.routes["/cal.ics"] = Route(CAL, headers={"ETag": '"v1"'})
    result = fetch(feed_server.url("/cal.ics"), etag='"v1"', last_modified="Tue, 01 Dec 2026 10:00:00 GMT")
    assert (result.status, result.body) == (304, b"")
    assert feed_server.requests[0]["if-none-match"] == '"v1"'
    assert feed_server.requests[0]["if-modified-since"] == "Tue, 01 Dec 2026 10:00:00 GMT"


def test_fetch_decodes_gzip(feed_server):
    feed_server.routes["/cal.ics"] = Route(CAL * 100, gzip=True)
    assert fetch(feed_server.url("/cal.ics")).body == CAL * 100
    assert feed_server.requests[0]["accept-encoding"] == "gzip"


def test_fetch_over_size_cap_stops_while_streaming(feed_server):
    feed_server.routes["/big.ics"] = Route(b"x" * 300_000, declare_length=False)
    with pytest.raises(FetchError) as info:
        fetch(feed_server.url("/big.ics"), max_bytes=100_000)
    assert info.value.code == "too_large"


def test_fetch_over_size_cap_of_gzip_bomb_stops(feed_server):
    feed_server.routes["/bomb.ics"] = Route(b"\0" * 2_000_000, gzip=True)
    assert len(gzip.compress(b"\0" * 2_000_000)) < 100_000
    with pytest.raises(FetchError) as info:
        fetch(feed_server.url("/bomb.ics"), max_bytes=1_000_000)
    assert info.value.code == "too_large"


def test_fetch_declared_length_over_cap_is_refused_before_reading(feed_server):
    feed_server.routes["/big.ics"] = Route(b"x" * 200_000)
    with pytest.raises(FetchError) as info:
        fetch(feed_server.url("/big.ics"), max_bytes=100_000)
    assert (info.value.code, info.value.bytes_read) == ("too_large", 0)


def test_fetch_follows_five_redirects_and_refuses_six(feed_server):
    for hop in range(6):
        feed_server.routes[f"/r{hop}"] = Route(status=302, headers={"Location": f"/r{hop + 1}"})
    feed_server.routes["/r6"] = Route(CAL)
    assert fetch(feed_server.url("/r1")).body == CAL
    with pytest.raises(FetchError) as info:
        fetch(feed_server.url("/r0"))
    assert info.value.code == "redirects"


def test_fetch_redirect_into_a_private_address_is_refused(feed_server):
    feed_server.routes["/cal.ics"] = Route(status=301, headers={"Location": "http://10.0.0.1/cal.ics"})
    with pytest.raises(UnsafeURLError) as info:
        fetch(feed_server.url("/cal.ics"))
    assert info.value.code == "private_address"


def test_fetch_http_error_status_reports_it(feed_server):
    feed_server.routes["/gone.ics"] = Route(b"gone", status=410)
    with pytest.raises(FetchError) as info:
        fetch(feed_server.url("/gone.ics"))
    assert (info.value.code, info.value.http_status) == ("http_status", 410)


def test_fetch_connection_refused_is_a_fetch_error(feed_server):
    with pytest.raises(FetchError) as info:
        fetch("http://127.0.0.1:1/cal.ics")
    assert info.value.code == "connect"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x.ics",
        "http://localhost/x.ics",
        "http://2130706433/x.ics",  # decimal 127.0.0.1
        "http://0x7f.0.0.1/x.ics",  # hex
        "http://0177.0.0.1/x.ics",  # octal
        "http://017700000001/x.ics",  # octal, one number
        "http://127.1/x.ics",
        "http://10.1.2.3/x.ics",
        "http://172.16.0.1/x.ics",
        "http://192.168.1.1/x.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/x.ics",
        "http://0.0.0.0/x.ics",
        "http://224.0.0.1/x.ics",
        "http://240.0.0.1/x.ics",
        "http://[::1]/x.ics",
        "http://[::]/x.ics",
        "http://[::ffff:127.0.0.1]/x.ics",
        "http://[::ffff:a00:1]/x.ics",
        "http://[fe80::1]/x.ics",
        "http://[fc00::1]/x.ics",
        "http://[ff02::1]/x.ics",
        "http://[64:ff9b::a00:1]/x.ics",
        "http://[2002:a00:1::]/x.ics",
    ],
)
def test_resolve_target_refuses_private_and_reserved_addresses(url, settings):
    settings.FETCH_ALLOWED_HOSTS = []
    with pytest.raises(UnsafeURLError) as info:
        resolve_target(url)
    assert info.value.code == "private_address"


def test_resolve_target_allowlist_matches_the_host_as_written_not_other_spellings(settings):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    assert resolve_target("http://127.0.0.1:8080/x.ics").address == "127.0.0.1"
    with pytest.raises(UnsafeURLError):
        resolve_target("http://2130706433:8080/x.ics")


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("ftp://example.org/x.ics", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("gopher://example.org/", "scheme"),
        ("http://user:pw@example.org/x.ics", "credentials"),
        ("http://user@example.org/x.ics", "credentials"),
        ("http:///x.ics", "invalid_url"),
        ("http://example.org:99999/x.ics", "invalid_url"),
    ],
)
def test_resolve_target_refuses_bad_urls(url, code):
    with pytest.raises(UnsafeURLError) as info:
        resolve_target(url)
    assert info.value.code == code


def test_is_public_address_accepts_global_addresses():
    assert [is_public_address(a) for a in ("93.184.216.34", "2606:4700::1111", "::ffff:93.184.216.34")] == [
        True,
        True,
        True,
    ]
