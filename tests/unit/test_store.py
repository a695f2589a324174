"""The store: atomic saves, owner-only files, corrupt files kept aside, no interleaving."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
from pathlib import Path

import pytest

from readiness.errors import InputError, OutputError
from readiness.model import Answer
from readiness.store import (
    keep_aside,
    list_saved,
    load_audit,
    load_or_keep_aside,
    new_audit,
    read_for_listing,
    save_audit,
    write_atomic,
)


def test_round_trip(tmp_path: Path) -> None:
    audit = new_audit("Dental practice", technician="Ana")
    audit.answers["backup_line"] = Answer(value=True)
    path = tmp_path / "a.json"
    save_audit(audit, path)
    assert load_audit(path) == audit


def test_saved_file_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    save_audit(new_audit("x"), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_no_temp_file_left_after_save(tmp_path: Path) -> None:
    save_audit(new_audit("x"), tmp_path / "a.json")
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".a.json.lock")) == ["a.json"]


def test_write_into_missing_folder_fails_cleanly(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "a.json"
    with pytest.raises(OutputError, match="nope"):
        write_atomic(target, b"{}")
    assert not (tmp_path / "nope").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_write_into_read_only_folder_fails_cleanly(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError):
            write_atomic(folder / "a.json", b"{}")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"old")

    # A payload that cannot be written (not bytes-like for os.write) must leave `old` intact.
    with pytest.raises((OutputError, TypeError)):
        write_atomic(path, 12345)  # type: ignore[arg-type]
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (b"{not json", None),
        (b"[]", None),
        (json.dumps({"schema_version": 99}).encode(), "schema_version"),
    ],
)
def test_bad_files_name_the_field(tmp_path: Path, content: bytes, field: str | None) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        load_audit(path)
    assert info.value.path == str(path)
    assert info.value.field == field
    assert "\n" not in str(info.value)


def test_wrong_type_names_the_dotted_field(tmp_path: Path) -> None:
    audit = new_audit("x")
    doc = json.loads(audit.model_dump_json())
    doc["facts"]["gateways"] = [{"address": "192.0.2.1", "family": 4, "metric": "high"}]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError) as info:
        load_audit(path)
    assert info.value.field == "facts.gateways[0].metric"


def test_corrupt_file_is_kept_aside_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b'{"schema_version": 1, "trunc')
    with pytest.raises(InputError, match=r"kept as a\.json\.corrupt-1"):
        load_or_keep_aside(path)
    assert not path.exists()
    assert (tmp_path / "a.json.corrupt-1").read_bytes() == b'{"schema_version": 1, "trunc'
    path.write_bytes(b"again")
    assert keep_aside(path).name == "a.json.corrupt-2"


def test_list_saved_reports_unreadable_files(tmp_path: Path) -> None:
    save_audit(new_audit("Good"), tmp_path / "good.json")
    (tmp_path / "bad.json").write_text("{")
    rows = {p.name: (audit, err) for p, audit, err in list_saved(tmp_path)}
    assert rows["good.json"][0] is not None and rows["good.json"][0].site.name == "Good"
    assert rows["bad.json"][0] is None and "not valid JSON" in (rows["bad.json"][1] or "")


def test_listing_reads_all_but_the_drill_timelines_and_leaves_the_file_whole(tmp_path: Path) -> None:
    """A list of saved audits shows the site, dates, progress and score; the samples of a
    drill are most of the file and of the time to read it. Resuming reads them all."""
    from tests.unit import audit_fixtures as fx

    audit = fx.audit()
    assert audit.drills and all(d.timeline for d in audit.drills)
    path = tmp_path / "a.json"
    save_audit(audit, path)
    before = path.read_bytes()
    listed = read_for_listing(path)
    assert all(not d.timeline for d in listed.drills)
    without_timelines = audit.model_copy(
        update={"drills": [d.model_copy(update={"timeline": []}) for d in audit.drills]}
    )
    assert listed == without_timelines
    assert path.read_bytes() == before and load_audit(path) == audit
    [(_, in_list, _)] = list_saved(tmp_path)
    assert in_list == listed


def test_listing_still_names_the_file_and_field_of_a_bad_audit(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    save_audit(new_audit("x"), path)
    data = json.loads(path.read_text())
    data["site"] = {"name": ""}
    path.write_text(json.dumps(data))
    with pytest.raises(InputError) as caught:
        read_for_listing(path)
    assert caught.value.path == str(path) and caught.value.field == "site.name"


def test_an_audit_removed_while_the_list_is_read_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another window may move a file aside, or the owner delete one, between the folder's
    listing and the file's reading: the list goes on without it, as the folder now is."""
    from readiness import store

    for name in ("a", "b"):
        save_audit(new_audit(name), tmp_path / f"{name}.json")
    read = store.read_for_listing

    def racing(path: Path) -> object:
        if path.name == "a.json":
            path.unlink()
        return read(path)

    monkeypatch.setattr(store, "read_for_listing", racing)
    assert [(p.name, a is not None, e) for p, a, e in list_saved(tmp_path)] == [("b.json", True, None)]


def _writer(path: str, n: int, tag: str) -> None:
    audit = new_audit(tag)
    for i in range(n):
        audit.answers[f"q{i}"] = Answer(value="x" * 2000)
        save_audit(audit, Path(path))


def test_concurrent_saves_never_leave_a_torn_file(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(str(path), 40, f"w{i}")) for i in range(3)]
    for p in procs:
        p.start()
    for _ in range(200):
        if path.exists():
            load_audit(path)  # every observed state parses
    for p in procs:
        p.join(30)
        assert p.exitcode == 0
    assert load_audit(path).site.name in {"w0", "w1", "w2"}
