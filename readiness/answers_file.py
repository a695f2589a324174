"""The answers file: interview answers, waivers and notes written ahead, in TOML.

Format (see examples/answers.toml for a complete one)::

    technician = "Alex Martin"            # optional, top level (before any table)

    [site]                                # optional
    name = "Martin & Co"                  # required if [site] is present
    address = "12 Rue Exemple, Lyon"      # optional
    profile = "accountants"               # optional: the kind of business, shown in the report
    timezone = "Europe/Paris"             # optional: the office's time zone (IANA name); its
                                          # dates (tests, next test due) are read there

    [answers]                             # question id = value, ids from `readiness checks`
    max_outage_minutes = 15               # number questions: integer or float, within range
    has_backup_line = false               # yes/no questions: true or false
    backup_kind = "mobile"                # choice: one of the question's choice values
    departments = ["sales", "finance"]    # multi: a list of choice values
    last_failover_test = 2026-03-14       # date: a TOML date or "YYYY-MM-DD"
    responder = "Front desk"              # text
    outage_history = "unknown"            # "unknown" = I don't know (where the question allows it)

    [waivers.PWR-001]                     # a check id
    reason = "UPS replacement ordered"    # required
    expires = 2026-12-31                  # required: a date
    by = "Owner"                          # optional

    [[notes]]
    text = "Router is under the reception desk"
    check = "WAN-001"                     # optional: the check the note is about

Every value is checked against the catalogue; the first problem is an InputError naming
the file and the field, e.g. ``answers.toml: answers.max_outage_minutes: expected a
number, got 'abc'``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

from readiness.catalogue import Catalogue, Question, QuestionType
from readiness.errors import InputError
from readiness.files import read_toml
from readiness.localtime import zone
from readiness.model import Answer, AnswerValue, Audit, Note, Site, Waiver

UNKNOWN = "unknown"
TOP_KEYS = {"technician", "site", "answers", "waivers", "notes"}
SITE_KEYS = {"name", "address", "profile", "timezone"}
WAIVER_KEYS = {"reason", "expires", "by"}
NOTE_KEYS = {"text", "check", "by"}


@dataclass
class AnswersFile:
    path: str
    technician: str | None = None
    site: Site | None = None
    answers: dict[str, AnswerValue] = field(default_factory=dict)
    waivers: dict[str, Waiver] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)


def _got(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return repr(value)


class _Reader:
    def __init__(self, path: Path, catalogue: Catalogue) -> None:
        self.path = path
        self.catalogue = catalogue

    def fail(self, where: str | None, message: str) -> InputError:
        return InputError(self.path, where, message)

    def text(self, value: object, where: str, *, required: bool = True) -> str | None:
        if value is None and not required:
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self._raise(where, f"expected some text, got {_got(value)}")
        return value

    def _raise(self, where: str, message: str) -> NoReturn:
        raise self.fail(where, message)

    def date(self, value: object, where: str) -> date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self._raise(where, f"expected a date (YYYY-MM-DD), got {_got(value)}")

    def timezone(self, value: object, where: str) -> str | None:
        name = self.text(value, where, required=False)
        if name is not None and zone(name.strip()) is None:
            self._raise(where, f"unknown time zone {name!r} (an IANA name such as 'Europe/Paris')")
        return name.strip() if name is not None else None

    def table(self, value: object, where: str, allowed: set[str] | None) -> dict[str, Any]:
        if not isinstance(value, dict):
            self._raise(where, f"expected a table, got {_got(value)}")
        if allowed is not None:
            for key in value:
                if key not in allowed:
                    where_key = f"{where}.{key}" if where else key
                    expected = ", ".join(sorted(allowed))
                    self._raise(where_key, f"unknown key (expected one of: {expected})")
        return value

    def answer(self, q: Question, value: object, where: str) -> AnswerValue:
        choices = [c.value for c in q.choices]
        if value == UNKNOWN and not (q.type is QuestionType.CHOICE and UNKNOWN in choices):
            if q.allow_unknown:
                return None
            self._raise(where, "this question needs an answer; 'unknown' is not accepted")
        if q.type is QuestionType.YESNO:
            if isinstance(value, bool):
                return value
            self._raise(where, f"expected true or false, got {_got(value)}")
        if q.type is QuestionType.NUMBER:
            return self.number(q, value, where)
        if q.type is QuestionType.CHOICE:
            if isinstance(value, str) and value in choices:
                return value
            self._raise(where, f"expected one of {', '.join(choices)}, got {_got(value)}")
        if q.type is QuestionType.MULTI:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                self._raise(where, f"expected a list of {', '.join(choices)}, got {_got(value)}")
            for v in value:
                if v not in choices:
                    self._raise(where, f"{v!r} is not one of {', '.join(choices)}")
            return list(dict.fromkeys(value))
        if q.type is QuestionType.DATE:
            return self.date(value, where).isoformat()
        text = self.text(value, where)
        assert text is not None
        return text

    def number(self, q: Question, value: object, where: str) -> int | float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._raise(where, f"expected a number, got {_got(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            self._raise(where, f"expected a number, got {value}")
        if q.integer and isinstance(value, float):
            if not value.is_integer():
                self._raise(where, f"expected a whole number, got {value}")
            value = int(value)
        if q.min is not None and value < q.min:
            self._raise(where, f"{value} is below the minimum {q.min:g}")
        if q.max is not None and value > q.max:
            self._raise(where, f"{value} is above the maximum {q.max:g}")
        return value


def parse_answers(data: dict[str, Any], path: Path, catalogue: Catalogue) -> AnswersFile:
    """Validate an already-parsed answers document against the catalogue."""
    r = _Reader(path, catalogue)
    r.table(data, "", TOP_KEYS)
    out = AnswersFile(path=str(path))
    if "technician" in data:
        out.technician = r.text(data["technician"], "technician")
    if "site" in data:
        site = r.table(data["site"], "site", SITE_KEYS)
        if "name" not in site:
            raise r.fail("site.name", "missing: the site needs a name")
        out.site = Site(
            name=r.text(site["name"], "site.name") or "",
            address=r.text(site.get("address"), "site.address", required=False),
            profile=r.text(site.get("profile"), "site.profile", required=False),
            timezone=r.timezone(site.get("timezone"), "site.timezone"),
        )
    questions = catalogue.questions_by_id()
    for qid, value in r.table(data.get("answers", {}), "answers", None).items():
        where = f"answers.{qid}"
        if qid not in questions:
            raise r.fail(where, "unknown question id (see `readiness checks`)")
        out.answers[qid] = r.answer(questions[qid], value, where)
    check_ids = {c.id for c in catalogue.checks}
    for cid, raw in r.table(data.get("waivers", {}), "waivers", None).items():
        where = f"waivers.{cid}"
        if cid not in check_ids:
            raise r.fail(where, "unknown check id (see `readiness checks`)")
        w = r.table(raw, where, WAIVER_KEYS)
        for key in ("reason", "expires"):
            if key not in w:
                raise r.fail(f"{where}.{key}", "missing")
        out.waivers[cid] = Waiver(
            reason=r.text(w["reason"], f"{where}.reason") or "",
            expires=r.date(w["expires"], f"{where}.expires"),
            by=r.text(w.get("by"), f"{where}.by", required=False),
        )
    notes = data.get("notes", [])
    if not isinstance(notes, list):
        raise r.fail("notes", f"expected a list of [[notes]] tables, got {_got(notes)}")
    for i, raw in enumerate(notes):
        where = f"notes[{i}]"
        n = r.table(raw, where, NOTE_KEYS)
        if "text" not in n:
            raise r.fail(f"{where}.text", "missing")
        check = r.text(n.get("check"), f"{where}.check", required=False)
        if check is not None and check not in check_ids:
            raise r.fail(f"{where}.check", f"unknown check id {check!r}")
        out.notes.append(
            Note(
                text=r.text(n["text"], f"{where}.text") or "",
                check_id=check,
                by=r.text(n.get("by"), f"{where}.by", required=False),
            )
        )
    return out


def load_answers(path: Path, catalogue: Catalogue) -> AnswersFile:
    """Read and validate an answers file. Raises InputError naming the file and the field."""
    return parse_answers(read_toml(path), path, catalogue)


def apply_answers(audit: Audit, answers: AnswersFile, now: datetime) -> Audit:
    """A copy of ``audit`` with the file's site, technician, answers, waivers and notes added.

    Values from the file replace answers and waivers of the same id; notes are appended.
    """
    technician = answers.technician or audit.technician
    new_answers = dict(audit.answers)
    for qid, value in answers.answers.items():
        new_answers[qid] = Answer(value=value, answered_at=now, by=technician)
    notes = list(audit.notes) + [
        n.model_copy(update={"at": now, "by": n.by or technician}) for n in answers.notes
    ]
    waivers = dict(audit.waivers)
    for cid, w in answers.waivers.items():
        waivers[cid] = w if w.by else w.model_copy(update={"by": technician})
    return audit.model_copy(
        update={
            "site": answers.site or audit.site,
            "technician": technician,
            "answers": new_answers,
            "waivers": waivers,
            "notes": notes,
        }
    )


def _in_words(value: AnswerValue, question: Question | None) -> str:
    labels = {c.value: c.label for c in question.choices} if question else {}
    if value is None:
        return "don't know"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(labels.get(v, v) for v in value) or "none"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return labels.get(value, value) if isinstance(value, str) else str(value)


def answer_changes(audit: Audit, answers: AnswersFile, catalogue: Catalogue) -> list[str]:
    """What applying ``answers`` over ``audit`` changes, one plain sentence each.

    An answer that replaces a different one is a sentence of its own (old and new, with
    who gave the old one); questions answered for the first time are one sentence listing
    them; a waiver set or replaced is one sentence each; the same value again is no change.
    """
    source = Path(answers.path).name
    questions = catalogue.questions_by_id()
    out: list[str] = []
    added: list[str] = []
    for qid, value in answers.answers.items():
        q = questions.get(qid)
        text = q.text if q else qid
        before = audit.answers.get(qid)
        if before is None:
            added.append(text)
        elif before.value != value:
            who = f" ({before.by})" if before.by else ""
            out.append(
                f"Changed from {source}: \"{text}\" was \"{_in_words(before.value, q)}\"{who},"
                f" now \"{_in_words(value, q)}\"."
            )
    if added:
        out.append(f"Answered for the first time from {source}: " + "; ".join(added) + ".")
    titles = {c.id: c.title for c in catalogue.checks}
    for cid, w in answers.waivers.items():
        old = audit.waivers.get(cid)
        if old is not None and (old.reason, old.expires) == (w.reason, w.expires):
            continue
        verb = "replaced" if old is not None else "set"
        out.append(
            f"Waiver {verb} from {source}: \"{titles.get(cid, cid)}\" accepted until"
            f" {w.expires.isoformat()} ({w.reason})."
        )
    if answers.site is not None and answers.site != audit.site:
        out.append(f"Site details taken from {source} (before: {audit.site.name}).")
    if answers.technician and audit.technician and answers.technician != audit.technician:
        out.append(f"Technician now {answers.technician} (before: {audit.technician}), from {source}.")
    return out


def reapply_answers(audit: Audit, answers: AnswersFile, catalogue: Catalogue, now: datetime) -> Audit:
    """``apply_answers`` over a recorded audit, each change kept as a note.

    The audit keeps its drills, notes and waivers; the file's answers and waivers replace
    those of the same id, and a note per change says what was there before, so a visit
    judged again with answers that came later shows how it was changed.
    """
    changes = answer_changes(audit, answers, catalogue)
    updated = apply_answers(audit, answers, now)
    who = updated.technician
    notes = list(updated.notes) + [Note(text=text, at=now, by=who) for text in changes]
    return updated.model_copy(update={"notes": notes, "updated_at": now})
