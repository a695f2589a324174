"""MAC address -> hardware vendor, from netaddr's bundled (offline) IEEE OUI registry."""

from __future__ import annotations

from functools import lru_cache

from netaddr import EUI
from netaddr.core import AddrFormatError, NotRegisteredError


def is_locally_administered(mac: str) -> bool:
    """Randomised / virtual MACs set bit 1 of the first octet; they have no vendor."""
    try:
        first = int(mac.replace("-", ":").split(":")[0], 16)
    except (ValueError, IndexError):
        return False
    return bool(first & 0x02)


@lru_cache(maxsize=512)
def vendor_for_mac(mac: str | None) -> str | None:
    """The registered organisation for ``mac``, or None when unknown, virtual or malformed."""
    if not mac or mac in {"00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"} or is_locally_administered(mac):
        return None
    try:
        org = EUI(mac).oui.registration().org
    except (AddrFormatError, NotRegisteredError, IndexError, ValueError, TypeError):
        return None
    return str(org).strip() or None
