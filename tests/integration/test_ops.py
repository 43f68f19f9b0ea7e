"""Operations: /metrics (a strict exposition-format parser, counters that
move with requests and polls), /readyz, the access log, SIGHUP reloads
(a feed and a source added; a broken file rejected, the old config kept;
open connections untouched), SIGTERM under load (exit 0 within 5 s, no
answer cut half-way), /opml read by python3-listparser, and
paperwire --healthcheck's exit codes."""

import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import struct
import subprocess
import threading
import time

import harness
from harness import PwTestCase

# ---------------------------------------------------------------------------
# A strict parser of the Prometheus text format, version 0.0.4
# (https://prometheus.io/docs/instrumenting/exposition_formats/), for what
# paperwire writes: HELP and TYPE before a family's samples, the samples
# of a family together, no timestamps.

_NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
_LABEL = r"[a-zA-Z_][a-zA-Z0-9_]*"
_VALUE = r"(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]Inf|NaN)"
_SAMPLE = re.compile(r"^(%s)(?:\{(.*)\})? (%s)$" % (_NAME, _VALUE))
_PAIR = re.compile(r'(%s)="((?:[^"\\\n]|\\[\\"n])*)"' % _LABEL)


class ExpositionError(AssertionError):
    pass


def _unescape(s, quote):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            nxt = s[i + 1:i + 2]
            if nxt == "\\":
                out.append("\\")
            elif nxt == "n":
                out.append("\n")
            elif nxt == '"' and quote:
                out.append('"')
            else:
                raise ExpositionError("bad escape in %r" % s)
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _labels(text, lineno):
    if text is None:
        return ()
    pairs, pos = [], 0
    while pos < len(text):
        m = _PAIR.match(text, pos)
        if not m:
            raise ExpositionError("line %d: bad labels {%s}" % (lineno, text))
        pairs.append((m.group(1), _unescape(m.group(2), True)))
        pos = m.end()
        if pos < len(text):
            if text[pos] != ",":
                raise ExpositionError("line %d: bad labels {%s}"
                                      % (lineno, text))
            pos += 1
    names = [k for k, _ in pairs]
    if len(set(names)) != len(names):
        raise ExpositionError("line %d: repeated label" % lineno)
    return tuple(sorted(pairs))


def parse_exposition(text):
    """{"types": {family: type}, "help": {family: text},
    "samples": {(name, labels tuple): float}}; raises ExpositionError."""
    if not text.endswith("\n"):
        raise ExpositionError("no final newline")
    types, helps, samples = {}, {}, {}
    current, done = None, set()
    for lineno, line in enumerate(text[:-1].split("\n"), 1):
        if line.startswith("#"):
            m = re.match(r"^# (HELP|TYPE) (%s) (.*)$" % _NAME, line)
            if not m:
                raise ExpositionError("line %d: bad comment %r"
                                      % (lineno, line))
            kind, name, rest = m.groups()
            if name in done:
                raise ExpositionError("line %d: %s comes back" % (lineno,
                                                                   name))
            if current is not None and current != name:
                done.add(current)
            current = name
            if kind == "HELP":
                if name in helps:
                    raise ExpositionError("line %d: second HELP" % lineno)
                helps[name] = _unescape(rest, False)
            else:
                if name in types:
                    raise ExpositionError("line %d: second TYPE" % lineno)
                if rest not in ("counter", "gauge", "histogram",
                                "summary", "untyped"):
                    raise ExpositionError("line %d: type %r" % (lineno,
                                                                 rest))
                if any(k[0] == name for k in samples):
                    raise ExpositionError("line %d: TYPE after samples"
                                          % lineno)
                types[name] = rest
            continue
        m = _SAMPLE.match(line)
        if not m:
            raise ExpositionError("line %d: bad sample %r" % (lineno, line))
        name, labels, value = m.groups()
        if name != current or name not in types:
            raise ExpositionError("line %d: %s outside its family"
                                  % (lineno, name))
        key = (name, _labels(labels, lineno))
        if key in samples:
            raise ExpositionError("line %d: duplicate series" % lineno)
        v = float(value)
        if types[name] == "counter" and not (v >= 0):
            raise ExpositionError("line %d: negative counter" % lineno)
        samples[key] = v
    for name, t in types.items():
        if t == "counter" and not name.endswith("_total"):
            raise ExpositionError("counter %s does not end in _total" % name)
        if not name.startswith("paperwire_"):
            raise ExpositionError("%s lacks the paperwire_ prefix" % name)
        if name not in helps:
            raise ExpositionError("%s has no HELP" % name)
    return {"types": types, "help": helps, "samples": samples}


