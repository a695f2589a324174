"""A slow-loris peer on loopback: accepts, then dribbles one byte every 100 ms, forever.

Runs in its own threads (one per connection) so the probe under test has its event loop
to itself, exactly as against a remote server. Modes:

- ``plain``: after the client's first bytes, send ``prefix`` one byte at a time, then an
  endless run of ``filler``.
- ``tls_handshake``: read the ClientHello, announce a 16 kB TLS handshake record and
  dribble its body, so the TLS handshake itself never completes.
- ``tls``: complete a real TLS handshake (certificate from :func:`make_cert`), then behave
  like ``plain`` inside the encrypted stream (HTTP headers or body that never end).
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
from pathlib import Path
from types import TracebackType
from typing import Literal

Mode = Literal["plain", "tls_handshake", "tls"]
TLS_RECORD_HEADER = b"\x16\x03\x03\x40\x00"  # handshake record, TLS 1.2, 16384 bytes to come


def make_cert(folder: Path) -> tuple[Path, Path] | None:
    """A self-signed certificate for 127.0.0.1 and slow.test; None without openssl."""
    if shutil.which("openssl") is None:
        return None
    cert, key = folder / "slow-cert.pem", folder / "slow-key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=slow.test", "-addext", "subjectAltName=DNS:slow.test,IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


class SlowLoris:
    def __init__(
        self,
        mode: Mode = "plain",
        prefix: bytes = b"",
        filler: bytes = b"a",
        cert: tuple[Path, Path] | None = None,
        period_s: float = 0.1,
    ) -> None:
        self.mode, self.prefix, self.filler, self.period_s = mode, prefix, filler, period_s
        self.connections = 0
        self.bytes_sent = 0
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._tls: ssl.SSLContext | None = None
        if mode == "tls":
            if cert is None:
                raise ValueError("tls mode needs a certificate")
            self._tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._tls.load_cert_chain(str(cert[0]), str(cert[1]))
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]

    def __enter__(self) -> SlowLoris:
        t = threading.Thread(target=self._accept, daemon=True)
        t.start()
        self._threads.append(t)
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        for t in list(self._threads):
            t.join(timeout=2)
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            t.start()
            self._threads.append(t)

    def _drip(self, conn: socket.socket | ssl.SSLSocket, data: bytes) -> bool:
        for i in range(len(data)):
            if self._stop.wait(self.period_s):
                return False
            conn.sendall(data[i : i + 1])
            self.bytes_sent += 1
        return True

    def _serve(self, raw: socket.socket) -> None:
        conn: socket.socket | ssl.SSLSocket = raw
        try:
            raw.settimeout(2.0)
            if self._tls is not None:
                conn = self._tls.wrap_socket(raw, server_side=True)
            with contextlib.suppress(TimeoutError):
                conn.settimeout(0.3)
                conn.recv(4096)  # the request (or ClientHello), whatever it is
            conn.settimeout(2.0)
            if self.mode == "tls_handshake":
                conn.sendall(TLS_RECORD_HEADER)
            if not self._drip(conn, self.prefix):
                return
            while self._drip(conn, self.filler):
                pass
        except (OSError, ssl.SSLError):
            return  # the client gave up: that is the point
        finally:
            with contextlib.suppress(OSError):
                conn.close()
