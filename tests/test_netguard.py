"""The network guard: nothing leaves the machine unless the user asked, and file: URLs never open."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.guard import netguard


@pytest.fixture
def guard() -> Iterator[None]:
    yield
    netguard.deactivate()


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read()


def test_refuses_http_while_active(guard: None, recording_server) -> None:
    netguard.activate(allow_network=False)
    with pytest.raises(netguard.NetworkRefused, match="pass --allow-network"):
        fetch(f"{recording_server.url}/ctx")
    assert recording_server.requests == []


def test_allow_network_lets_requests_through(guard: None, recording_server) -> None:
    netguard.activate(allow_network=True)
    assert b"@context" in fetch(f"{recording_server.url}/ctx")
    assert recording_server.requests == ["/ctx"]


def test_named_host_is_allowed_and_others_are_not(guard: None, recording_server) -> None:
    netguard.activate(allow_network=False)
    netguard.allow_host("127.0.0.1")
    assert b"@context" in fetch(f"{recording_server.url}/ok")
    with pytest.raises(netguard.NetworkRefused):
        fetch(recording_server.url.replace("127.0.0.1", "127.0.0.2") + "/other")
    assert recording_server.requests == ["/ok"]


def test_file_urls_are_refused_even_with_network_allowed(guard: None, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read", encoding="utf-8")
    netguard.activate(allow_network=True)
    with pytest.raises(netguard.NetworkRefused, match="only http"):
        fetch(secret.as_uri())


def test_inactive_guard_changes_nothing(recording_server) -> None:
    netguard.deactivate()
    assert b"@context" in fetch(f"{recording_server.url}/free")
    assert recording_server.requests == ["/free"]