def metric(m, name, **labels):
    """A sample's value, or None when absent."""
    return m["samples"].get((name, tuple(sorted(labels.items()))))


def scrape(d):
    status, headers, body = d.get("/metrics")
    if status != 200:
        raise AssertionError("/metrics answered %d" % status)
    ctype = headers.get("Content-Type", "")
    if not ctype.startswith("text/plain; version=0.0.4"):
        raise AssertionError("/metrics content type %r" % ctype)
    return parse_exposition(body.decode("utf-8"))


# ---------------------------------------------------------------------------
# Helpers


def write_config(d, **changes):
    """Rewrites the daemon's config file with changes applied."""
    d.config.update(changes)
    with open(d.config_path, "w", encoding="utf-8") as f:
        json.dump(d.config, f, indent=2)


def sighup(d, expect, timeout=10):
    """Sends SIGHUP and waits for the log line expect after it."""
    before = d.log().count(expect)
    d.proc.send_signal(signal.SIGHUP)
    deadline = time.time() + timeout
    while d.log().count(expect) <= before:
        if time.time() > deadline:
            raise AssertionError("no %r after SIGHUP\n%s" % (expect,
                                                            d.log_tail()))
        time.sleep(0.05)


def log_lines(d, msg):
    """The logfmt lines with msg=<msg>, as dicts."""
    out = []
    for line in d.log().splitlines():
        fields = dict(re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|\S*)', line))
        fields = {k: (json.loads(v) if v.startswith('"') else v)
                  for k, v in fields.items()}
        if fields.get("msg") == msg:
            out.append(fields)
    return out


def big_daily(n_pages=6, summary_words=80):
    """A Hugging Face daily list large enough for megabyte feeds: page p
    (the p query parameter) holds 100 papers, pages past n_pages none."""
    words = " ".join("word%d" % (i % 97) for i in range(summary_words))

    def page(p):
        if p >= n_pages:
            return []
        return [{"paper": {"id": "2601.%05d" % (p * 100 + i),
                           "title": "Synthetic paper %d" % (p * 100 + i),
                           "summary": words,
                           "authors": [{"name": "Ada Lovelace"}],
                           "publishedAt": "2026-01-01T00:00:00.000Z",
                           "upvotes": p * 100 + i},
                 "numComments": 1} for i in range(100)]

    def responder(handler, req):
        body = json.dumps(page(int(req.query.get("p", "0")))).encode()
        harness.Respond(body)(handler, req)
    return responder


class Slow:
    """Answers after delay seconds."""

    def __init__(self, body, delay):
        self.body, self.delay = body, delay

    def __call__(self, handler, req):
        time.sleep(self.delay)
        harness.Respond(self.body)(handler, req)


