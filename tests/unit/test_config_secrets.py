"""Router secrets (SNMP communities, v3 keys, the TR-064 password) live in the config file only:
one that others can read is refused with one line saying how to fix it, and no secret ever
reaches an audit, a report, a log or an error message."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from readiness.config import load_config
from readiness.errors import InputError

SECRET = "s3cret-community-9f2"
SECRETS = f"""
[router]
snmp_communities = ["{SECRET}"]
snmp_v3 = [{{ user = "mon", auth_key = "auth-key-77aa", priv_key = "priv-key-88bb" }}]
tr064_password = "fritz-pass-66cc"
"""


def _config(tmp_path: Path, text: str, mode: int) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    path.chmod(mode)
    return path


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_config_with_secrets_that_others_can_read_is_refused(tmp_path: Path, mode: int) -> None:
    path = _config(tmp_path, SECRETS, mode)
    with pytest.raises(InputError) as err:
        load_config(path)
    line = err.value.one_line()
    assert "\n" not in line and str(path) in line
    assert f"chmod 600 {path}" in line
    assert "router.snmp_communities" in line
    assert SECRET not in line


def test_an_owner_only_config_with_secrets_is_read(tmp_path: Path) -> None:
    config = load_config(_config(tmp_path, SECRETS, 0o600))
    assert config.router.snmp_communities[0].get_secret_value() == SECRET
    dumped = config.model_dump_json() + repr(config)
    assert all(s not in dumped for s in (SECRET, "auth-key-77aa", "priv-key-88bb", "fritz-pass-66cc"))


def test_the_default_public_community_is_no_secret(tmp_path: Path) -> None:
    config = load_config(_config(tmp_path, '[router]\nsnmp_communities = ["public"]\n', 0o644))
    assert config.router.secret_fields() == []


def test_a_bad_secret_value_is_not_echoed(tmp_path: Path) -> None:
    path = _config(tmp_path, '[router]\ntr064_password = ["fritz-pass-66cc"]\n', 0o600)
    with pytest.raises(InputError) as err:
        load_config(path)
    assert "fritz-pass-66cc" not in err.value.one_line()


def test_the_cli_refuses_it_with_exit_2_and_one_line(tmp_path: Path, repo_root: Path) -> None:
    path = _config(tmp_path, SECRETS, 0o644)
    example = repo_root / "examples" / "dual-office.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "readiness",
            "audit",
            "--replay",
            str(example),
            "--config",
            str(path),
            "--format",
            "json",
            "-o",
            str(tmp_path / "out.json"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "chmod 600" in done.stderr
    assert not (tmp_path / "out.json").exists()


def test_an_audit_never_holds_the_secrets(tmp_path: Path, repo_root: Path) -> None:
    path = _config(tmp_path, SECRETS, 0o600)
    out = tmp_path / "out.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "readiness",
            "audit",
            "--replay",
            str(repo_root / "examples" / "dual-office.json"),
            "--config",
            str(path),
            "--format",
            "both",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode in (0, 1), done.stderr
    written = "".join(p.read_text() for p in tmp_path.iterdir() if p.suffix in (".json", ".md")) + done.stderr
    assert json.loads(out.read_text())
    assert all(s not in written for s in (SECRET, "auth-key-77aa", "priv-key-88bb", "fritz-pass-66cc"))
