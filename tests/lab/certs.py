"""A throwaway certificate authority for the lab's HTTPS services (openssl command line).

readiness trusts it through ``endpoints.tls_ca_file`` in the lab's config, never by a
special case in product code.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from tests.lab.netns import run

OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"


def make_ca_and_leaf(folder: Path, names: Sequence[str], ips: Sequence[str]) -> tuple[Path, Path, Path]:
    """Create ca.pem, and leaf.pem/leaf.key valid for ``names`` and ``ips``. Returns (ca, cert, key)."""
    folder.mkdir(parents=True, exist_ok=True)
    ca, ca_key = folder / "ca.pem", folder / "ca.key"
    leaf, leaf_key, csr = folder / "leaf.pem", folder / "leaf.key", folder / "leaf.csr"
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    run(
        [
            OPENSSL,
            "req",
            "-x509",
            *ec,
            "-keyout",
            str(ca_key),
            "-out",
            str(ca),
            "-days",
            "30",
            "-subj",
            "/CN=readiness office lab CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]
    )
    run([OPENSSL, "req", *ec, "-keyout", str(leaf_key), "-out", str(csr), "-subj", f"/CN={names[0]}"])
    san = ",".join([f"DNS:{n}" for n in names] + [f"IP:{i}" for i in ips])
    ext = folder / "leaf.ext"
    ext.write_text(
        f"subjectAltName={san}\nbasicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
        "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
    )
    run(
        [
            OPENSSL,
            "x509",
            "-req",
            "-in",
            str(csr),
            "-CA",
            str(ca),
            "-CAkey",
            str(ca_key),
            "-CAcreateserial",
            "-out",
            str(leaf),
            "-days",
            "30",
            "-extfile",
            str(ext),
        ]
    )
    return ca, leaf, leaf_key
