"""The client's address behind the TLS proxy, for WSGI workers (gunicorn).

Rate limits and sign-in failure budgets key on ``REMOTE_ADDR`` (``NUM_PROXIES = 0``).
uvicorn's ``--proxy-headers`` sets it from ``X-Forwarded-For`` when the peer is in
``FORWARDED_ALLOW_IPS``; gunicorn does not (its ``--forwarded-allow-ips`` only decides whether
to believe the scheme), so without this every client behind the proxy would share one budget.
Same rule as uvicorn: only from a trusted peer, and the client is the nearest address in
``X-Forwarded-For`` that is not itself a trusted proxy.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable


class ForwardedClientAddress:
    """WSGI middleware: ``REMOTE_ADDR`` from ``X-Forwarded-For`` when the peer is trusted."""

    def __init__(self, app: Callable, *, trusted: str) -> None:
        self.app = app
        entries = [entry.strip() for entry in trusted.split(",") if entry.strip()]
        self.everyone = "*" in entries
        self.networks = []
        for entry in entries:
            if entry != "*":
                self.networks.append(ipaddress.ip_network(entry, strict=False))

    def is_trusted(self, host: str) -> bool:
        if self.everyone:
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if self.is_trusted(environ.get("REMOTE_ADDR", "")):
            hops = [hop.strip() for hop in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
            client = next((hop for hop in reversed(hops) if not self.is_trusted(hop)), hops[0] if hops else None)
            if client is not None:
                environ["REMOTE_ADDR"] = client
        return self.app(environ, start_response)
