"""Fetch a partner's calendar over HTTP without letting a URL reach into our own network.

A feed URL is typed by a partner, so it is hostile until checked: the host is resolved
once, every address it resolves to must be public (not loopback, private, link-local,
multicast, reserved or unspecified, also when written as an IPv4-mapped IPv6 address or
as a decimal/octal/hex IPv4 number), and the connection goes to the address that was
checked, so a second DNS answer cannot point it elsewhere (DNS rebinding). Each redirect
hop is checked the same way. ``settings.FETCH_ALLOWED_HOSTS`` lists host names (as
written in the URL) that skip the address check: the test suite's 127.0.0.1 servers and
intranet deployments.

This is the only module that speaks HTTP to the outside (ruff bans ``requests`` and
``urllib.request`` elsewhere); it uses urllib3 directly because urllib3 lets us open
the connection to an IP address while sending the original Host and TLS server name.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from django.utils.translation import gettext as _

MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
CHUNK = 64 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """A fetch that produced no calendar; ``str()`` is the message shown to the partner."""

    def __init__(self, message: str, *, code: str, http_status: int | None = None, bytes_read: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.http_status = http_status
        self.bytes_read = bytes_read


class UnsafeURLError(FetchError):
    """The URL points somewhere Praxis must never fetch from."""


@dataclass(frozen=True)
class FetchResult:
    status: int  # 200, or 304 when the validators still match
    body: bytes
    url: str  # after redirects
    etag: str
    last_modified: str
    content_type: str

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # as written (lower case, no brackets)
    port: int
    address: str  # the checked IP to connect to
    path: str  # path and query


def user_agent() -> str:
    return f"Praxis-calendar/1.0 (+{settings.SITE_URL})"


def _allowed_hosts() -> set[str]:
    return {host.strip().lower().strip("[]") for host in settings.FETCH_ALLOWED_HOSTS}


def is_public_address(address: str) -> bool:
    """True only for globally routable unicast addresses, looking inside IPv4-mapped,
    6to4 and Teredo IPv6 addresses at the IPv4 address they carry."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    candidates: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        candidates = [ip.ipv4_mapped]  # ::ffff:0:0/96 itself counts as reserved; judge the IPv4 inside
    elif isinstance(ip, ipaddress.IPv6Address):
        if ip.sixtofour is not None:
            candidates.append(ip.sixtofour)
        if ip.teredo:
            candidates.append(ip.teredo[1])
        if ip in ipaddress.IPv6Network("64:ff9b::/96"):  # NAT64 carries an IPv4 address in its last 32 bits
            candidates.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    for candidate in candidates:
        if (
            candidate.is_loopback
            or candidate.is_private
            or candidate.is_link_local
            or candidate.is_multicast
            or candidate.is_reserved
            or candidate.is_unspecified
            or not candidate.is_global
        ):
            return False
    return True


def _numeric_ipv4(host: str) -> str | None:
    """``2130706433``, ``0x7f.1``, ``0177.0.0.1``: the forms inet_aton reads as IPv4."""
    if not host or not all(c in "0123456789abcdefx." for c in host):
        return None
    try:
        return socket.inet_ntoa(socket.inet_aton(host))
    except OSError:
        return None


