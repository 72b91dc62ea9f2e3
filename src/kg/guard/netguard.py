"""No network unless the user asks: an audit hook that refuses outgoing connections and URL opens.

Parsers and query engines underneath kg fetch remote documents on their own (SPARQL SERVICE, FROM and LOAD,
JSON-LD contexts, owl:imports). Rather than trust each to have a switch, the CLI installs one hook that sees
every URL open and socket connection in the process. Hosts the user named (a SPARQL endpoint) are allowed;
``--allow-network`` allows everything but local files, which no query may read through a URL, and gives
every connection a timeout (the ``--timeout``), since the libraries open theirs without one.

Native code does not pass through audit hooks: Oxigraph's own HTTP client (SPARQL SERVICE) is refused in
the query text instead, by kg.guard.sparql.
"""

from __future__ import annotations

import socket
import sys
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from kg.errors import InputError
from kg.guard import limits


class NetworkRefused(InputError):
    """Something asked for the network (or a file: URL) while access is off."""


@dataclass
class NetworkPolicy:
    active: bool = False
    allow_all: bool = False
    allowed: set[str] = field(default_factory=set)  # the host names given to allow_host and their addresses
    installed: bool = False


POLICY = NetworkPolicy()
HINT = "network access is off; pass --allow-network to permit it"
DEFAULT_CONNECTION_TIMEOUT = 60.0  # seconds, when --timeout 0 lifts every other limit


def activate(*, allow_network: bool) -> None:
    """Refuse network access from now on, unless ``allow_network``; local file URLs are refused either way."""
    if not POLICY.installed:
        sys.addaudithook(_audit)  # audit hooks cannot be removed, so it stays and consults POLICY.active
        POLICY.installed = True
    POLICY.active = True
    POLICY.allow_all = allow_network


def deactivate() -> None:
    """Stop guarding (at the end of a command, so that a long-lived process such as a test run is unaffected)."""
    POLICY.active = False
    POLICY.allow_all = False
    POLICY.allowed.clear()


def network_allowed() -> bool:
    """Whether the user allowed network access for this command (``--allow-network``).

    Off when no command runs (kg used as a library): code that would fetch refuses unless asked.
    """
    return POLICY.active and POLICY.allow_all


def allow_host(host: str) -> None:
    """Permit connections to ``host`` (a name or an address), e.g. the SPARQL endpoint the user named."""
    host = host.lower().strip("[]")
    POLICY.allowed.add(host)
    try:
        for *_, address in socket.getaddrinfo(host, None):
            POLICY.allowed.add(str(address[0]))
    except OSError:
        pass  # an unresolvable host fails later, at connect time, with the library's own error


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not POLICY.active:
        return
    if event == "urllib.Request":
        _check_url(str(args[0]))
    elif event == "socket.connect":
        _check_connect(args[0], args[1])
    elif POLICY.allow_all:
        return
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"):
        host = args[0].decode() if isinstance(args[0], bytes) else args[0]
        if host is not None and str(host).lower() not in POLICY.allowed:
            raise NetworkRefused(f"refused to look up host {host}: {HINT}")
    elif event in ("socket.sendto", "socket.sendmsg"):
        raise NetworkRefused(f"refused to send a datagram: {HINT}")


def _check_connect(sock: object, address: object) -> None:
    if not isinstance(address, tuple):
        return  # a Unix socket: no network
    if not POLICY.allow_all and str(address[0]) not in POLICY.allowed:
        raise NetworkRefused(f"refused to connect to {address[0]}: {HINT}")
    timeout = limits.current().timeout or DEFAULT_CONNECTION_TIMEOUT
    if isinstance(sock, socket.socket) and sock.gettimeout() is None:
        sock.settimeout(timeout)  # urllib and rdflib's SERVICE would otherwise wait for ever on a silent server


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise NetworkRefused(f"refused to open {url}: only http(s) URLs may be fetched, and only when asked")
    if POLICY.allow_all:
        return
    host = (parts.hostname or "").lower()
    if host not in POLICY.allowed:
        raise NetworkRefused(f"refused to fetch {url}: {HINT}")
