"""No network unless the user asks: an audit hook that refuses outgoing connections and URL opens.

Parsers and query engines underneath kg fetch remote documents on their own (SPARQL SERVICE, FROM and LOAD,
JSON-LD contexts, owl:imports). Rather than trust each to have a switch, the CLI installs one hook that sees
every URL open and socket connection in the process. Hosts the user named (a SPARQL endpoint) are allowed;
``--allow-network`` allows everything but local files, which no query may read through a URL.
"""

from __future__ import annotations

import socket
import sys
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from kg.errors import InputError


class NetworkRefused(InputError):
    """Something asked for the network (or a file: URL) while access is off."""


@dataclass
class NetworkPolicy:
    active: bool = False
    allow_all: bool = False
    hosts: set[str] = field(default_factory=set)
    addresses: set[str] = field(default_factory=set)
    installed: bool = False


POLICY = NetworkPolicy()
HINT = "network access is off; pass --allow-network to permit it"


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
    POLICY.hosts.clear()
    POLICY.addresses.clear()


def allow_host(host: str) -> None:
    """Permit connections to ``host`` (a name or an address), e.g. the SPARQL endpoint the user named."""
    host = host.lower().strip("[]")
    POLICY.hosts.add(host)
    POLICY.addresses.add(host)
    try:
        for *_, address in socket.getaddrinfo(host, None):
            POLICY.addresses.add(str(address[0]))
    except OSError:
        pass  # an unresolvable host fails later, at connect time, with the library's own error


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not POLICY.active:
        return
    if event == "urllib.Request":
        _check_url(str(args[0]))
    elif POLICY.allow_all:
        return
    elif event == "socket.getaddrinfo":
        host = args[0].decode() if isinstance(args[0], bytes) else args[0]
        if host is not None and str(host).lower() not in POLICY.hosts | POLICY.addresses:
            raise NetworkRefused(f"refused to look up host {host}: {HINT}")
    elif event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and str(address[0]) not in POLICY.addresses:
            raise NetworkRefused(f"refused to connect to {address[0]}: {HINT}")


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise NetworkRefused(f"refused to open {url}: only http(s) URLs may be fetched, and only when asked")
    if POLICY.allow_all:
        return
    host = (parts.hostname or "").lower()
    if host not in POLICY.hosts | POLICY.addresses:
        raise NetworkRefused(f"refused to fetch {url}: {HINT}")
