"""UPS units plugged into this machine by USB, recognised by vendor and product id.

Only Linux exposes the device tree we read (``/sys/bus/usb/devices``); elsewhere the
caller gets ``None`` plus a reason. The table is data: makers whose every USB device is a
UPS match by vendor alone; makers of many other things (Belkin, Cypress-based serial
bridges) match only with a known UPS product id.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from readiness.model import UpsSource, UpsUnit

SYSFS_USB = Path("/sys/bus/usb/devices")


@dataclass(frozen=True)
class UsbUpsMaker:
    vendor_id: str
    maker: str
    product_ids: frozenset[str] | None = None  # None: every product of this vendor is a UPS


USB_UPS_MAKERS: tuple[UsbUpsMaker, ...] = (
    UsbUpsMaker("051d", "APC"),
    UsbUpsMaker("0764", "CyberPower"),
    UsbUpsMaker("0463", "Eaton / MGE"),
    UsbUpsMaker("09ae", "Tripp Lite"),
    UsbUpsMaker("0d9f", "Powercom"),
    UsbUpsMaker("06da", "Phoenixtec / Liebert"),
    UsbUpsMaker("10af", "Liebert"),
    UsbUpsMaker(
        "050d", "Belkin", frozenset({"0375", "0551", "0750", "0751", "0900", "0910", "0912", "0980", "1100"})
    ),
    # Cheap Voltronic / Megatec-protocol units behind a Cypress or similar USB-serial bridge.
    UsbUpsMaker("0665", "Megatec-protocol UPS (Cypress bridge)", frozenset({"5161"})),
    UsbUpsMaker("0925", "Richcomm-based UPS", frozenset({"1234"})),
)


def match_ups(vendor_id: str, product_id: str) -> UsbUpsMaker | None:
    """The maker entry for a USB id pair, or None if it is not a known UPS. Pure."""
    vendor_id, product_id = vendor_id.strip().lower(), product_id.strip().lower()
    for maker in USB_UPS_MAKERS:
        if maker.vendor_id == vendor_id and (maker.product_ids is None or product_id in maker.product_ids):
            return maker
    return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()[:128] or None
    except OSError:
        return None


def scan_sysfs(root: Path = SYSFS_USB) -> list[UpsUnit]:
    """Linux only: read idVendor/idProduct of every USB device under ``root``."""
    units: list[UpsUnit] = []
    if not root.is_dir():
        return units
    for dev in sorted(root.iterdir()):
        vendor, product = _read(dev / "idVendor"), _read(dev / "idProduct")
        if not vendor or not product:
            continue
        maker = match_ups(vendor, product)
        if maker is None:
            continue
        units.append(
            UpsUnit(
                source=UpsSource.USB,
                host="local",
                name=f"usb:{dev.name}",
                model=_read(dev / "product"),
                manufacturer=_read(dev / "manufacturer") or maker.maker,
                usb_vendor_id=vendor.lower(),
                usb_product_id=product.lower(),
            )
        )
    return units


def scan_usb_ups() -> tuple[list[UpsUnit] | None, str | None]:
    """USB UPS units on this machine, or (None, reason) where the OS gives no device tree."""
    if not sys.platform.startswith("linux"):
        return None, f"USB devices are read from Linux sysfs; not available on {sys.platform}"
    if not SYSFS_USB.is_dir():
        return None, f"{SYSFS_USB} is missing (no USB bus visible, e.g. in a container)"
    try:
        return scan_sysfs(SYSFS_USB), None
    except OSError as exc:
        return None, f"cannot read {SYSFS_USB}: {exc}"
