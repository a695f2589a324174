"""`--redact` leaves no identifier, whatever its spelling or where it is written (issue 19,
point 2): a Wi-Fi name inside the probe's own hint, host and Wi-Fi names without a dot in
notes, answers and diagnostics, MAC addresses in Cisco and bare notation (even in the
``mac`` field), zero-padded and reverse-DNS-styled IPv4. Markdown and JSON carry the same
tokens. (Speed: `python -m bench redact`; tests never time.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from readiness.cli import main
from readiness.export.redact import TOKEN_RE, Redactor, leftover_identifiers, redact
from readiness.store import load_audit

REPO = Path(__file__).resolve().parents[2]
SSID = "iPhone de Marc Dupont"
HOST = "zorglub"  # no dot, dash, underscore or digit
SECRETS = (
    SSID, HOST, "Dupont",
    "3c97.0e50.000c", "3c970e50000d", "3C:97:0E:50:00:0A",
    "081.002.069.165", "81-2-69-173", "81_2_69_174", "81.2.69.165",
)


def _hostile_facts(tmp_path: Path) -> Path:
    facts = json.loads((REPO / "examples" / "dual-office.json").read_text())
    facts["hostname"] = HOST
    facts["power"]["hosts_tried"] += ["203.0.113.5:3493", "nas.office.lan:3493"]
    wifi = dict(facts["interfaces"][0])
    wifi.update(name="wlan0", kind="wifi", ssid=SSID, mac="3c970e50000d",
                tethering_hint=f"Wi-Fi network name {SSID!r} looks like a phone hotspot")
    facts["interfaces"][0]["mac"] = "3c97.0e50.000c"
    facts["interfaces"].append(wifi)
    facts["probes"]["interfaces"]["diagnostics"] = [
        f"{HOST} answered from 081.002.069.165 via static81-2-69-173.isp.example",
        f"joined {SSID} as 3C:97:0E:50:00:0A; upstream 81_2_69_174 and 81.2.69.165",
    ]
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts))
    return path


def _answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.toml"
    path.write_text(
        f'technician = "Alex"\n[answers]\nresponder = "whoever is on {HOST}"\n'
        f'[[notes]]\ntext = "The box {HOST} is on the Wi-Fi {SSID}; MAC 3c97.0e50.000c"\n'
    )
    return path


@pytest.fixture
def outputs(tmp_path: Path) -> tuple[str, str]:
    stem = tmp_path / "out"
    argv = ["audit", "--replay", str(_hostile_facts(tmp_path)), "--answers", str(_answers(tmp_path)),
            "--redact", "--format", "both", "-o", str(stem)]
    assert main(argv) == 0
    return (tmp_path / "out.md").read_text(), (tmp_path / "out.json").read_text()


@pytest.mark.parametrize("secret", SECRETS)
def test_no_identifier_survives_in_either_export(outputs: tuple[str, str], secret: str) -> None:
    for text in outputs:
        assert secret.lower() not in text.lower()


def test_both_exports_use_the_same_tokens(outputs: tuple[str, str]) -> None:
    md, js = outputs
    doc = json.loads(js)
    wifi = doc["facts"]["interfaces"][-1]
    assert re.fullmatch(r"ssid-\d+", wifi["ssid"]) and wifi["ssid"] in wifi["tethering_hint"]
    assert doc["facts"]["hostname"] in doc["notes"][0]["text"]
    # the same MAC in three notations is one token, in the field and in text
    assert doc["facts"]["interfaces"][0]["mac"] in doc["notes"][0]["text"]
    for token in set(re.findall(rf"\b{TOKEN_RE.pattern}\b", js)):
        if token in json.dumps(doc["facts"]["interfaces"]) or token == doc["facts"]["hostname"]:
            assert token in md or token in js


def test_one_address_in_every_spelling_is_one_token() -> None:
    r = Redactor()
    spellings = ["81.2.69.165", "081.002.069.165", "static81-2-69-165", "81_2_69_165"]
    out = {r.text(s).removeprefix("static") for s in spellings}
    assert out == {"ip-1"}
    assert r.text("10_1_2_3 and 010.001.002.003") == "10_1_2_3 and 010.001.002.003"  # private: kept


def test_a_mac_in_any_notation_is_one_token() -> None:
    r = Redactor()
    spellings = ("3c:97:0e:50:00:0c", "3C-97-0E-50-00-0C", "3c97.0e50.000c", "3c970e50000c")
    assert {r.text(m) for m in spellings} == {"mac-1"}
    assert r.mac("3c970e50000c") == "mac-1"


def test_the_tools_own_ids_are_not_taken_for_macs(tmp_path: Path) -> None:
    audit = load_audit(_saved(tmp_path))
    assert redact(audit).id == audit.id


def _saved(tmp_path: Path) -> Path:
    path = tmp_path / "a.json"
    facts = str(_hostile_facts(tmp_path))
    assert main(["audit", "--replay", facts, "--format", "json", "-o", str(path)]) == 0
    return path


def test_a_hand_set_redacted_flag_is_checked_before_the_banner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _saved(tmp_path)
    data = json.loads(path.read_text())
    data["redacted"] = True
    path.write_text(json.dumps(data))
    assert leftover_identifiers(load_audit(path))
    capsys.readouterr()
    assert main(["report", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "This copy is redacted" not in out
    assert "not redacted" in err
    # a truly redacted copy keeps its banner
    red = tmp_path / "red.json"
    assert main(["report", str(path), "--redact", "--format", "json", "-o", str(red)]) == 0
    assert leftover_identifiers(load_audit(red)) == []
    capsys.readouterr()
    assert main(["report", str(red)]) == 0
    assert "This copy is redacted" in capsys.readouterr().out


def test_twelve_decimal_digits_are_a_mac_only_when_a_mac_field_held_them() -> None:
    r = Redactor()
    assert r.text("call 003312345678") == "call 003312345678"  # a phone number stays
    assert r.mac("000000000000") == "mac-1"
    assert r.text("saw 000000000000") == "saw mac-1"
