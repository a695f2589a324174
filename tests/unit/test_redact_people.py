"""`--redact` masks people, phone numbers, e-mail addresses, contract numbers and the site:
the answers checks/questions.toml marks ``personal``, the person fields of the audit (the
technician, who answered, wrote a note, waived a check), and the same values wherever
else they are written; phones and e-mails in any free text even when no question declared
them. Dates, times, amounts, ports, addresses and the tool's ids are not phone numbers."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from readiness.catalogue import load_catalogue
from readiness.cli import main
from readiness.errors import InputError
from readiness.export.redact import TOKEN_RE, Redactor, leftover_identifiers, redact
from readiness.model import Answer, Audit, Note, Waiver
from readiness.paths import checks_dir
from tests.unit import audit_fixtures as fx

REPO = Path(__file__).resolve().parents[2]
RESPONDER = "Anna Kowalczyk"
DEPUTY = "Marc Dubois 06 12 34 56 78"
TESTER = "Sam Okafor"
TECHNICIAN = "Alex Tester"
CONTRACT = "FP1-204-5567"
BACKUP_CONTRACT = "MP2-88-1203"
PHONE = "+33 1 45 67 89 01"
BACKUP_PHONE = "0800 123 456"
SITE = "Kowalczyk Dental"
ADDRESS = "12 rue des Lilas, Lyon"
EMAIL = "anna.k@kowalczyk-dental.example"
LOOSE_PHONE = "07 98 76 54 32"  # in a note only: no question declared it
PERSONAL = (RESPONDER, DEPUTY, TESTER, TECHNICIAN, CONTRACT, BACKUP_CONTRACT, PHONE, BACKUP_PHONE, SITE,
            ADDRESS, EMAIL, LOOSE_PHONE, "Marc Dubois", "0612345678", "01 45 67 89 01")  # fmt: skip


def _personal_audit() -> Audit:
    """The fixture audit with a full contact card, and the same values again in free text."""
    audit = fx.audit()
    answers = dict(audit.answers)
    answers.update(
        responder=Answer(value=RESPONDER, by=TECHNICIAN),
        responder_deputy=Answer(value=DEPUTY),
        last_test_by=Answer(value=TESTER),
        last_test_scope=Answer(value=f"unplugged the fibre; {TESTER} called {PHONE} and wrote to {EMAIL}"),
        primary_contract=Answer(value=CONTRACT),
        primary_support_phone=Answer(value=PHONE),
        backup_contract=Answer(value=BACKUP_CONTRACT),
        backup_support_phone=Answer(value=BACKUP_PHONE),
        primary_provider=Answer(value="Fibre Provider One"),
    )
    notes = [
        *audit.notes,
        Note(text=f"Ask {RESPONDER} (or Marc Dubois, 0612345678) before cutting the line", by=TECHNICIAN),
        Note(text=f"Contract {CONTRACT}; the fault line is {PHONE}, mobile {LOOSE_PHONE}"),
        Note(text=f"The {SITE} team meets on 2026-12-04 at 09:30"),
    ]
    waivers = {
        "OPS-003": Waiver(reason=f"{RESPONDER} drafts it with the provider, ref {BACKUP_CONTRACT}",
                          expires=date(2027, 1, 31), by=RESPONDER),
    }  # fmt: skip
    site = audit.site.model_copy(update={"name": SITE, "address": ADDRESS})
    return audit.model_copy(update={"answers": answers, "notes": notes, "waivers": waivers, "site": site})


def _values(audit: Audit) -> dict[str, str]:
    return {qid: str(a.value) for qid, a in audit.answers.items()}


def test_personal_answers_and_person_fields_become_tokens() -> None:
    red = redact(_personal_audit())
    answers = _values(red)
    assert re.fullmatch(r"person-\d+", answers["responder"])
    assert re.fullmatch(r"person-\d+", answers["responder_deputy"])
    assert re.fullmatch(r"person-\d+", answers["last_test_by"])
    assert re.fullmatch(r"contract-\d+", answers["primary_contract"])
    assert re.fullmatch(r"contract-\d+", answers["backup_contract"])
    assert re.fullmatch(r"phone-\d+", answers["primary_support_phone"])
    assert re.fullmatch(r"phone-\d+", answers["backup_support_phone"])
    assert answers["primary_provider"] == "Fibre Provider One"  # a company, not a person
    assert re.fullmatch(r"person-\d+", red.technician or "")
    assert red.drills[0].technician == red.technician  # the same person, the same token
    assert red.answers["responder"].by == red.technician
    assert red.waivers["OPS-003"].by == answers["responder"]
    assert red.site.name == "site-1" and red.site.address == "address-1"
    assert red.site.profile == "clinic"  # the kind of business identifies nobody


def test_the_same_values_are_masked_wherever_else_they_are_written() -> None:
    red = redact(_personal_audit())
    answers = _values(red)
    person, deputy = answers["responder"], answers["responder_deputy"]
    contract, phone = answers["backup_contract"], answers["primary_support_phone"]
    waiver = red.waivers["OPS-003"].reason
    assert waiver == f"{person} drafts it with the provider, ref {contract}"
    scope = answers["last_test_scope"]
    tester = answers["last_test_by"]
    assert re.fullmatch(f"unplugged the fibre; {tester} called {phone} and wrote to email-1", scope)
    notes = [n.text for n in red.notes]
    # the deputy's name alone and the phone number written in the deputy's answer
    assert re.fullmatch(rf"Ask {person} \(or {deputy}, phone-\d+\) before cutting the line", notes[-3])
    assert f"Contract {answers['primary_contract']}; the fault line is {phone}, mobile phone-" in notes[-2]
    assert notes[-1] == "The site-1 team meets on 2026-12-04 at 09:30"


def test_a_phone_number_is_one_token_whatever_its_spacing() -> None:
    r = Redactor()
    assert r.known("06 12 34 56 78", "phone") == "phone-1"
    out = r.text("call 06.12.34.56.78 or 0612345678 or 06-12-34-56-78")
    assert out == "call phone-1 or phone-1 or phone-1"
    assert r.text("06 12 34 56 78") == "phone-1"
    assert r.text("or +33 6 12 34 56 79") == "or phone-2"


def test_tokens_are_stable_across_the_audit_and_distinct_per_value() -> None:
    r = Redactor()
    assert r.known("Anna", "person") == "person-1"
    assert r.known("Marc", "person") == "person-2"
    assert r.known("anna", "person") == "person-1"  # the same name, whatever its case
    assert r.known("Anna", "person") == "person-1"
    assert r.text("Anna and Marc, then ANNA again") == "person-1 and person-2, then person-1 again"
    assert r.text("Annabelle and Marcel are someone else") == "Annabelle and Marcel are someone else"
    assert r.text("a@b.example, A@B.example, c@b.example") == "email-1, email-1, email-2"
    assert r.known("person-1", "person") == "person-1"  # an existing token is kept as it is


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("call +33 1 23 45 67 89 now", "phone"),
        ("mobile 06 12 34 56 78.", "phone"),
        ("0612345678", "phone"),
        ("01.23.45.67.89", "phone"),
        ("UK office 020 7946 0958", "phone"),
        ("Berlin 030 1234567", "phone"),
        ("US (555) 123-4567", "phone"),
        ("+44 (0)20 7946 0958", "phone"),
        ("tel:+4930123456789", "phone"),
        ("toll-free 0800 123 456", "phone"),
        ("write to anna.dupont@cabinet-dupont.fr.", "email"),
        ("<it+alerts@partner.example.com>", "email"),
    ],
)
def test_phone_numbers_and_e_mail_addresses_in_any_text_are_masked(text: str, kind: str) -> None:
    out = Redactor().text(text)
    assert f"{kind}-1" in out
    assert not re.search(r"\d{2}|@", out.replace(f"{kind}-1", ""))


@pytest.mark.parametrize(
    "text",
    [
        "on 2026-12-04",  # dates
        "on 04.12.2026 10 people came",
        "on 04/12/2026",
        "04-12-2026",
        "at 2026-12-04T18:21:41Z",
        "at 18:21:41 and 03:38",  # times
        "costs 1 200 000 EUR",  # amounts
        "12 345,67 €",
        "+12 345 678 EUR more",
        "+5 % a year",
        "0,50 per minute",
        "port 8080, tcp:443, :3493",  # ports
        "10.0.0.1 and 010.001.002.003",  # private addresses (kept)
        "WAN-004, OPS-002 and PWR-001",  # check ids
        "drill 4f3a2b1c0d9e, audit 0123456789ab",  # the tool's ids
        "version 0.12.3, 1.2.3.4.5",
        "took 0 ms, then 0.250 s",
        "ratio 10:30:45",
        "hello@",
        "a@b",
    ],
)
def test_dates_times_amounts_ports_and_ids_are_not_phone_numbers(text: str) -> None:
    # Each next to a real number and address, which are masked: the pattern is at work.
    out = Redactor().text(f"{text} / call 06 12 34 56 78 or x@y.example", bare_macs=False)
    assert out == f"{text} / call phone-1 or email-1"


def test_a_short_number_is_masked_in_its_field_but_not_in_figures() -> None:
    r = Redactor()
    assert r.known("4711", "contract") == "contract-1"
    assert r.known("98765432", "contract") == "contract-2"
    assert r.text("took 4711 ms; contract 98765432") == "took 4711 ms; contract contract-2"


def test_roles_identify_nobody_and_stay_readable() -> None:
    r = Redactor()
    assert r.known("Owner", "person") == "Owner"
    assert r.known("the front desk", "person") == "the front desk"
    assert r.known("our IT partner", "person") == "our IT partner"
    assert r.text("The owner said failover is manual") == "The owner said failover is manual"
    assert r.known("Practice owner", "person") == "person-1"  # not a bare role: masked


def test_redacting_twice_changes_nothing_and_a_redacted_copy_has_no_leftovers() -> None:
    once = redact(_personal_audit())
    assert TOKEN_RE.fullmatch(str(once.answers["responder_deputy"].value))
    assert redact(once) == once
    assert leftover_identifiers(once) == []
    assert leftover_identifiers(_personal_audit())  # the clear copy has plenty


def test_every_token_kind_is_recognised_as_a_token() -> None:
    r = Redactor()
    written = [r.known("Anna", "person"), r.known("06 12 34 56 78", "phone"), r.known("X-99-123", "contract"),
               r.known("a@b.example", "email"), r.known("Some Site", "site"), r.known("1 Main St", "address"),
               r.host("nas.office.lan"), r.text("203.0.113.9"), r.mac("3c:97:0e:50:00:0c")]  # fmt: skip
    assert all(TOKEN_RE.fullmatch(t) for t in written), written


def _answers_file(tmp_path: Path) -> Path:
    path = tmp_path / "answers.toml"
    path.write_text(
        f'technician = "{TECHNICIAN}"\n'
        f'[site]\nname = "{SITE}"\naddress = "{ADDRESS}"\n'
        "[answers]\n"
        f'responder = "{RESPONDER}"\nresponder_deputy = "{DEPUTY}"\nlast_test_by = "{TESTER}"\n'
        f'backup_line = true\nprimary_contract = "{CONTRACT}"\nprimary_support_phone = "{PHONE}"\n'
        f'backup_contract = "{BACKUP_CONTRACT}"\nbackup_support_phone = "{BACKUP_PHONE}"\n'
        f'last_test_scope = "{TESTER} called the fault line; mail {EMAIL}"\n'
        f'[waivers.OPS-003]\nreason = "{RESPONDER} writes it with the provider ({BACKUP_CONTRACT})"\n'
        f'expires = 2099-01-31\nby = "{RESPONDER}"\n'
        f'[[notes]]\ntext = "Ask {RESPONDER} or Marc Dubois (0612345678); mobile {LOOSE_PHONE}"\n'
        f'[[notes]]\ntext = "Contract {CONTRACT} renews on 2027-03-01 for 35 EUR a month"\n'
        'check = "WAN-004"\n',
        encoding="utf-8",
    )
    return path


def test_a_redacted_report_in_every_format_carries_no_personal_value(tmp_path: Path) -> None:
    stem = tmp_path / "out"
    argv = ["audit", "--replay", str(REPO / "examples" / "dual-office.json"), "--answers",
            str(_answers_file(tmp_path)), "--redact", "--format", "all", "-o", str(stem)]  # fmt: skip
    assert main(argv) == 0
    outputs = {ext: (tmp_path / f"out.{ext}").read_text(encoding="utf-8") for ext in ("md", "html", "json")}
    for ext, text in outputs.items():
        for value in PERSONAL:
            assert value.lower() not in text.lower(), (ext, value)
    doc = json.loads(outputs["json"])
    answers = {k: v["value"] for k, v in doc["answers"].items()}
    md = outputs["md"]
    # the owner's contact card reads with tokens in place of the values
    assert f"- Handles an outage: {answers['responder']}" in md
    assert f"- Stands in when they are away: {answers['responder_deputy']}" in md
    assert f"| {answers['primary_contract']} | {answers['primary_support_phone']} |" in md
    assert f"| {answers['backup_contract']} | {answers['backup_support_phone']} |" in md
    html = outputs["html"]
    for qid in ("responder", "responder_deputy", "primary_contract", "primary_support_phone"):
        assert answers[qid] in html
    # what is not personal still reads: dates, amounts, check ids, the provider
    assert "renews on 2027-03-01 for 35 EUR a month" in md
    assert "WAN-004" in outputs["json"]


def test_the_clear_report_does_carry_them(tmp_path: Path) -> None:
    """Guard against a test that cannot fail: without --redact every value is there."""
    stem = tmp_path / "out"
    argv = ["audit", "--replay", str(REPO / "examples" / "dual-office.json"), "--answers",
            str(_answers_file(tmp_path)), "--format", "all", "-o", str(stem)]  # fmt: skip
    assert main(argv) == 0
    md = (tmp_path / "out.md").read_text(encoding="utf-8")
    for value in (RESPONDER, DEPUTY, CONTRACT, PHONE, BACKUP_PHONE, SITE, LOOSE_PHONE, EMAIL):
        assert value in md, value


def _catalogue_with(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "checks"
    shutil.copytree(checks_dir(), folder)
    toml = folder / "questions.toml"
    text = toml.read_text(encoding="utf-8")
    assert old in text, old
    toml.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_a_bad_personal_value_is_one_line_naming_the_file_and_field(tmp_path: Path) -> None:
    folder = _catalogue_with(tmp_path, 'personal = "phone"', 'personal = "telephone"')
    with pytest.raises(InputError) as err:
        load_catalogue(folder)
    message = str(err.value)
    assert "\n" not in message
    assert "questions.toml" in message and re.search(r"questions\[\d+\]\.personal", message), message


def test_only_a_text_question_can_be_personal(tmp_path: Path) -> None:
    old = 'id = "primary_repair_hours"\n'
    folder = _catalogue_with(tmp_path, old, old + 'personal = "contract"\n')
    with pytest.raises(InputError) as err:
        load_catalogue(folder)
    assert "questions.toml" in str(err.value) and "primary_repair_hours.personal" in str(err.value)


def test_the_catalogue_declares_the_contact_cards_answers_personal() -> None:
    personal = {q.id: q.personal for q in load_catalogue().questions if q.personal}
    assert personal == {
        "responder": "person", "responder_deputy": "person", "last_test_by": "person",
        "primary_contract": "contract", "backup_contract": "contract",
        "primary_support_phone": "phone", "backup_support_phone": "phone",
    }  # fmt: skip