def check_url(url: str) -> tuple[str, str, int, str]:
    """Scheme, host, port and path of ``url``, or UnsafeURLError; no DNS lookup yet."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UnsafeURLError(_("This is not a valid URL: %(error)s") % {"error": exc}, code="invalid_url") from exc
    scheme = parts.scheme.lower()
    if scheme == "webcal":
        scheme = "https"
    if scheme not in {"http", "https"}:
        raise UnsafeURLError(
            _("Only http:// and https:// (or webcal://) feed URLs can be fetched, not “%(scheme)s”.")
            % {"scheme": parts.scheme or "(none)"},
            code="scheme",
        )
    if parts.username is not None or parts.password is not None:
        raise UnsafeURLError(
            _("Feed URLs must not contain a user name or password; publish the calendar at a secret URL instead."),
            code="credentials",
        )
    host = (parts.hostname or "").lower()
    if not host:
        raise UnsafeURLError(_("The URL has no host name."), code="invalid_url")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, host, port or (443 if scheme == "https" else 80), path


def resolve_target(url: str) -> _Target:
    """Check ``url`` and resolve its host once; every address must be public unless allowlisted."""
    scheme, host, port, path = check_url(url)
    allowlisted = host in _allowed_hosts()
    numeric = _numeric_ipv4(host)
    try:
        literal = str(ipaddress.ip_address(host))
    except ValueError:
        literal = None
    if numeric is not None and literal is None:
        # An IPv4 address in another notation: check the address it means, never the spelling.
        literal = numeric
    if literal is not None:
        addresses = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise FetchError(
                _("The host name “%(host)s” does not resolve.") % {"host": host}, code="dns", http_status=None
            ) from exc
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
        if not addresses:
            raise FetchError(_("The host name “%(host)s” does not resolve.") % {"host": host}, code="dns")
    if not allowlisted:
        for address in addresses:
            if not is_public_address(address):
                raise UnsafeURLError(
                    _("“%(host)s” is in a private or reserved network (%(address)s): Praxis never fetches from there.")
                    % {"host": host, "address": address},
                    code="private_address",
                )
    return _Target(scheme=scheme, host=host, port=port, address=addresses[0], path=path)


def validate_feed_url(url: str) -> None:
    """For model and form validation: raise UnsafeURLError (a FetchError) when saving a URL we would refuse."""
    resolve_target(url)


def _pool(target: _Target) -> urllib3.HTTPConnectionPool:
    timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT)
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=timeout,
            retries=False,
            server_hostname=target.host,
            assert_hostname=target.host,
            maxsize=1,
        )
    return urllib3.HTTPConnectionPool(target.address, target.port, timeout=timeout, retries=False, maxsize=1)


def _host_header(target: _Target) -> str:
    host = f"[{target.host}]" if ":" in target.host else target.host
    default_port = 443 if target.scheme == "https" else 80
    return host if target.port == default_port else f"{host}:{target.port}"


def fetch(url: str, *, etag: str = "", last_modified: str = "", max_bytes: int | None = None) -> FetchResult:
    """GET ``url`` (conditional when validators are given), following at most MAX_REDIRECTS safe hops.

    Raises FetchError with a message for people on every failure: refused URL, DNS,
    connection, timeout, HTTP error status, body over ``FEED_MAX_BYTES``.
    """
    limit = max_bytes if max_bytes is not None else settings.FEED_MAX_BYTES
    headers = {"User-Agent": user_agent(), "Accept": "text/calendar, */*;q=0.5", "Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        target = resolve_target(current)
        pool = _pool(target)
        try:
            response = pool.urlopen(
                "GET",
                target.path,
                headers={**headers, "Host": _host_header(target)},
                redirect=False,
                preload_content=False,
                decode_content=True,
            )
        except urllib3.exceptions.HTTPError as exc:
            pool.close()
            raise FetchError(
                _("Could not connect to %(host)s: %(error)s") % {"host": target.host, "error": _reason(exc)},
                code="connect",
            ) from exc
        try:
            if response.status in _REDIRECTS and response.headers.get("Location"):
                current = urljoin(current, response.headers["Location"])
                continue
            if response.status == 304:
                return FetchResult(304, b"", current, etag, last_modified, "")
            if response.status != 200:
                raise FetchError(
                    _("The server answered HTTP %(status)s for %(url)s.") % {"status": response.status, "url": current},
                    code="http_status",
                    http_status=response.status,
                )
            body = _read_capped(response, limit)
            return FetchResult(
                200,
                body,
                current,
                response.headers.get("ETag", ""),
                response.headers.get("Last-Modified", ""),
                response.headers.get("Content-Type", ""),
            )
        finally:
            response.close()  # one pool per hop: close everything, read or not
            pool.close()
    raise FetchError(
        _("More than %(count)s redirects; stopped at %(url)s.") % {"count": MAX_REDIRECTS, "url": current},
        code="redirects",
    )


def _read_capped(response: urllib3.BaseHTTPResponse, limit: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    too_big = _("The calendar is larger than %(mb)s MB; Praxis stops reading there.") % {"mb": f"{limit / 1_000_000:g}"}
    if declared.isdigit() and int(declared) > limit and "gzip" not in response.headers.get("Content-Encoding", ""):
        raise FetchError(too_big, code="too_large", http_status=response.status, bytes_read=0)
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.stream(CHUNK, decode_content=True):
            size += len(chunk)
            if size > limit:
                raise FetchError(too_big, code="too_large", http_status=response.status, bytes_read=size)
            chunks.append(chunk)
    except urllib3.exceptions.HTTPError as exc:
        raise FetchError(
            _("The connection broke while reading the calendar: %(error)s") % {"error": _reason(exc)},
            code="read",
            http_status=response.status,
            bytes_read=size,
        ) from exc
    return b"".join(chunks)


def _reason(exc: Exception) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason or exc)
