"""The one error type of the chat: a code the client can act on and a message a person can read."""

from __future__ import annotations


class ChatError(Exception):
    """Refusal of one chat action; the connection that asked stays open.

    ``code`` is one of the protocol's error codes: rate_limited, too_long, forbidden,
    closed, invalid, not_found (handshake only), unavailable (a fault of ours).
    """

    def __init__(self, code: str, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after
