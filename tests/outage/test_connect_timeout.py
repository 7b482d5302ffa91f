"""A PostgreSQL server that accepts the connection but never answers (a hung host, a black-holed
route) fails the connection after `[database] connect_timeout_s`, so the page can answer 503
instead of waiting for TCP to give up."""

from __future__ import annotations

import socket
import threading
import time

from sqlalchemy.exc import OperationalError

from booking.database import make_engine


def test_a_silent_server_fails_the_connection_after_the_timeout():
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # the kernel accepts; nobody ever answers the start-up message
    port = silent.getsockname()[1]
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/test",
                         connect_timeout_s=2)
    outcome: list[object] = []

    def connect() -> None:
        started = time.monotonic()
        try:
            engine.connect().close()
            outcome.append("connected")
        except OperationalError as exc:
            outcome.append((time.monotonic() - started, exc))

    worker = threading.Thread(target=connect, daemon=True)
    worker.start()
    worker.join(20)
    silent.close()
    assert not worker.is_alive(), "the connection attempt still waits after 20 s"
    [(elapsed, exc)] = outcome
    assert 1.5 <= elapsed < 10 and "timeout" in str(exc).lower()
    engine.dispose()
