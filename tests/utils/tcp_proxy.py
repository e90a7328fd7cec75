"""A loopback TCP proxy that a test can use to take a database away from one app only.

Point an app's DATABASE_URL at the proxy instead of the real server; then `down()` cuts
every open connection and refuses new ones (the database "is gone"), `up()` brings it
back, and `cut_before_commit_after(marker)` drops a connection at the worst moment: the
statement has run, its COMMIT has not arrived, so the server must roll it back.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

COMMIT = b"COMMIT"


class _Link:
    """One client connection and its connection to the target."""

    def __init__(self, client: socket.socket, server: socket.socket) -> None:
        self.client = client
        self.server = server
        self.saw_marker = False

    def close(self) -> None:
        for sock in (self.client, self.server):
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


class TcpProxy:
    def __init__(self, connect_target: Callable[[], socket.socket]) -> None:
        self._connect_target = connect_target
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._links: set[_Link] = set()
        self._refusing = False
        self._marker: bytes | None = None
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    # -- what tests call ------------------------------------------------------------------

    def down(self) -> None:
        """Cut every open connection and refuse new ones until `up()`."""
        with self._lock:
            self._refusing = True
            links, self._links = self._links, set()
        for link in links:
            link.close()

    def up(self) -> None:
        with self._lock:
            self._refusing = False

    def cut_before_commit_after(self, marker: bytes) -> None:
        """Once: on the first connection that sends `marker` from now on, drop the
        connection instead of forwarding its next COMMIT."""
        with self._lock:
            self._marker = marker
            for link in self._links:
                link.saw_marker = False

    @property
    def armed(self) -> bool:
        return self._marker is not None

    def close(self) -> None:
        self._closed = True
        self.down()
        self._listener.close()

    # -- plumbing -------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                refusing = self._refusing
            if refusing:
                client.close()
                continue
            link = _Link(client, self._connect_target())
            with self._lock:
                self._links.add(link)
            threading.Thread(target=self._pump_to_server, args=(link,), daemon=True).start()
            threading.Thread(target=self._pump, args=(link.server, link.client, link), daemon=True).start()

    def _pump_to_server(self, link: _Link) -> None:
        while chunk := self._receive(link.client):
            with self._lock:
                marker = self._marker
                if marker is not None and marker in chunk:
                    link.saw_marker = True
                cut = marker is not None and link.saw_marker and COMMIT in chunk
                if cut:
                    self._marker = None
            if cut:
                break
            try:
                link.server.sendall(chunk)
            except OSError:
                break
        self._drop(link)

    def _pump(self, source: socket.socket, sink: socket.socket, link: _Link) -> None:
        while chunk := self._receive(source):
            try:
                sink.sendall(chunk)
            except OSError:
                break
        self._drop(link)

    @staticmethod
    def _receive(sock: socket.socket) -> bytes:
        try:
            return sock.recv(65536)
        except OSError:
            return b""

    def _drop(self, link: _Link) -> None:
        with self._lock:
            self._links.discard(link)
        link.close()


def unix_socket_target(path: str) -> Callable[[], socket.socket]:
    def connect() -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(path)
        return sock

    return connect


@contextmanager
def tcp_proxy(connect_target: Callable[[], socket.socket]) -> Iterator[TcpProxy]:
    proxy = TcpProxy(connect_target)
    try:
        yield proxy
    finally:
        proxy.close()
