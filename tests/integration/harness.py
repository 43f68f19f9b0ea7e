"""Integration test harness: the real paperwire daemon against a fake upstream.

Three parts:

* FakeUpstream: a threaded HTTP server on 127.0.0.1 whose answer for each
  path is programmed by the test (a file, given bytes, an error status, a
  429, a truncated or slow or huge body), and which records every request.
* Daemon: runs $PAPERWIRE_BIN with a JSON config in a temporary directory,
  talks to it over HTTP, triggers polls with SIGUSR1 and checks that it
  stops cleanly.
* Fixture helpers: the expected entries computed from the Hugging Face
  fixtures by plain Python, independently of the daemon.

Only the Python standard library is used here (feedparser is imported by
the tests that read feeds). Everything listens on 127.0.0.1 only.
"""

import datetime
import email.utils
import gzip
import html.parser
import http.client
import http.server
import json
import os
import re
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------
# Environment


def daemon_bin():
    path = os.environ.get("PAPERWIRE_BIN")
    if not path:
        path = os.path.join(HERE, "..", "..", "build", "paperwire")
    return os.path.abspath(path)


def fixtures_dir():
    path = os.environ.get("PAPERWIRE_FIXTURES")
    if not path:
        path = os.path.join(HERE, "..", "fixtures")
    return os.path.abspath(path)


def fixture_path(*parts):
    return os.path.join(fixtures_dir(), *parts)


DAILY_FIXTURE = ("hf", "daily_papers_2026-06-12.json")
HTML_FIXTURE = ("hf", "hf_papers_page_2024-08-01.html")


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def utc_today():
    return datetime.datetime.now(datetime.timezone.utc).date()


def parse_rfc3339(s):
    """A datetime (aware, UTC) from an RFC 3339 string; raises ValueError."""
    if not isinstance(s, str):
        raise ValueError("not a string: %r" % (s,))
    if not re.fullmatch(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", s):
        raise ValueError("not RFC 3339: %r" % (s,))
    d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    return d.astimezone(datetime.timezone.utc)


def parse_http_date(s):
    """Unix seconds from an HTTP/RFC 822 date; raises ValueError."""
    t = email.utils.parsedate_to_datetime(s)
    if t is None:
        raise ValueError("bad date %r" % (s,))
    if t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    return t.timestamp()


# --------------------------------------------------------------------------
# Fake upstream


class Request:
    """One request the fake upstream received."""

    def __init__(self, method, raw_path, headers):
        self.method = method
        self.raw_path = raw_path
        split = urllib.parse.urlsplit(raw_path)
        self.path = split.path
        self.query_all = urllib.parse.parse_qs(split.query,
                                               keep_blank_values=True)
        self.query = {k: v[0] for k, v in self.query_all.items()}
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.time = time.time()

    def __repr__(self):
        return "<%s %s>" % (self.method, self.raw_path)


def _send_head(handler, status, headers, length):
    handler.send_response(status)
    names = {k.lower() for k in headers}
    for k, v in headers.items():
        handler.send_header(k, str(v))
    if "content-length" not in names and length is not None:
        handler.send_header("Content-Length", str(length))
    handler.end_headers()


def _write(handler, data):
    """Writes data; False when the client went away."""
    try:
        handler.wfile.write(data)
        handler.wfile.flush()
        return True
    except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError,
            socket.timeout, OSError):
        handler.close_connection = True
        return False


class Respond:
    """Serves body with status and headers."""

    def __init__(self, body=b"", status=200, headers=None,
                 content_type="application/json; charset=utf-8"):
        self.body = body
        self.status = status
        self.headers = {"Content-Type": content_type}
        self.headers.update(headers or {})

    def __call__(self, handler, req):
        _send_head(handler, self.status, self.headers, len(self.body))
        if req.method != "HEAD":
            _write(handler, self.body)


