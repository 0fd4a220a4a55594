"""Connection limits, each configurable and each enforced: idle timeout,
total connections, connections per client address, request memory; and the
log level."""
import socket
import time

from harness import LOOPBACK, Server, run_tests

# Connection: close so that raw() returns as soon as the answer is complete
OK_REQUEST = b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"


def held_connection(port, deadline_s=10):
    """A keep-alive connection the server has certainly accepted and
    counted: one request answered on it. (A bare connect() may still sit in
    the listen backlog, and pool threads may register accepts out of order.)
    Retried: connections the harness closed a moment ago (its /readyz polls)
    count against the limits until the server has reaped them."""
    deadline = time.time() + deadline_s
    while True:
        c = socket.create_connection((LOOPBACK, port), timeout=10)
        try:
            c.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            buf = b""
            while b"\r\n\r\n" not in buf or not buf.endswith(b"}"):
                chunk = c.recv(4096)
                if not chunk:
                    raise ConnectionResetError("closed")
                buf += chunk
            assert buf.startswith(b"HTTP/1.1 200"), buf[:80]
            return c
        except (ConnectionResetError, BrokenPipeError):
            c.close()
            assert time.time() < deadline, "could not hold a connection"
            time.sleep(0.2)


def eventually_200(s, deadline_s=10):
    deadline = time.time() + deadline_s
    while status_of(s.raw(OK_REQUEST)) != 200:
        assert time.time() < deadline, "never served again after the held connections closed"
        time.sleep(0.2)


def status_of(raw):
    if not raw.startswith(b"HTTP/1."):
        return None
    return int(raw.split(b" ", 2)[1])


def test_idle_connections_time_out():
    with Server(args=["--conn-timeout", "1"]) as s:
        c = socket.create_connection((LOOPBACK, s.port), timeout=10)
        t0 = time.time()
        assert c.recv(10) == b""  # closed by the server, not by our timeout
        took = time.time() - t0
        assert took < 5, took
        c.close()
        # so is a client that stops half-way through its request line
        c = socket.create_connection((LOOPBACK, s.port), timeout=10)
        c.sendall(b"GET /heal")
        t0 = time.time()
        assert c.recv(100) == b""
        assert time.time() - t0 < 5
        c.close()
        assert s.get("/healthz").status == 200
        # (A client dripping a byte at a time is never idle, so an idle
        # timeout cannot cut it off; the limits below and the hostile-HTTP
        # suite show such clients cannot starve anyone else.)


def test_connection_limit():
    with Server(args=["--conn-limit", "3", "--conn-timeout", "5"]) as s:
        held = [held_connection(s.port) for _ in range(3)]
        extra = s.raw(OK_REQUEST, timeout=1.5)
        assert status_of(extra) is None, extra[:100]  # refused: closed without an answer
        held.pop().close()
        eventually_200(s)
        for h in held:
            h.close()


def test_per_ip_limit():
    with Server(args=["--per-ip-limit", "2", "--conn-timeout", "5"]) as s:
        held = [held_connection(s.port) for _ in range(2)]
        assert status_of(s.raw(OK_REQUEST, timeout=1.5)) is None
        for h in held:
            h.close()
        eventually_200(s)


def test_request_memory_limit():
    with Server(args=["--conn-memory-limit", "8192"]) as s:
        big_header = b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 16000 + b"\r\n\r\n"
        st = status_of(s.raw(big_header))
        assert st in (413, 431, None), st
        big_url = b"GET /healthz?" + b"a" * 65536 + b" HTTP/1.1\r\nHost: t\r\n\r\n"
        st = status_of(s.raw(big_url))
        assert st in (413, 414, 431, None), st
        assert s.get("/healthz").status == 200
    with Server() as s:  # the default (32 KiB) takes ordinary large headers
        hdr = {"X-Filler": "b" * 4000}
        assert s.get("/healthz", headers=hdr).status == 200


def test_log_level():
    with Server(args=["--log-level", "warn"]) as s:
        s.get("/healthz")
        recs = s.log_records()
        assert any(r.get("msg") == "listening" for r in recs)  # notice: always printed
        assert not any(r.get("msg") == "request" for r in recs), recs
    with Server(args=["--log-level", "debug"]) as s:
        s.get("/healthz")
        assert any(r.get("msg") == "request" for r in s.log_records())


if __name__ == "__main__":
    run_tests(globals())