def run_healthcheck(target, args=(), env=None, timeout=20):
    e = {k: v for k, v in os.environ.items() if not k.startswith("PAPERWIRE")}
    e.update(env or {})
    t0 = time.time()
    p = subprocess.run([harness.daemon_bin(), "--healthcheck", target]
                       + list(args), env=e, capture_output=True,
                       timeout=timeout, stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout.decode(), p.stderr.decode(), time.time() - t0


# ---------------------------------------------------------------------------


class MetricsTest(PwTestCase):

    @classmethod
    def setUpClass(cls):
        cls.up = cls.class_upstream()
        cls.up.serve_file("/api/daily_papers",
                          harness.fixture_path(*harness.DAILY_FIXTURE))
        cls.d = cls.class_daemon([harness.hf_source(cls.up, days=0)],
                                 feeds=[{"name": "hot",
                                         "filter": {"min_upvotes": 10}}])
        cls.papers = harness.daily_papers()

    def test_parser_is_strict(self):
        good = ("# HELP paperwire_x_total X.\n# TYPE paperwire_x_total "
                "counter\npaperwire_x_total{a=\"1\\\"\\n\"} 3\n")
        self.assertEqual(metric(parse_exposition(good), "paperwire_x_total",
                                a='1"\n'), 3)
        for bad in [good[:-1],                                   # newline
                    good.replace("counter", "countr"),           # type
                    good.replace(" 3\n", " three\n"),            # value
                    good.replace("{a=", "{1a="),                 # label
                    good + "paperwire_x_total{a=\"1\\\"\\n\"} 4\n",  # dup
                    good.replace(" 3\n", " -3\n"),               # counter
                    good.replace("_total", ""),                  # name
                    good + "# HELP paperwire_x_total again\n",
                    good.replace('\\"', '"')]:
            with self.subTest(bad=bad):
                with self.assertRaises(ExpositionError):
                    parse_exposition(bad)

    def test_families_and_types(self):
        m = scrape(self.d)
        want = {
            "paperwire_http_requests_total": "counter",
            "paperwire_http_response_bytes_total": "counter",
            "paperwire_http_cache_hits_total": "counter",
            "paperwire_http_responses_not_modified_total": "counter",
            "paperwire_source_polls_total": "counter",
            "paperwire_source_poll_failures_total": "counter",
            "paperwire_source_last_success_timestamp_seconds": "gauge",
            "paperwire_source_entries_ingested_total": "counter",
            "paperwire_store_entries": "gauge",
            "paperwire_store_database_bytes": "gauge",
            "paperwire_config_last_reload_successful": "gauge",
            "paperwire_build_info": "gauge",
        }
        for name, t in want.items():
            self.assertEqual(m["types"].get(name), t, name)
        self.assertEqual(metric(m, "paperwire_store_entries"),
                         len(self.papers))
        self.assertEqual(metric(m, "paperwire_source_entries_ingested_total",
                                source="hf-daily", outcome="inserted"),
                         len(self.papers))
        self.assertEqual(metric(m, "paperwire_ready"), 1)

    def test_database_bytes(self):
        m = scrape(self.d)
        con = sqlite3.connect("file:%s?mode=ro" % self.d.db, uri=True)
        try:
            pages = con.execute("PRAGMA page_count").fetchone()[0]
            size = con.execute("PRAGMA page_size").fetchone()[0]
        finally:
            con.close()
        self.assertEqual(metric(m, "paperwire_store_database_bytes"),
                         pages * size)

    def test_http_counters_move(self):
        key = dict(route="/feed.", status="200")
        m0 = scrape(self.d)
        bodies = [self.d.feed("/feed.atom?min_upvotes=%d" % i)
                  for i in (1, 2, 3)]
        again = self.d.feed("/feed.atom?min_upvotes=1")   # a cache hit
        self.assertEqual(again, bodies[0])
        _, h, _ = self.d.get("/feed.atom?min_upvotes=1")
        status, _, _ = self.d.get("/feed.atom?min_upvotes=1",
                                  {"If-None-Match": h["ETag"]})
        self.assertEqual(status, 304)
        status, _, _ = self.d.get("/nowhere")
        self.assertEqual(status, 404)
        m1 = scrape(self.d)

        def delta(name, **labels):
            return (metric(m1, name, **labels) or 0) - \
                (metric(m0, name, **labels) or 0)
        self.assertEqual(delta("paperwire_http_requests_total", **key), 5)
        self.assertEqual(delta("paperwire_http_requests_total",
                               route="/feed.", status="304"), 1)
        self.assertEqual(delta("paperwire_http_requests_total",
                               route="other", status="404"), 1)
        self.assertEqual(delta("paperwire_http_responses_not_modified_total",
                               route="/feed."), 1)
        self.assertEqual(delta("paperwire_http_response_bytes_total",
                               route="/feed."),
                         sum(map(len, bodies)) + 2 * len(bodies[0]))
        self.assertEqual(delta("paperwire_http_cache_hits_total",
                               route="/feed."), 3)
        self.assertEqual(delta("paperwire_http_cache_misses_total",
                               route="/feed."), 3)
        # The scrape before counts: /metrics answered once in between.
        self.assertEqual(delta("paperwire_http_requests_total",
                               route="/metrics", status="200"), 1)

    def test_poll_counters_move(self):
        name = "hf-daily"
        m0 = scrape(self.d)
        t0 = time.time()
        self.d.poll_now()
        m1 = scrape(self.d)
        self.assertEqual(metric(m1, "paperwire_source_polls_total",
                                source=name),
                         metric(m0, "paperwire_source_polls_total",
                                source=name) + 1)
        self.assertGreaterEqual(
            metric(m1, "paperwire_source_last_success_timestamp_seconds",
                   source=name), int(t0))
        # The same body again: nothing new, nothing ingested.
        self.assertEqual(
            metric(m1, "paperwire_source_entries_ingested_total",
                   source=name, outcome="inserted"),
            metric(m0, "paperwire_source_entries_ingested_total",
                   source=name, outcome="inserted"))
        # A failing upstream counts a failure and leaves the last success.
        self.up.serve_status("/api/daily_papers", 500)
        try:
            self.d.poll_now()
            m2 = scrape(self.d)
        finally:
            self.up.serve_file("/api/daily_papers",
                               harness.fixture_path(*harness.DAILY_FIXTURE))
        self.assertEqual(metric(m2, "paperwire_source_poll_failures_total",
                                source=name),
                         metric(m1, "paperwire_source_poll_failures_total",
                                source=name) + 1)
        self.assertEqual(metric(m2, "paperwire_source_consecutive_failures",
                                source=name), 1)
        self.assertEqual(
            metric(m2, "paperwire_source_last_success_timestamp_seconds",
                   source=name),
            metric(m1, "paperwire_source_last_success_timestamp_seconds",
                   source=name))
        # The failed attempt was a retry; the next one succeeds again
        # (SIGUSR1 ignores the back-off).
        self.d.poll_now()
        self.assertEqual(metric(scrape(self.d),
                                "paperwire_source_consecutive_failures",
                                source=name), 0)


class AccessLogTest(PwTestCase):

    def test_one_line_per_request_without_secrets(self):
        up = self.upstream()
        up.serve_file("/api/daily_papers",
                      harness.fixture_path(*harness.DAILY_FIXTURE))
        d = self.daemon([harness.hf_source(up, days=0)])
        body = d.feed("/feed.rss?q=llm&limit=3",
                      {"Authorization": "Bearer s3kr1t-h",
                       "Cookie": "session=s3kr1t-c",
                       "User-Agent": "TestReader/1.0"})
        # Feeds take no credentials (a 400), but a client may send them,
        # and other routes may take them: the log never shows them.
        status, _, bad = d.get("/feed.rss?q=x&access_token=s3kr1t-q"
                               "&API.Key=s3kr1t-k&%74oken=s3kr1t-e")
        self.assertEqual(status, 400)
        status, _, _ = d.request("HEAD", "/feed.json")
        self.assertEqual(status, 200)
        status, _, _ = d.request("POST", "/healthz")
        self.assertEqual(status, 405)
        status, _, _ = d.get("/")
        self.assertEqual(status, 200)
        d.stop()
        lines = log_lines(d, "request")
        by_path = {ln["path"]: ln for ln in lines}
        # Short paths are logged whole too.
        self.assertEqual(by_path["/"]["route"], "/")
        got = by_path["/feed.rss?q=llm&limit=3"]
        self.assertEqual(got["method"], "GET")
        self.assertEqual(got["status"], "200")
        self.assertEqual(int(got["bytes"]), len(body))
        self.assertEqual(got["route"], "/feed.")
        self.assertEqual(got["remote"], "127.0.0.1")
        self.assertEqual(got["user_agent"], "TestReader/1.0")
        self.assertRegex(got["duration_ms"], r"^\d+\.\d{3}$")
        redacted = by_path["/feed.rss?q=x&access_token=REDACTED"
                           "&API.Key=REDACTED&%74oken=REDACTED"]
        self.assertEqual((redacted["status"], int(redacted["bytes"])),
                         ("400", len(bad)))
        head = by_path["/feed.json"]
        self.assertEqual((head["method"], head["status"], head["bytes"]),
                         ("HEAD", "200", "0"))
        self.assertEqual(by_path["/healthz"]["status"], "405")
        self.assertNotIn("s3kr1t", d.log())
        # Every request the harness and this test made is logged once:
        # the /healthz polls of start() included.
        self.assertGreaterEqual(len(lines), 4)
        self.assertEqual(len([ln for ln in lines
                              if ln["path"].startswith("/feed.rss")]), 2)

    def test_client_gone_before_the_answer(self):
        # A client that resets the connection while its 2.5 MB answer is
        # being written: logged once as aborted, counted, and its state
        # freed (the sanitizer build checks the last part at exit).
        up = self.upstream()
        up.set("/api/daily_papers", big_daily(summary_words=300))
        d = self.daemon([harness.hf_source(up, days=0)])
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", d.port))
        s.sendall(b"GET /feed.atom?limit=500 HTTP/1.1\r\nHost: t\r\n\r\n")
        deadline = time.time() + 30
        while metric(scrape(d), "paperwire_http_requests_in_flight") < 2:
            self.assertLess(time.time(), deadline)
            time.sleep(0.1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     struct.pack("ii", 1, 0))       # close with a reset
        s.close()
        deadline = time.time() + 10
        while not metric(scrape(d), "paperwire_http_requests_aborted_total",
                         route="/feed."):
            self.assertLess(time.time(), deadline)
            time.sleep(0.1)
        self.assertEqual(metric(scrape(d),
                                "paperwire_http_requests_in_flight"), 1)
        d.stop()
        lines = [ln for ln in log_lines(d, "request")
                 if ln["path"] == "/feed.atom?limit=500"]
        self.assertEqual(len(lines), 1)
        self.assertEqual((lines[0]["status"], lines[0].get("aborted")),
                         ("0", "true"))

    def test_json_format(self):
        d = self.daemon([], args=["--log-format", "json"])
        status, _, _ = d.get("/feed.json?api_key=abc")
        self.assertEqual(status, 400)
        d.stop()
        rows = [json.loads(ln) for ln in d.log().splitlines()
                if ln.startswith("{")]
        reqs = [r for r in rows if r.get("msg") == "request"
                and r["path"].startswith("/feed.json")]
        self.assertEqual(len(reqs), 1, rows)
        self.assertEqual(reqs[0]["path"], "/feed.json?api_key=REDACTED")
        self.assertEqual(reqs[0]["level"], "info")
        for k in ("ts", "method", "status", "bytes", "duration_ms"):
            self.assertIn(k, reqs[0])


class ReadyzTest(PwTestCase):

    def test_not_ready_until_the_first_poll_ends(self):
        up = self.upstream()
        up.set("/api/daily_papers", Slow(harness.daily_bytes(), 3))
        d = self.daemon([harness.hf_source(up, days=0)], start=False)
        d.start(wait_poll=False)
        status, _, body = d.get("/readyz")
        self.assertEqual(status, 503)
        self.assertEqual(body, b"not ready: no poll has ended yet\n")
        self.assertEqual(d.get("/healthz")[0], 200)   # alive meanwhile
        self.assertEqual(metric(scrape(d), "paperwire_ready"), 0)
        d.wait_polls(["hf-daily"], 1)
        status, _, body = d.get("/readyz")
        self.assertEqual((status, body), (200, b"ready\n"))

    def test_a_failed_poll_counts(self):
        up = self.upstream()
        up.serve_status("/api/daily_papers", 503)
        d = self.daemon([harness.hf_source(up, days=0)])
        self.assertEqual(d.get("/readyz")[0], 200)

    def test_ready_without_sources(self):
        d = self.daemon([])
        self.assertEqual(d.get("/readyz")[0], 200)


class ReloadTest(PwTestCase):

    def setUp(self):
        self.up = self.upstream()
        self.up.serve_file("/api/daily_papers",
                           harness.fixture_path(*harness.DAILY_FIXTURE))
        self.d = self.daemon([harness.hf_source(self.up, days=0,
                                                interval=3600)],
                             feeds=[{"name": "hot", "title": "Hot",
                                     "filter": {"min_upvotes": 10}}])
        self.papers = harness.daily_papers()

    def test_sighup_adds_a_feed_and_a_source(self):
        d = self.d
        self.assertEqual(d.get("/feeds/code.json")[0], 404)
        polls = d.polls()["hf-daily"]
        # A keep-alive connection opened before the reload...
        conn = http.client.HTTPConnection("127.0.0.1", d.port, timeout=10)
        conn.request("GET", "/healthz")
        self.assertEqual(conn.getresponse().read()[:1], b"{")
        self.up.serve_file("/other", harness.fixture_path(
            *harness.DAILY_FIXTURE))
        write_config(d, feeds=d.config["feeds"] + [
            {"name": "code", "title": "With code",
             "filter": {"has_code": True}}],
            sources=d.config["sources"] + [
            harness.hf_source(self.up, name="other", path="/other",
                              days=0)])
        sighup(d, "configuration reloaded")
        # ...still works after it.
        conn.request("GET", "/feeds/code.json")
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        items = json.loads(resp.read())["items"]
        conn.close()
        self.assertEqual(sorted(i["id"] for i in items),
                         sorted(p.id for p in self.papers if p.github_repo))
        self.assertEqual(d.get("/feeds/hot.json")[0], 200)
        # The new source polls at once; the unchanged one keeps its
        # schedule (its counter carries over and does not move).
        d.wait_polls(["other"], 1)
        self.up.wait_requests(1, "/other")
        self.assertEqual(d.polls()["hf-daily"], polls)
        self.assertEqual(len(self.up.requests("/api/daily_papers")), polls)
        # The front page and OPML follow (the cache was emptied).
        self.assertIn(b"With code", d.feed("/"))
        self.assertIn(b"/feeds/code.rss", d.feed("/opml"))
        m = scrape(d)
        self.assertEqual(metric(m, "paperwire_config_reloads_total",
                                result="success"), 1)
        self.assertEqual(metric(m, "paperwire_config_last_reload_successful"),
                         1)
        self.assertEqual(metric(m, "paperwire_store_entries"),
                         len(self.papers))

    def test_broken_config_keeps_the_old_one(self):
        d = self.d
        good = dict(d.config)
        write_config(d, feeds=[{"name": "BAD NAME"}],
                     sources=[{"type": "no_such_type"}])
        sighup(d, "configuration rejected")
        errors = [ln["error"] for ln in log_lines(d, "configuration error")]
        self.assertTrue(any(e.startswith("feeds[0].name:") for e in errors),
                        errors)
        self.assertTrue(any(e.startswith("sources[0].type:")
                            for e in errors), errors)
        self.assertEqual(d.get("/feeds/hot.json")[0], 200)
        self.assertEqual(d.source_health("hf-daily")["name"], "hf-daily")
        m = scrape(d)
        self.assertEqual(metric(m, "paperwire_config_reloads_total",
                                result="failure"), 1)
        self.assertEqual(metric(m, "paperwire_config_last_reload_successful"),
                         0)
        # Not JSON at all.
        with open(d.config_path, "w") as f:
            f.write("{\"feeds\": [")
        sighup(d, "configuration rejected")
        self.assertEqual(d.get("/feeds/hot.json")[0], 200)
        # Fixed: accepted, and a removed feed is gone.
        write_config(d, **{k: v for k, v in good.items()
                           if k in ("sources",)}, feeds=[])
        sighup(d, "configuration reloaded")
        self.assertEqual(d.get("/feeds/hot.json")[0], 404)
        self.assertEqual(metric(scrape(d),
                                "paperwire_config_last_reload_successful"), 1)
        self.assertEqual(len(d.json_ids("/feed.json")), len(self.papers))

    def test_listen_change_needs_a_restart(self):
        d = self.d
        write_config(d, listen="127.0.0.1:%d" % harness.free_port())
        sighup(d, "configuration reloaded")
        warn = log_lines(d, "configuration change needs a restart")
        self.assertEqual([w["key"] for w in warn], ["listen"])
        self.assertEqual(d.get("/healthz")[0], 200)

    def test_reload_during_a_poll(self):
        # A poll in flight is cut safely and the source polls again.
        d = self.d
        self.up.set("/api/daily_papers", Slow(harness.daily_bytes(), 1.5))
        before = len(self.up.requests("/api/daily_papers"))
        polls = d.trigger_poll()
        self.up.wait_requests(before + 1, "/api/daily_papers")
        self.assertTrue(d.source_health("hf-daily")["polling"])
        write_config(d, title="renamed")
        sighup(d, "configuration reloaded")
        d.wait_polls(["hf-daily"], polls, timeout=20)
        # The cut poll's request, then the new poller's own.
        self.assertEqual(len(self.up.requests("/api/daily_papers")),
                         before + 2)
        self.assertIn(b"<title>renamed</title>", d.feed("/"))
        self.assertEqual(len(d.json_ids("/feed.json")), len(self.papers))


class ShutdownTest(PwTestCase):

    def test_sigterm_under_load(self):
        up = self.upstream()
        up.set("/api/daily_papers", big_daily())
        d = self.daemon([harness.hf_source(up, days=0)])
        self.assertEqual(d.healthz()["entries"], 600)
        # Answers of a few hundred KB, some cached, some rendered anew
        # (the varying limit), so the loop is busy writing when the signal
        # comes. Kept small enough for the sanitizer build to stay fast.
        paths = ["/feed.rss?limit=300", "/feed.atom?limit=200&q=word1",
                 "/feed.json?limit=300&sort=upvotes", "/",
                 "/feed.rss?limit=%d"]
        done, cut, unanswered = [], [], []
        stop = threading.Event()

        def client(n):
            i = 0
            while not stop.is_set():
                i += 1
                path = paths[(n + i) % len(paths)]
                if "%d" in path:
                    path = path % (1 + (n * 31 + i) % 300)
                conn = http.client.HTTPConnection("127.0.0.1", d.port,
                                                  timeout=10)
                try:
                    conn.request("GET", path)
                    resp = conn.getresponse()
                except (ConnectionError, http.client.RemoteDisconnected,
                        socket.timeout, OSError) as e:
                    unanswered.append(repr(e))
                    conn.close()
                    time.sleep(0.01)
                    continue
                try:
                    body = resp.read()
                    want = int(resp.getheader("Content-Length"))
                    (done if len(body) == want and resp.status == 200
                     else cut).append((path, resp.status, len(body), want))
                except Exception as e:  # anything here is half an answer
                    cut.append((path, repr(e)))
                finally:
                    conn.close()

        threads = [threading.Thread(target=client, args=(n,))
                   for n in range(8)]
        for t in threads:
            t.start()
        try:
            deadline = time.time() + 30
            while len(done) < 20 and time.time() < deadline:
                time.sleep(0.05)
            self.assertGreaterEqual(len(done), 20)
            t0 = time.time()
            d.proc.send_signal(signal.SIGTERM)
            rc = d.proc.wait(10)
            elapsed = time.time() - t0
        finally:
            stop.set()
            for t in threads:
                t.join(15)
        d.proc = None
        self.assertEqual(rc, 0, d.log_tail())
        self.assertLess(elapsed, 5.0)
        self.assertEqual(cut, [])
        self.assertIn('msg=stopped', d.log())


    def test_response_in_flight_is_finished(self):
        # A 2.5 MB answer to a client with a tiny receive window is still
        # being written when SIGTERM comes: the listener closes at once,
        # but that answer is finished before the process exits 0.
        up = self.upstream()
        up.set("/api/daily_papers", big_daily(summary_words=300))
        d = self.daemon([harness.hf_source(up, days=0)])
        s = socket.socket()
        self.addCleanup(s.close)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(30)
        s.connect(("127.0.0.1", d.port))
        s.sendall(b"GET /feed.atom?limit=500 HTTP/1.1\r\nHost: t\r\n\r\n")
        deadline = time.time() + 30
        while metric(scrape(d), "paperwire_http_requests_in_flight") < 2:
            self.assertLess(time.time(), deadline, "the answer never "
                            "got stuck in the socket")
            time.sleep(0.1)
        t0 = time.time()
        d.proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", d.port), timeout=5)
        data = b""
        while True:
            chunk = s.recv(1 << 16)
            if not chunk:
                break
            data += chunk
        rc = d.proc.wait(10)
        elapsed = time.time() - t0
        d.proc = None
        head, _, body = data.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200 "), head[:100])
        length = re.search(rb"(?im)^content-length: *(\d+)", head)
        self.assertEqual(len(body), int(length.group(1)))
        self.assertGreater(len(body), 2000000)
        self.assertEqual(rc, 0)
        self.assertLess(elapsed, 5.0)
        import feedparser
        self.assertEqual(len(feedparser.parse(body).entries), 500)


class OpmlTest(PwTestCase):

    def test_lists_every_feed(self):
        import listparser
        d = self.daemon([], feeds=[
            {"name": "hot", "title": "Hot & new", "description": "<20+>",
             "filter": {"min_upvotes": 20}},
            {"name": "agents", "filter": {"q": "agent"}}])
        status, headers, body = d.get("/opml")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/x-opml"))
        self.assertTrue(headers.get("ETag"))
        res = listparser.parse(body.decode("utf-8"))
        self.assertFalse(res.bozo, res.get("bozo_exception"))
        self.assertEqual(res.meta["title"], "paperwire test feeds")
        got = sorted((f["url"], f["title"]) for f in res.feeds)
        self.assertEqual(got, sorted([
            (d.url("/feed.rss"), "paperwire test: all papers"),
            (d.url("/feeds/hot.rss"), "Hot & new"),
            (d.url("/feeds/agents.rss"), "agents")]))
        for url, _ in got:
            status, h, _ = d.get(url[len(d.base_url):])
            self.assertEqual(status, 200, url)
            self.assertTrue(h["Content-Type"].startswith(
                "application/rss+xml"))
        # Conditional GET like every feed.
        status, _, _ = d.get("/opml", {"If-None-Match": headers["ETag"]})
        self.assertEqual(status, 304)


class ConfigEnvTest(PwTestCase):

    def test_config_file_from_the_environment(self):
        # What a container does: no --config, PAPERWIRE_CONFIG names the
        # mounted file; SIGHUP reloads that same file.
        d = harness.Daemon([], feeds=[{"name": "one"}])
        self.addCleanup(d.cleanup)
        write_config(d, title="from the environment")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("PAPERWIRE")}
        env["PAPERWIRE_CONFIG"] = d.config_path
        with open(d.stderr_path, "ab") as err:
            d.proc = subprocess.Popen([harness.daemon_bin()], env=env,
                                      cwd=d.tmpdir, stdin=subprocess.DEVNULL,
                                      stdout=err, stderr=err)
        deadline = time.time() + 15
        while True:
            try:
                if d.get("/healthz", timeout=2)[0] == 200:
                    break
            except (OSError, http.client.HTTPException):
                pass
            self.assertLess(time.time(), deadline, d.log_tail())
            time.sleep(0.05)
        self.assertIn(b"<title>from the environment</title>", d.feed("/"))
        write_config(d, feeds=[{"name": "two"}])
        sighup(d, "configuration reloaded")
        self.assertEqual(d.get("/feeds/two.rss")[0], 200)
        self.assertEqual(d.get("/feeds/one.rss")[0], 404)
        d.stop()


