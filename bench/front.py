"""A round-robin TCP front for the bench: one port, several `motebot serve` processes behind it.

    python bench/front.py PORT BACKEND_PORT [BACKEND_PORT …]

Each new connection goes to the next backend in turn, and stays with it (HTTP keep-alive): the least a
load balancer does. One thread and `selectors`, in a process of its own so it does not share the bench
clients' GIL; the bench measures what it costs by putting the floor app behind it too. Not for production.
"""

from __future__ import annotations

import itertools
import selectors
import socket
import sys

CHUNK = 65536


class Side:
    """One socket of a proxied pair, and what its peer sent that it has not yet taken. A side stops reading
    while its peer still has bytes to send on (backpressure), so nothing piles up in here."""

    def __init__(self, sock: socket.socket, selector: selectors.BaseSelector) -> None:
        self.sock, self.selector = sock, selector
        self.peer: Side | None = None
        self.pending = b""
        self.closed = False
        self._events = 0
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def update(self) -> None:
        """Listen for what this side can do now: read when the peer has room, write when bytes wait."""
        if self.closed:
            return
        peer_full = self.peer is not None and bool(self.peer.pending)
        wanted = (0 if peer_full else selectors.EVENT_READ) | (selectors.EVENT_WRITE if self.pending else 0)
        if wanted == self._events:
            return
        if not self._events:
            self.selector.register(self.sock, wanted, self)
        elif not wanted:
            self.selector.unregister(self.sock)
        else:
            self.selector.modify(self.sock, wanted, self)
        self._events = wanted

    def readable(self) -> None:
        assert self.peer is not None
        try:
            data = self.sock.recv(CHUNK)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self.close()
            return
        self.peer.pending += data
        self.peer.writable()

    def writable(self) -> None:
        try:
            sent = self.sock.send(self.pending)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            self.close()
            return
        self.pending = self.pending[sent:]
        self.update()
        if self.peer is not None:
            self.peer.update()

    def close(self) -> None:
        """Either side gone: both go (a request half-sent or an answer half-read is lost either way)."""
        for side in (self, self.peer):
            if side is not None and not side.closed:
                if side._events:
                    side.selector.unregister(side.sock)
                side.closed = True
                side.sock.close()


def main() -> None:
    port, backends = int(sys.argv[1]), [int(arg) for arg in sys.argv[2:]]
    turn = itertools.cycle(backends)
    selector = selectors.DefaultSelector()
    listener = socket.create_server(("127.0.0.1", port), backlog=1024)
    listener.setblocking(False)
    selector.register(listener, selectors.EVENT_READ, None)
    print("lytter", flush=True)
    while True:
        for key, events in selector.select():
            if key.data is None:
                while True:
                    try:
                        client, _ = listener.accept()
                    except (BlockingIOError, InterruptedError):
                        break
                    upstream = socket.create_connection(("127.0.0.1", next(turn)))  # loopback: at once
                    near, far = Side(client, selector), Side(upstream, selector)
                    near.peer, far.peer = far, near
                    near.update()
                    far.update()
                continue
            side: Side = key.data
            if events & selectors.EVENT_WRITE and not side.closed:
                side.writable()
            if events & selectors.EVENT_READ and not side.closed:
                side.readable()


if __name__ == "__main__":
    main()