class Truncated:
    """Announces declared_length bytes, sends body (shorter) and closes."""

    def __init__(self, body, declared_length,
                 content_type="application/json; charset=utf-8"):
        assert declared_length > len(body)
        self.body = body
        self.declared = declared_length
        self.content_type = content_type

    def __call__(self, handler, req):
        _send_head(handler, 200, {"Content-Type": self.content_type,
                                  "Content-Length": self.declared,
                                  "Connection": "close"}, None)
        _write(handler, self.body)
        handler.close_connection = True
        try:
            handler.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Drip:
    """Sends body in chunks of chunk bytes with delay seconds between them."""

    def __init__(self, body, chunk=1024, delay=0.05,
                 content_type="application/json; charset=utf-8"):
        self.body = body
        self.chunk = chunk
        self.delay = delay
        self.content_type = content_type

    def __call__(self, handler, req):
        _send_head(handler, 200, {"Content-Type": self.content_type},
                   len(self.body))
        for i in range(0, len(self.body), self.chunk):
            if not _write(handler, self.body[i:i + self.chunk]):
                return
            time.sleep(self.delay)


class Huge:
    """Streams size bytes (head, then filler) without holding them all.

    With gzip=True the body is gzip-compressed on the fly and sent with
    Content-Encoding: gzip (chunked), so size is the decompressed size.
    """

    def __init__(self, size, head=b"[", fill=b" ", gzip_encoded=False,
                 content_type="application/json; charset=utf-8"):
        self.size = size
        self.head = head
        self.fill = fill
        self.gzip = gzip_encoded
        self.content_type = content_type
        self.sent = 0  # bytes written before the client stopped reading

    def _chunks(self):
        block = (self.fill * (65536 // len(self.fill) + 1))[:65536]
        yield self.head
        left = self.size - len(self.head)
        while left > 0:
            n = min(left, len(block))
            yield block[:n]
            left -= n

    def __call__(self, handler, req):
        if not self.gzip:
            _send_head(handler, 200, {"Content-Type": self.content_type},
                       self.size)
            for c in self._chunks():
                if not _write(handler, c):
                    return
                self.sent += len(c)
            return
        _send_head(handler, 200, {"Content-Type": self.content_type,
                                  "Content-Encoding": "gzip",
                                  "Transfer-Encoding": "chunked",
                                  "Connection": "close"}, None)
        handler.close_connection = True
        comp = _GzipStream()
        for c in self._chunks():
            out = comp.feed(c)
            if out and not _write(handler, b"%x\r\n%s\r\n" % (len(out), out)):
                return
            self.sent += len(out)
        out = comp.finish()
        _write(handler, b"%x\r\n%s\r\n0\r\n\r\n" % (len(out), out))


class _GzipStream:
    """Incremental gzip compression with zlib (wbits 31)."""

    def __init__(self):
        import zlib
        self.z = zlib.compressobj(9, zlib.DEFLATED, 31)

    def feed(self, data):
        return self.z.compress(data)

    def finish(self):
        return self.z.flush()


class FakeUpstream:
    """An HTTP server on 127.0.0.1:<free port> with a programmed answer per
    path (the query string is ignored for routing, recorded for asserts).
    Unprogrammed paths answer 404."""

    def __init__(self):
        self._routes = {}
        self._requests = []
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        upstream = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "FakeUpstream/1"
            timeout = 30

            def log_message(self, fmt, *args):
                pass

            def _handle(self):
                req = Request(self.command, self.path, self.headers)
                n = int(self.headers.get("Content-Length") or 0)
                if n:
                    req.body = self.rfile.read(n)
                with upstream._cond:
                    upstream._requests.append(req)
                    responder = upstream._routes.get(req.path)
                    upstream._cond.notify_all()
                if responder is None:
                    responder = Respond(b"not found\n", 404,
                                        content_type="text/plain")
                responder(self, req)

            do_GET = _handle
            do_HEAD = _handle
            do_POST = _handle

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    def close(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    # Programming answers.

    def set(self, path, responder):
        """responder(handler, request) writes the whole answer."""
        with self._lock:
            self._routes[path] = responder

    def serve_file(self, path, filename, status=200, headers=None,
                   content_type="application/json; charset=utf-8"):
        with open(filename, "rb") as f:
            body = f.read()
        self.set(path, Respond(body, status, headers, content_type))

    def serve_bytes(self, path, body, status=200, headers=None,
                    content_type="application/json; charset=utf-8"):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.set(path, Respond(body, status, headers, content_type))

    def serve_json(self, path, obj, status=200, headers=None):
        self.serve_bytes(path, json.dumps(obj).encode("utf-8"), status,
                         headers)

    def serve_status(self, path, status, body=b"error\n", headers=None):
        self.set(path, Respond(body, status, headers,
                               content_type="text/plain"))

    def serve_429(self, path, retry_after=1):
        self.serve_status(path, 429, b"rate limited\n",
                          {"Retry-After": str(retry_after)})

    def serve_truncated(self, path, body, declared_length):
        self.set(path, Truncated(body, declared_length))

    def serve_drip(self, path, body, chunk=1024, delay=0.05):
        self.set(path, Drip(body, chunk, delay))

    def serve_huge(self, path, size, head=b"[", fill=b" ", gzip_encoded=False):
        h = Huge(size, head, fill, gzip_encoded)
        self.set(path, h)
        return h

    # Recorded requests.

    def requests(self, path=None):
        with self._lock:
            return [r for r in self._requests
                    if path is None or r.path == path]

    def clear_requests(self):
        with self._lock:
            self._requests.clear()

    def wait_requests(self, n, path=None, timeout=10):
        deadline = time.time() + timeout
        with self._cond:
            while True:
                got = [r for r in self._requests
                       if path is None or r.path == path]
                if len(got) >= n:
                    return got
                left = deadline - time.time()
                if left <= 0:
                    raise AssertionError(
                        "fake upstream: %d of %d requests for %s after %ss"
                        % (len(got), n, path, timeout))
                self._cond.wait(left)


# --------------------------------------------------------------------------
# The daemon


class Daemon:
    """One paperwire process with its own config, database and logs in a
    temporary directory (removed by cleanup())."""

    def __init__(self, sources, feeds=None, extra=None, port=None,
                 tmpdir=None, args=(), env=None):
        self.tmpdir = tmpdir or tempfile.mkdtemp(prefix="pw-it-")
        self._own_tmpdir = tmpdir is None
        self.port = port or free_port()
        self.base_url = "http://127.0.0.1:%d" % self.port
        self.db = os.path.join(self.tmpdir, "pw.db")
        self.config = {
            "listen": "127.0.0.1:%d" % self.port,
            "database": self.db,
            "base_url": self.base_url,
            "title": "paperwire test",
            "sources": sources,
        }
        if feeds is not None:
            self.config["feeds"] = feeds
        if extra:
            self.config.update(extra)
        self.config_path = os.path.join(self.tmpdir, "config.json")
        self.stderr_path = os.path.join(self.tmpdir, "stderr.log")
        self.args = list(args)
        self.env = dict(env or {})
        self.proc = None
        self._runs = 0
        self._log_cache = ""
        self.started_at = None

    # Process control.

    def start(self, wait_poll=True, timeout=15):
        """Starts the daemon, waits for /healthz and (with wait_poll) for
        every enabled source's start-up poll to complete."""
        assert self.proc is None, "daemon already running"
        with open(self.config_path, "w", encoding="utf-8") as f:
            json.dump(self.config, f, indent=2)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("PAPERWIRE_")}
        env.update(self.env)
        if self._runs:
            # A restart: let the clock pass a whole second, so a
            # last_attempt from the previous run cannot pass for the
            # start-up poll of this one.
            time.sleep(1.0 - (time.time() % 1.0) + 0.01)
        self._runs += 1
        err = open(self.stderr_path, "ab")
        err.write(b"===== run %d: %s --config %s\n"
                  % (self._runs, daemon_bin().encode(),
                     self.config_path.encode()))
        err.flush()
        self.started_at = time.time()
        floor_start = int(self.started_at)
        self.proc = subprocess.Popen(
            [daemon_bin(), "--config", self.config_path] + self.args,
            stdin=subprocess.DEVNULL, stdout=err, stderr=err, env=env,
            cwd=self.tmpdir)
        err.close()
        deadline = time.time() + timeout
        while True:
            if self.proc.poll() is not None:
                rc = self.proc.returncode
                self.proc = None
                raise AssertionError("paperwire exited with %s at start-up\n%s"
                                     % (rc, self.log_tail()))
            try:
                status, _, _ = self.get("/healthz", timeout=2)
                if status == 200:
                    break
            except (OSError, http.client.HTTPException):
                pass
            if time.time() > deadline:
                raise AssertionError("paperwire did not answer /healthz in "
                                     "%ss\n%s" % (timeout, self.log_tail()))
            time.sleep(0.05)
        if wait_poll:
            self.wait_startup_poll(floor_start)
        return self

    def wait_startup_poll(self, since, timeout=20):
        """Waits until every enabled source has finished an attempt (its
        last_success or last_failure) at or after since (whole seconds),
        whether or not the counters survived a restart."""
        names = self._enabled_sources()
        deadline = time.time() + timeout
        while True:
            self.wait_polls(names, 1, max(1, deadline - time.time()))
            last = {}
            for s in self.healthz()["sources"]:
                ends = [parse_rfc3339(s[k]).timestamp()
                        for k in ("last_success", "last_failure")
                        if s.get(k)]
                if s.get("name") in names and ends:
                    last[s["name"]] = max(ends)
            if all(last.get(n, -1) >= since for n in names):
                return
            if time.time() > deadline:
                raise AssertionError("no start-up poll since %s: %r\n%s"
                                     % (since, last, self.log_tail()))
            time.sleep(0.05)

    def _enabled_sources(self):
        return [s["name"] for s in self.config["sources"]
                if s.get("enabled", True)]

    def stop(self, timeout=10):
        """SIGTERM; asserts exit code 0 within timeout."""
        assert self.proc is not None, "daemon not running"
        proc = self.proc
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            self.proc = None
            raise AssertionError("paperwire did not exit within %ss of "
                                 "SIGTERM\n%s" % (timeout, self.log_tail()))
        self.proc = None
        if rc != 0:
            raise AssertionError("paperwire exited with %s after SIGTERM\n%s"
                                 % (rc, self.log_tail()))

    def kill9(self):
        assert self.proc is not None, "daemon not running"
        self.proc.kill()
        self.proc.wait()
        self.proc = None

    def restart(self, wait_poll=True):
        self.stop()
        return self.start(wait_poll=wait_poll)

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def cleanup(self):
        """Stops the daemon if still running (asserting a clean exit) and
        removes the temporary directory."""
        try:
            if self.proc is not None:
                if self.proc.poll() is not None:
                    rc = self.proc.returncode
                    self.proc = None
                    raise AssertionError("paperwire died during the test "
                                         "(exit %s)\n%s"
                                         % (rc, self.log_tail()))
                self.stop()
        finally:
            if self.proc is not None:
                self.proc.kill()
                self.proc.wait()
                self.proc = None
            self._log_cache = self.log()
            if self._own_tmpdir:
                shutil.rmtree(self.tmpdir, ignore_errors=True)

    # Logs.

    def log(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return self._log_cache

    def log_tail(self, lines=60):
        text = self.log().splitlines()
        return "----- paperwire stderr (last %d lines) -----\n%s\n-----" % (
            lines, "\n".join(text[-lines:]))

    # HTTP.

    def request(self, method, path, headers=None, body=None, timeout=10):
        """(status, headers, body bytes); headers is an http.client
        HTTPMessage (case-insensitive get, get_all)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                          timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, resp.headers, data
        finally:
            conn.close()

    def get(self, path, headers=None, timeout=10):
        return self.request("GET", path, headers, timeout=timeout)

    def raw(self, data, timeout=5):
        """Sends raw bytes, returns everything read until the daemon closes
        the connection (or timeout)."""
        with socket.create_connection(("127.0.0.1", self.port),
                                      timeout=timeout) as s:
            s.sendall(data)
            chunks = []
            try:
                while True:
                    c = s.recv(65536)
                    if not c:
                        break
                    chunks.append(c)
            except socket.timeout:
                pass
            return b"".join(chunks)

    def url(self, path):
        return self.base_url + path

    def healthz(self):
        status, headers, body = self.get("/healthz")
        if status != 200:
            raise AssertionError("/healthz answered %d: %r" % (status, body))
        return json.loads(body)

    def source_health(self, name):
        for s in self.healthz()["sources"]:
            if s.get("name") == name:
                return s
        raise AssertionError("/healthz has no source %r" % name)

    def polls(self):
        return {s["name"]: s["polls"] for s in self.healthz()["sources"]}

    def wait_polls(self, names, minimum, timeout=20):
        """Waits until every named source has polls >= minimum[name] (or
        >= minimum when an int)."""
        deadline = time.time() + timeout
        while True:
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError("paperwire died while polling (exit %s)"
                                     "\n%s" % (self.proc.returncode,
                                               self.log_tail()))
            try:
                cur = self.polls()
            except (OSError, http.client.HTTPException):
                cur = {}
            need = {n: (minimum[n] if isinstance(minimum, dict) else minimum)
                    for n in names}
            if all(cur.get(n, -1) >= need[n] for n in names):
                return cur
            if time.time() > deadline:
                raise AssertionError("polls did not reach %r within %ss "
                                     "(now %r)\n%s" % (need, timeout, cur,
                                                       self.log_tail()))
            time.sleep(0.05)

    def trigger_poll(self):
        """Sends SIGUSR1; returns the counters from before, for wait_polls."""
        before = self.polls()
        self.proc.send_signal(signal.SIGUSR1)
        return {n: c + 1 for n, c in before.items()}

    def poll_now(self, timeout=20):
        """SIGUSR1, then waits until every enabled source completed one
        more poll attempt."""
        need = self.trigger_poll()
        names = [n for n in self._enabled_sources() if n in need]
        return self.wait_polls(names, need, timeout)

    # Feeds.

    def feed(self, path, headers=None):
        """GETs path, asserts 200, returns the body bytes."""
        status, hdrs, body = self.get(path, headers)
        if status != 200:
            raise AssertionError("GET %s answered %d: %r" % (path, status,
                                                            body[:300]))
        return body

    def json_feed(self, path):
        return json.loads(self.feed(path))

    def json_ids(self, path):
        return [it["id"] for it in self.json_feed(path)["items"]]


def hf_source(upstream, name="hf-daily", path="/api/daily_papers", days=3,
              interval=3600, **kw):
    s = {"name": name, "type": "hf_daily", "url": upstream.url(path),
         "interval": interval, "days": days}
    s.update(kw)
    return s


# --------------------------------------------------------------------------
# Test case base: cleanups and logs on failure


class PwTestCase(unittest.TestCase):
    """Starts upstreams and daemons with automatic cleanup, and prints the
    daemon's stderr when a test fails."""

    _class_daemons = ()

    @classmethod
    def class_upstream(cls):
        up = FakeUpstream()
        cls.addClassCleanup(up.close)
        return up

    @classmethod
    def class_daemon(cls, *args, start=True, **kw):
        d = Daemon(*args, **kw)
        cls._class_daemons = tuple(cls._class_daemons) + (d,)
        cls.addClassCleanup(d.cleanup)
        if start:
            d.start()
        return d

    def upstream(self):
        up = FakeUpstream()
        self.addCleanup(up.close)
        return up

    def daemon(self, *args, start=True, **kw):
        d = Daemon(*args, **kw)
        self.__dict__.setdefault("_daemons", []).append(d)
        self.addCleanup(d.cleanup)
        if start:
            d.start()
        return d

    def run(self, result=None):
        if result is None:
            return super().run(result)
        before = len(result.failures) + len(result.errors)
        daemons = list(self._class_daemons)
        self._daemons = []
        out = super().run(result)
        if len(result.failures) + len(result.errors) > before:
            for d in daemons + self._daemons:
                sys.stderr.write("\n%s: %s\n" % (self.id(), d.log_tail(80)))
        return out

    # Assertion helpers shared by the test files.

    def assertBadRequest(self, d, path, param):
        status, headers, body = d.get(path)
        text = body.decode("utf-8", "replace")
        self.assertEqual(status, 400, "%s: expected 400, got %d %r"
                         % (path[:120], status, text[:200]))
        ctype = headers.get("Content-Type", "")
        self.assertTrue(ctype.lower().startswith("text/plain"),
                        "%s: 400 content type %r" % (path[:120], ctype))
        m = re.match(r"bad request: ([^:\s]+): \S", text)
        self.assertIsNotNone(m, "%s: 400 body %r does not read "
                             "'bad request: <param>: <message>'"
                             % (path[:120], text[:200]))
        self.assertEqual(m.group(1), param, "%s: 400 body %r names %r, not %r"
                         % (path[:120], text[:200], m.group(1), param))


# --------------------------------------------------------------------------
# Fixture helpers: expectations computed independently of the daemon

_WS = re.compile(r"[ \t\n\r\u00a0]+")
_DROP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
                   "\ufffe\uffff\ud800-\udfff]")


def collapse(s):
    """What text_clean promises (src/text.h), for valid input: C0 controls
    other than tab/LF/CR, DEL, C1 controls, U+FFFE/U+FFFF and surrogates
    dropped; runs of space, tab, CR, LF and U+00A0 collapsed to one space;
    trimmed."""
    return _WS.sub(" ", _DROP.sub("", s)).strip()


def ascii_lower(s):
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in s)


def ci_contains(hay, needle):
    """Case-insensitive (ASCII letters only) substring test."""
    return ascii_lower(needle) in ascii_lower(hay)


def tokens(s):
    """Word tokens: maximal runs of ASCII letters/digits and non-ASCII
    bytes of the UTF-8 text, ASCII-lowercased."""
    out = []
    cur = bytearray()
    for b in s.encode("utf-8"):
        if (0x30 <= b <= 0x39) or (0x41 <= b <= 0x5A) or \
                (0x61 <= b <= 0x7A) or b >= 0x80:
            cur.append(b + 32 if 0x41 <= b <= 0x5A else b)
        elif cur:
            out.append(cur.decode("utf-8", "replace"))
            cur = bytearray()
    if cur:
        out.append(cur.decode("utf-8", "replace"))
    return out


class Paper:
    """What one fixture wrapper should become, computed in Python."""

    def __init__(self, wrapper):
        p = wrapper["paper"]
        self.raw = wrapper
        self.arxiv = p["id"]
        self.id = "arxiv:" + p["id"]
        self.atom_id = "https://arxiv.org/abs/" + p["id"]
        self.link = "https://huggingface.co/papers/" + p["id"]
        self.title = collapse(p["title"])
        self.summary = collapse(p.get("summary") or "")
        self.authors = [collapse(a["name"]) for a in p.get("authors", [])
                        if not a.get("hidden")]
        # Feeds list at most CAP_FEED_AUTHORS_SHOWN (50) names, then one
        # "et al." (src/caps.h, src/render/render_priv.h).
        self.feed_authors = (self.authors if len(self.authors) <= 50
                             else self.authors[:50] + ["et al."])
        self.hidden_authors = [a["name"] for a in p.get("authors", [])
                               if a.get("hidden")]
        self.upvotes = p.get("upvotes")
        self.comments = wrapper.get("numComments")
        self.github_repo = p.get("githubRepo") or None
        self.github_stars = p.get("githubStars")
        self.keywords = list(p.get("ai_keywords") or [])
        self.published = (parse_rfc3339(p["publishedAt"].replace(".000Z", "Z"))
                          if p.get("publishedAt") else None)

    # q semantics, written out from the documented grammar.

    def fields(self, joined_keywords=False):
        kws = [" ".join(self.keywords)] if joined_keywords else self.keywords
        return [self.title, self.summary] + kws

    def has_word(self, word, joined_keywords=False):
        """A whole word (or a multi-token word as a phrase)."""
        return self.has_phrase(word, joined_keywords)

    def has_phrase(self, phrase, joined_keywords=False):
        want = tokens(phrase)
        assert want, phrase
        for f in self.fields(joined_keywords):
            t = tokens(f)
            for i in range(len(t) - len(want) + 1):
                if t[i:i + len(want)] == want:
                    return True
        return False

    def __repr__(self):
        return "<Paper %s>" % self.id


def load_daily():
    with open(fixture_path(*DAILY_FIXTURE), "rb") as f:
        return json.load(f)


def daily_bytes():
    with open(fixture_path(*DAILY_FIXTURE), "rb") as f:
        return f.read()


def daily_papers():
    return [Paper(w) for w in load_daily()]


class _DataProps(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.props = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("data-target") == "DailyPapers" and self.props is None:
            self.props = a.get("data-props")


def html_papers():
    """The papers embedded in the HTML fixture's DailyPapers data-props."""
    p = _DataProps()
    with open(fixture_path(*HTML_FIXTURE), encoding="utf-8") as f:
        p.feed(f.read())
    return [Paper(w) for w in json.loads(p.props)["dailyPapers"]]


def gunzip(data):
    return gzip.decompress(data)


def main():
    unittest.main(verbosity=2)