class HealthcheckTest(PwTestCase):

    @classmethod
    def setUpClass(cls):
        cls.d = cls.class_daemon([])

    def test_ok(self):
        rc, out, err, _ = run_healthcheck(self.d.url("/healthz"))
        self.assertEqual(rc, 0, err)
        self.assertIn("HTTP 200", out)

    def test_http_error(self):
        rc, _, err, _ = run_healthcheck(self.d.url("/nope"))
        self.assertEqual(rc, 1)
        self.assertIn("HTTP 404", err)

    def test_path_on_the_listen_address(self):
        port = self.d.port
        rc, out, err, _ = run_healthcheck(
            "/readyz", env={"PAPERWIRE_LISTEN": "0.0.0.0:%d" % port})
        self.assertEqual(rc, 0, err)
        self.assertIn("http://127.0.0.1:%d/readyz" % port, out)
        rc, _, err, _ = run_healthcheck(
            "/healthz", ["--listen", "127.0.0.1:%d" % port])
        self.assertEqual(rc, 0, err)

    def test_nothing_listening(self):
        rc, _, err, _ = run_healthcheck(
            "http://127.0.0.1:%d/healthz" % harness.free_port())
        self.assertEqual(rc, 1)
        self.assertTrue(err.startswith("paperwire: healthcheck: "), err)

    def test_times_out(self):
        srv = socket.socket()
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)
        self.addCleanup(srv.close)
        rc, _, err, elapsed = run_healthcheck(
            "http://127.0.0.1:%d/healthz" % srv.getsockname()[1])
        self.assertEqual(rc, 1)
        self.assertGreaterEqual(elapsed, 4.5)
        self.assertLess(elapsed, 10)

    def test_only_http(self):
        rc, _, _, _ = run_healthcheck("file:///etc/hostname")
        self.assertEqual(rc, 1)


if __name__ == "__main__":
    harness.main()
