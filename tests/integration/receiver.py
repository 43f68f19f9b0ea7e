"""A local webhook receiver and WebSub subscriber for the push tests.

Receiver is a threaded HTTP server on 127.0.0.1 that records every
request (method, path, query, headers, body, arrival time) and answers
from a per-path script: a list of answers used one per request, the last
one repeating. It also answers WebSub verification GETs (echoing
hub.challenge, or something else when told to).

The signature checks here are written from the specifications with
Python's hmac, hashlib and base64, independently of paperwire's C code:

* Standard Webhooks v1: key = base64-decode(secret minus "whsec_"),
  signature = "v1," + base64(HMAC-SHA256(key, id + "." + ts + "." + body)).
* X-Hub-Signature(-256): "sha256=" + hex(HMAC-SHA256(secret bytes, body)).

Only the standard library is used.
"""

import base64
import hashlib
import hmac
import http.server
import json
import socket
import socketserver
import threading
import time
import urllib.parse


def standard_signature(secret, msg_id, timestamp, body):
    """The Standard Webhooks v1 signature of one attempt."""
    assert secret.startswith("whsec_"), secret
    key = base64.b64decode(secret[len("whsec_"):], validate=True)
    signed = ("%s.%s." % (msg_id, timestamp)).encode("ascii") + body
    mac = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode("ascii")


def hub_signature(secret, body):
    """GitHub / WebSub style: sha256=<hex HMAC of the body>."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body,
                                hashlib.sha256).hexdigest()


class Hit:
    """One request the receiver got."""

    def __init__(self, method, raw_path, headers, body):
        self.method = method
        self.raw_path = raw_path
        split = urllib.parse.urlsplit(raw_path)
        self.path = split.path
        self.query = dict(urllib.parse.parse_qsl(split.query,
                                                 keep_blank_values=True))
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.body = body
        self.time = time.time()

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return "<%s %s %s>" % (self.method, self.raw_path,
                               self.headers.get("webhook-id", ""))


class Answer:
    """An answer: status, headers, body; delay seconds before it."""

    def __init__(self, status=200, body=b"ok\n", headers=None, delay=0):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode()
        self.headers = dict(headers or {})
        self.delay = delay


class Receiver:
    """Records requests; answers POSTs from scripts and verification GETs
    with the challenge (or, for paths in wrong_echo, something else)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._hits = []
        self._scripts = {}
        self._used = {}
        self.wrong_echo = set()
        recv = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "Receiver/1"
            timeout = 30

            def log_message(self, fmt, *args):
                pass

            def _answer(self, a):
                if a.delay:
                    time.sleep(a.delay)
                try:
                    self.send_response(a.status)
                    for k, v in a.headers.items():
                        self.send_header(k, str(v))
                    self.send_header("Content-Length", str(len(a.body)))
                    self.end_headers()
                    self.wfile.write(a.body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError, OSError):
                    self.close_connection = True

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                hit = Hit("POST", self.path, self.headers, body)
                with recv._cond:
                    recv._hits.append(hit)
                    a = recv._next_answer(hit.path)
                    recv._cond.notify_all()
                self._answer(a)

            def do_GET(self):
                hit = Hit("GET", self.path, self.headers, b"")
                with recv._cond:
                    recv._hits.append(hit)
                    wrong = hit.path in recv.wrong_echo
                    scripted = hit.path in recv._scripts
                    a = recv._next_answer(hit.path) if scripted else None
                    recv._cond.notify_all()
                if a is None:
                    challenge = hit.query.get("hub.challenge", "")
                    body = (challenge + "x") if wrong else challenge
                    a = Answer(200, body.encode(),
                               {"Content-Type": "text/plain"})
                self._answer(a)

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True
            request_queue_size = 256

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

    # Scripts (called with the lock held by the handler).

    def _next_answer(self, path):
        script = self._scripts.get(path)
        if not script:
            return Answer()
        i = self._used.get(path, 0)
        self._used[path] = i + 1
        return script[min(i, len(script) - 1)]

    def script(self, path, answers):
        """Answers for POSTs to path, one per request; the last repeats."""
        with self._lock:
            self._scripts[path] = list(answers)
            self._used[path] = 0

    # Recorded requests.

    def hits(self, path=None, method="POST"):
        with self._lock:
            return [h for h in self._hits
                    if (path is None or h.path == path)
                    and (method is None or h.method == method)]

    def wait(self, n, path=None, method="POST", timeout=15):
        """Waits until at least n matching requests arrived; returns them."""
        deadline = time.time() + timeout
        with self._cond:
            while True:
                got = [h for h in self._hits
                       if (path is None or h.path == path)
                       and (method is None or h.method == method)]
                if len(got) >= n:
                    return got
                left = deadline - time.time()
                if left <= 0:
                    raise AssertionError(
                        "receiver: %d of %d %s requests for %s after %ss"
                        % (len(got), n, method, path, timeout))
                self._cond.wait(left)

    def quiet(self, seconds, path=None, method="POST"):
        """Waits seconds and returns the matching requests then."""
        time.sleep(seconds)
        return self.hits(path, method)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
