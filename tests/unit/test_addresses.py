"""One definition of local vs public addresses, shared by probes and redaction."""

from __future__ import annotations

import pytest

from readiness.addresses import is_cgnat, is_office_local, is_private, is_unspecified


@pytest.mark.parametrize(
    ("address", "private", "office"),
    [
        ("192.168.1.1", True, True),
        ("10.0.0.5", True, True),
        ("fe80::1%eth0", True, True),
        ("::ffff:10.0.0.1", True, True),  # IPv4-mapped counts as its IPv4 address
        ("100.64.3.4", True, False),  # provider CGNAT: private, but beyond the office
        ("198.51.100.10", False, False),  # documentation range: public for us (the lab's internet)
        ("203.0.113.5", False, False),
        ("8.8.8.8", False, False),
        ("not an address", False, False),
    ],
)
def test_local_and_public(address: str, private: bool, office: bool) -> None:
    assert is_private(address) is private
    assert is_office_local(address) is office


def test_cgnat_and_unspecified() -> None:
    assert is_cgnat("100.127.255.1") and not is_cgnat("100.128.0.1")
    assert is_unspecified("0.0.0.0") and is_unspecified("::") and not is_unspecified("127.0.0.1")
