"""The wire under kg's SPARQL client: one deadline for each whole HTTP exchange, a ceiling on the bytes
read, redirects kept within the origin, and every failure made an EndpointError that says what happened.

urllib's ``timeout`` bounds each socket operation, not the request: a server that sends one byte every
half second never trips it, and one that streams without end is read without end. So each exchange
runs inside an ExchangeDeadline, which a timer thread enforces by shutting down every socket the
exchange opened (a blocked connect, handshake or read then returns at once), and answers are read in
chunks, counted against the byte limit as they arrive.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextvars import ContextVar, Token
from types import TracebackType
from typing import Any

from kg.errors import KgError, one_line, shorten

ENV_USER = "KG_ENDPOINT_USER"
ENV_PASSWORD = "KG_ENDPOINT_PASSWORD"
READ_CHUNK = 1 << 16
REDIRECT_BODY_LIMIT = 1 << 16  # bytes of a redirect's own page read before following it


class ExchangeDeadline:
    """While entered, every connection opened through kg's handlers is shut down at the deadline."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.expired = False
        self._ends_at = None if seconds is None else time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._finished = False
        self._timer: threading.Timer | None = None
        self._token: Token[ExchangeDeadline | None] | None = None

    def __enter__(self) -> ExchangeDeadline:
        if self.seconds is not None:
            self._timer = threading.Timer(self.seconds, self.expire)
            self._timer.daemon = True
            self._timer.start()
        self._token = _CURRENT.set(self)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        with self._lock:
            self._finished = True  # a timer firing from now on must not touch a socket that is reused elsewhere
        if self._timer is not None:
            self._timer.cancel()
        if self._token is not None:
            _CURRENT.reset(self._token)

    def remaining(self) -> float | None:
        """Seconds left, for the timeout of each socket operation; never zero, which would mean non-blocking."""
        return None if self._ends_at is None else max(self._ends_at - time.monotonic(), 0.001)

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                shut(sock)

    def expire(self) -> None:
        with self._lock:
            if self._finished:
                return
            self.expired = True
            for sock in self._sockets:
                shut(sock)


_CURRENT: ContextVar[ExchangeDeadline | None] = ContextVar("kg_exchange_deadline", default=None)


def shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed, or never connected
        socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's call, under TLS too: no TLS goodbye


def watched_create_connection(
    address: tuple[str, int], timeout: Any = None, source_address: Any = None
) -> socket.socket:
    """socket.create_connection, as http.client calls it, with the socket handed to the current deadline."""
    deadline = _CURRENT.get()
    remaining = None if deadline is None else deadline.remaining()
    sock = socket.create_connection(address, timeout if remaining is None else remaining, source_address)
    if deadline is not None:
        deadline.watch(sock)
    return sock


class WatchedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # http.client opens its socket through this attribute, in HTTPConnection.connect, before any TLS
        # handshake: the deadline covers the connect, the handshake, the headers and every byte.
        self._create_connection = watched_create_connection


class WatchedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = watched_create_connection


class WatchedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(WatchedHTTPConnection, req)


class WatchedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(WatchedHTTPSConnection, req)


class AnswerTooLarge(Exception):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size:,} bytes or more, over the limit of {limit:,}")
        self.size = size
        self.limit = limit


def read_bounded(answer: Any, limit: int | None) -> bytes:
    """The body of ``answer`` (a file-like HTTP response), refused as soon as it passes ``limit`` bytes."""
    declared = answer.headers.get("Content-Length", "") if hasattr(answer, "headers") else ""
    if limit is not None and declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise AnswerTooLarge(int(declared), limit)
    chunks, size = [], 0
    while chunk := answer.read(READ_CHUNK):
        size += len(chunk)
        if limit is not None and size > limit:
            raise AnswerTooLarge(size, limit)
        chunks.append(chunk)
    return b"".join(chunks)


class EndpointError(KgError):
    """The server could not be reached, did not answer in time, or refused or failed a request."""


def origin_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only within the origin it came from, so a request and its credentials stay there."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if origin_of(newurl) != origin_of(req.full_url):
            raise EndpointError(f"{req.full_url} redirected to another host ({newurl}); kg does not follow it")
        try:  # urllib reads the redirect's page whole before following it: at most this much, here
            read_bounded(fp, REDIRECT_BODY_LIMIT)
        except AnswerTooLarge as exc:
            raise EndpointError(f"{req.full_url} sent a redirect with a page of {exc}") from None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class MissingGraph(EndpointError):
    """The Graph Store has no graph of that name (HTTP 404)."""


def http_failure(exc: urllib.error.HTTPError, what: str, url: str) -> EndpointError:
    detail = readable_body(exc)
    if exc.code == 404 and ("graph" in what.lower()):
        return MissingGraph(f"{origin_of(url)} has no such graph ({what})")
    hint = ""
    if exc.code in (401, 403):
        hint = f"; check {ENV_USER}/{ENV_PASSWORD} or your netrc, and that the account may do this"
    return EndpointError(
        f"{origin_of(url)} refused the {what}: HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "") + hint
    )


def transport_failure(exc: BaseException, what: str, url: str, timeout: float | None) -> EndpointError:
    if isinstance(exc, EndpointError):
        return exc
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    origin = origin_of(url)
    if isinstance(reason, ConnectionRefusedError):
        return EndpointError(f"cannot connect to {origin}: connection refused (is the server running?)")
    if isinstance(reason, TimeoutError | socket.timeout):
        return EndpointError(f"{origin} did not answer the {what} within {timeout or 0:g} s")
    if isinstance(reason, socket.gaierror):
        return EndpointError(f"cannot connect to {origin}: unknown host")
    if isinstance(reason, ConnectionError | http.client.HTTPException):
        return EndpointError(f"the connection to {origin} broke off during the {what} ({type(reason).__name__})")
    return EndpointError(f"cannot reach {origin} for the {what}: {reason}")


TAGS = re.compile(r"<[^>]*>")


def readable_body(exc: urllib.error.HTTPError, limit: int = 300) -> str:
    """The first words of an error page: servers answer in plain text or HTML."""
    try:
        text = exc.read(limit * 64).decode("utf-8", "replace")  # an error page is read only this far
    except (OSError, http.client.HTTPException):
        return ""
    return shorten(one_line(TAGS.sub(" ", text)), limit)
