"""The watcher's tests use the drill's loopback peers (tests/drill/peers.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.drill.peers import Peers


@pytest.fixture
def peers() -> Iterator[Peers]:
    p = Peers()
    p.start()
    try:
        yield p
    finally:
        p.stop()


def write_config(peers: Peers, path: Path, **watch: object) -> Path:
    """A config file whose every endpoint is one of the loopback peers, and a [watch] section."""
    c = peers.config()
    ep = c.endpoints
    echo = ep.dns_echo[0]

    def arr(items: list[str]) -> str:
        return "[" + ", ".join(json.dumps(x) for x in items) + "]"

    lines = [
        "[endpoints]",
        f"anchors = {arr(ep.anchors)}",
        f"tcp_anchors = {arr(ep.tcp_anchors)}",
        f"echo_urls = {arr(ep.echo_urls)}",
        f"dns_echo = [{{ name = {json.dumps(echo.name)}, server = {json.dumps(echo.server)} }}]",
        f"dns_test_name = {json.dumps(ep.dns_test_name)}",
        f"cymru_origin_zone = {json.dumps(ep.cymru_origin_zone)}",
        f"cymru_asn_zone = {json.dumps(ep.cymru_asn_zone)}",
        "[drill]",
        f"dns_server = {json.dumps(c.drill.dns_server)}",
        "[watch]",
        'gateway = "127.0.0.1"',
        *(f"{k} = {json.dumps(v)}" for k, v in watch.items()),
    ]
    path.write_text("\n".join(lines) + "\n")
    return path
