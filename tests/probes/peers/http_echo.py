"""An HTTP echo on loopback that answers with the client's address (like api.ipify.org).

``stream_forever`` sends an endless body instead; ``garbage`` answers text that is not an
address; ``silent`` accepts and never answers.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Literal

Mode = Literal["normal", "stream_forever", "garbage", "silent"]


class HttpEcho:
    def __init__(self, mode: Mode = "normal", answer: str | None = None) -> None:
        self.mode = mode
        self.answer = answer  # a fixed address to report instead of the client's
        self.requests = 0
        self.hosts: list[str] = []  # Host headers received
        self.bytes_sent = 0
        self._stop = threading.Event()
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                peer.requests += 1
                peer.hosts.append(self.headers.get("Host", ""))
                if peer.mode == "silent":
                    peer._stop.wait(5)
                    return
                if peer.mode == "stream_forever":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    chunk = b"9" * 4096
                    try:
                        while not peer._stop.is_set():
                            self.wfile.write(chunk)
                            peer.bytes_sent += len(chunk)
                    except OSError:
                        return
                    return
                body = (peer.answer or self.client_address[0]).encode()
                if peer.mode == "garbage":
                    body = b"<html>you are being redirected</html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> HttpEcho:
        self._thread.start()
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=2)
        time.sleep(0)
