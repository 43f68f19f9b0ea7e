"""Source types and fetch etiquette against a local fake upstream.

* hf_search: the real search capture feeds /feed.atom?source=<name>; the
  upstream sees q= and limit=; bad search configs are refused.
* hf_daily listings: trending, week (YYYY-Www) and month (YYYY-MM) URLs,
  and the combinations refused at config load.
* Etiquette: a per-host minimum interval between requests (timestamps of
  the fake server's requests), permanent redirects followed and logged,
  410 disabling a source (log and /healthz), request headers sent but
  never logged or shown, Last-Modified-only conditional GET, and an
  unchanged body without validators not re-ingested.
* Merging: an hf_daily list and an arXiv API answer that share papers
  become one entry per paper with fields from both.

Expected values are computed here from the fixtures with plain Python.
"""

import datetime
import json
import os
import re
import subprocess
import time

import feedparser

import harness
from harness import PwTestCase

DAILY = "/api/daily_papers"
SEARCH = "/api/papers/search"
SEARCH_FIXTURE = ("hf", "search_q-llama-3-herd.json")
ARXIV_SHARED = ("derived", "arxiv_api_shared_daily_2026-06-12.atom.xml")

# A token that must never leave the request it is configured for.
SECRET = "pw-test-SECRET-7f3a9c1e5b"


def search_papers():
    with open(harness.fixture_path(*SEARCH_FIXTURE), "rb") as f:
        return [harness.Paper(w) for w in json.load(f)]


def daily_source(up, name="hf-daily", path=DAILY, **kw):
    """An hf_daily source without the harness's default days (a period
    listing refuses them)."""
    s = {"name": name, "type": "hf_daily", "url": up.url(path),
         "interval": 3600}
    s.update(kw)
    return s


def check_config(tmpdir, cfg):
    """Runs --check-config on cfg; (exit code, stdout + stderr)."""
    path = os.path.join(tmpdir, "check.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(cfg, f)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PAPERWIRE_")}
    p = subprocess.run([harness.daemon_bin(), "--check-config", path],
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=10, env=env)
    return p.returncode, (p.stdout + p.stderr).decode("utf-8", "replace")


_FIELD = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)')


def log_events(text, msg=None):
    """The logfmt lines of text as dicts (msg filtered when given)."""
    out = []
    for line in text.splitlines():
        fields = {}
        for k, v in _FIELD.findall(line):
            if v.startswith('"'):
                v = re.sub(r'\\(.)', r'\1', v[1:-1])
            fields[k] = v
        if "msg" in fields and (msg is None or fields["msg"] == msg):
            out.append(fields)
    return out


class Redirect:
    """Answers status with a Location on another path, keeping the query."""

    def __init__(self, up, status, target):
        self.up = up
        self.status = status
        self.target = target

    def __call__(self, handler, req):
        query = req.raw_path.partition("?")[2]
        loc = self.up.url(self.target) + ("?" + query if query else "")
        harness.Respond(b"moved\n", self.status, {"Location": loc},
                        content_type="text/plain")(handler, req)


# --------------------------------------------------------------------------


class SearchSourceTest(PwTestCase):
    """An hf_search source on the real capture, next to a daily source."""

    @classmethod
    def setUpClass(cls):
        cls.up = cls.class_upstream()
        cls.up.serve_file(SEARCH, harness.fixture_path(*SEARCH_FIXTURE))
        cls.up.serve_bytes(DAILY, harness.daily_bytes())
        cls.papers = search_papers()
        cls.d = cls.class_daemon([
            {"name": "llama-search", "type": "hf_search",
             "url": cls.up.url(SEARCH), "query": "llama 3 herd & co",
             "limit": 20, "interval": 3600},
            harness.hf_source(cls.up, days=0),
        ])

    def test_request_carries_query_and_limit(self):
        reqs = self.up.requests(SEARCH)
        self.assertEqual(len(reqs), 1, reqs)
        self.assertEqual(reqs[0].query_all,
                         {"q": ["llama 3 herd & co"], "limit": ["20"]})

    def test_atom_feed_by_source(self):
        f = feedparser.parse(
            self.d.feed("/feed.atom?source=llama-search&limit=500"))
        self.assertFalse(f.bozo, f.get("bozo_exception"))
        self.assertEqual(len(self.papers), 11)
        self.assertEqual(len(f.entries), 11)
        want = {p.atom_id: p for p in self.papers}
        got = {e.id: e for e in f.entries}
        self.assertEqual(set(got), set(want))
        for i, e in got.items():
            self.assertEqual(e.title, want[i].title, i)
            self.assertEqual(e.link, want[i].link, i)

    def test_sources_kept_apart(self):
        search = set(self.d.json_ids("/feed.json?source=llama-search"
                                     "&limit=500"))
        daily = set(self.d.json_ids("/feed.json?source=hf-daily&limit=500"))
        self.assertEqual(search, {p.id for p in self.papers})
        self.assertEqual(len(daily), 30)
        self.assertEqual(search & daily, set())
        h = self.d.source_health("llama-search")
        self.assertEqual(h["type"], "hf_search")
        self.assertEqual(h["entries"], 11)
        self.assertIsNone(h["last_error"], h)
        self.assertEqual(h["http_status"], 200)
        self.assertEqual(h["last_poll"]["entries"], 11, h)
        self.assertEqual(self.d.healthz()["entries"], 41)

    def test_json_feed_fields(self):
        doc = self.d.json_feed("/feed.json?source=llama-search&limit=500")
        items = {it["id"]: it for it in doc["items"]}
        for p in self.papers:
            x = items[p.id]["_paperwire"]
            self.assertEqual(x["upvotes"], p.upvotes, p.id)
            self.assertEqual(x["comments"], p.comments, p.id)
            self.assertEqual(x["sources"], ["llama-search"], p.id)
            self.assertEqual(x.get("github_repo"), p.github_repo, p.id)


class SearchConfigTest(PwTestCase):

    def test_bad_search_configs(self):
        tmp = self.tmpdir()
        cases = [
            ({}, "sources[0].query: required"),
            ({"query": ""}, "sources[0].query: expected a string of 1 to "
                            "250"),
            ({"query": "x" * 251}, "sources[0].query: expected a string"),
            ({"query": "x", "limit": 121},
             "sources[0].limit: expected an integer from 1 to 120"),
            ({"query": "x", "days": 2}, "sources[0].days: unknown key"),
        ]
        for extra, want in cases:
            src = {"name": "s", "type": "hf_search"}
            src.update(extra)
            rc, out = check_config(tmp, {"sources": [src]})
            self.assertEqual(rc, 1, (extra, out))
            self.assertIn(want, out, extra)
        ok = {"name": "s", "type": "hf_search", "query": "y" * 250,
              "limit": 120}
        rc, out = check_config(tmp, {"sources": [ok]})
        self.assertEqual(rc, 0, out)

    def tmpdir(self):
        import tempfile
        t = tempfile.TemporaryDirectory(prefix="pw-src-")
        self.addCleanup(t.cleanup)
        return t.name


# --------------------------------------------------------------------------


def iso_week(d):
    y, w, _ = d.isocalendar()
    return "%04d-W%02d" % (y, w)


def month_before(d):
    return (d.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")


class ListingsTest(PwTestCase):
    """Trending, week and month listings ask for the right URLs."""

    def test_trending_week_month(self):
        up = self.upstream()
        daily = harness.load_daily()
        up.serve_json("/trending", daily[0:10])
        up.serve_json("/week", daily[10:20])
        up.serve_json("/month", daily[20:30])
        before = harness.utc_today()
        d = self.daemon([
            daily_source(up, "trend", "/trending", sort="trending"),
            daily_source(up, "weekly", "/week", period="week"),
            daily_source(up, "monthly", "/month", period="month",
                         sort="date"),
        ])
        after = harness.utc_today()
        week = 7 * datetime.timedelta(days=1)

        # The poll may straddle midnight UTC: either day's periods do.
        def accept(got, want_fn):
            self.assertIn(got, [want_fn(before), want_fn(after)])

        t = up.requests("/trending")
        self.assertEqual([r.query_all for r in t],
                         [{"sort": ["trending"], "limit": ["100"],
                           "p": ["0"]}])
        w = up.requests("/week")
        self.assertEqual(len(w), 2, w)
        accept(sorted(r.query["week"] for r in w),
               lambda day: sorted([iso_week(day), iso_week(day - week)]))
        for r in w:
            self.assertEqual(set(r.query_all), {"week", "limit", "p"})
            self.assertEqual((r.query["limit"], r.query["p"]), ("100", "0"))
        m = up.requests("/month")
        self.assertEqual(len(m), 2, m)
        accept(sorted(r.query["month"] for r in m),
               lambda day: sorted([day.strftime("%Y-%m"),
                                   month_before(day)]))
        for r in m:
            self.assertEqual(set(r.query_all), {"month", "limit", "p"})

        for name, part in (("trend", daily[0:10]), ("weekly", daily[10:20]),
                           ("monthly", daily[20:30])):
            ids = set(d.json_ids("/feed.json?limit=500&source=" + name))
            self.assertEqual(ids, {"arxiv:" + w["paper"]["id"]
                                   for w in part}, name)
            h = d.source_health(name)
            self.assertIsNone(h["last_error"], h)
            self.assertEqual(h["last_poll"]["requests"],
                             1 if name == "trend" else 2, h)

    def test_refused_combinations(self):
        import tempfile
        tmp = tempfile.TemporaryDirectory(prefix="pw-src-")
        self.addCleanup(tmp.cleanup)
        cases = [
            ({"period": "week", "sort": "trending"},
             "sources[0].period: cannot be combined with sort \"trending\""),
            ({"period": "month", "days": 2}, "sources[0].days: "),
            ({"period": "year"},
             "sources[0].period: expected one of \"week\", \"month\""),
            ({"period": "week", "query": "x"},
             "sources[0].query: unknown key for type hf_daily"),
        ]
        for extra, want in cases:
            src = {"name": "s", "type": "hf_daily"}
            src.update(extra)
            rc, out = check_config(tmp.name, {"sources": [src]})
            self.assertEqual(rc, 1, (extra, out))
            self.assertIn(want, out, extra)


# --------------------------------------------------------------------------


class HostIntervalTest(PwTestCase):
    """min_request_interval spaces requests to one host, across sources."""

    def gaps(self, reqs):
        times = sorted(r.time for r in reqs)
        return [b - a for a, b in zip(times, times[1:])]

    def test_interval_honoured_across_sources(self):
        up = self.upstream()
        up.serve_bytes(DAILY, harness.daily_bytes())
        up.serve_bytes("/other", harness.daily_bytes())
        # Two sources on one host (127.0.0.1), three and two requests,
        # all polled at start-up: five requests at least 1 s apart.
        self.daemon([
            harness.hf_source(up, days=2, min_request_interval=1),
            harness.hf_source(up, name="other", path="/other", days=1,
                              min_request_interval=1),
        ])
        reqs = up.requests()
        self.assertEqual(len(reqs), 5, reqs)
        gaps = self.gaps(reqs)
        # The daemon spaces starts by >= 1 s on its monotonic clock;
        # allow a little for when each request reached the server.
        self.assertGreaterEqual(min(gaps), 0.9, gaps)

    def test_no_interval_by_default_for_other_hosts(self):
        up = self.upstream()
        up.serve_bytes(DAILY, harness.daily_bytes())
        self.daemon([harness.hf_source(up, days=2)])
        reqs = up.requests()
        self.assertEqual(len(reqs), 3, reqs)
        # Without a gate the three requests follow each other at once.
        self.assertLess(max(r.time for r in reqs) -
                        min(r.time for r in reqs), 0.9)

    def test_interval_holds_across_polls(self):
        up = self.upstream()
        up.serve_bytes(DAILY, harness.daily_bytes())
        d = self.daemon([harness.hf_source(up, days=0,
                                           min_request_interval=2)])
        d.poll_now()
        reqs = up.requests()
        self.assertEqual(len(reqs), 2, reqs)
        self.assertGreaterEqual(self.gaps(reqs)[0], 1.9)

    def test_bad_interval_refused(self):
        import tempfile
        tmp = tempfile.TemporaryDirectory(prefix="pw-src-")
        self.addCleanup(tmp.cleanup)
        for v in (-1, 3601, "3"):
            rc, out = check_config(tmp.name, {"sources": [
                {"name": "s", "type": "hf_daily",
                 "min_request_interval": v}]})
            self.assertEqual(rc, 1, out)
            self.assertIn("sources[0].min_request_interval: expected an "
                          "integer from 0 to 3600", out)


# --------------------------------------------------------------------------


class RedirectTest(PwTestCase):
    """301 and 308 are followed and logged once with the new URL; a
    temporary redirect is followed silently."""

    def moved_lines(self, d):
        return log_events(d.log(), "upstream moved permanently")

    def run_redirect(self, status):
        up = self.upstream()
        up.set("/old", Redirect(up, status, DAILY))
        up.serve_bytes(DAILY, harness.daily_bytes())
        d = self.daemon([harness.hf_source(up, path="/old", days=0)])
        self.assertEqual(len(up.requests("/old")), 1)
        new = up.requests(DAILY)
        self.assertEqual(len(new), 1)
        self.assertEqual(d.healthz()["entries"], 30)
        h = d.source_health("hf-daily")
        self.assertIsNone(h["last_error"], h)
        self.assertEqual(h["http_status"], 200)
        return up, d, h

    def test_301_followed_and_logged(self):
        for status in (301, 308):
            with self.subTest(status=status):
                up, d, h = self.run_redirect(status)
                new_url = up.url(DAILY) + "?" + \
                    up.requests(DAILY)[0].raw_path.partition("?")[2]
                self.assertEqual(h["moved_to"], new_url)
                lines = self.moved_lines(d)
                self.assertEqual(len(lines), 1, d.log_tail())
                self.assertEqual(lines[0]["new_url"], new_url)
                self.assertTrue(lines[0]["url"].startswith(up.url("/old")),
                                lines[0])
                self.assertEqual(lines[0]["level"], "warn")
                # Followed again on the next poll, not logged again.
                d.poll_now()
                self.assertEqual(len(up.requests("/old")), 2)
                self.assertEqual(len(self.moved_lines(d)), 1)

    def test_temporary_redirect_not_reported(self):
        for status in (302, 307):
            with self.subTest(status=status):
                up, d, h = self.run_redirect(status)
                self.assertIsNone(h["moved_to"], h)
                self.assertEqual(self.moved_lines(d), [])

    def test_permanent_then_temporary_not_reported(self):
        up = self.upstream()
        up.set("/old", Redirect(up, 301, "/mid"))
        up.set("/mid", Redirect(up, 302, DAILY))
        up.serve_bytes(DAILY, harness.daily_bytes())
        d = self.daemon([harness.hf_source(up, path="/old", days=0)])
        self.assertEqual(len(up.requests("/mid")), 1)
        self.assertEqual(d.healthz()["entries"], 30)
        self.assertIsNone(d.source_health("hf-daily")["moved_to"])
        self.assertEqual(self.moved_lines(d), [])


class GoneTest(PwTestCase):
    """410 disables the source: one log line, /healthz says why, and no
    more requests, even when asked to poll."""

    def test_410_disables(self):
        up = self.upstream()
        up.serve_status("/gone", 410, b"gone\n")
        up.serve_bytes(DAILY, harness.daily_bytes())
        d = self.daemon([
            harness.hf_source(up, name="dead", path="/gone", days=2,
                              interval=1),
            harness.hf_source(up, days=0, interval=3600),
        ])
        h = d.source_health("dead")
        self.assertEqual(h["disabled"], "gone", h)
        self.assertEqual(h["http_status"], 410, h)
        self.assertIn("410", h["last_error"])
        self.assertIsNone(h["next_poll"], h)
        self.assertEqual(d.source_health("hf-daily")["disabled"], None)
        lines = [e for e in log_events(d.log())
                 if e["msg"].startswith("source disabled")]
        self.assertEqual(len(lines), 1, d.log_tail())
        self.assertEqual(lines[0]["source"], "dead")
        self.assertEqual(lines[0]["level"], "error")
        self.assertIn("410", lines[0]["msg"])
        self.assertTrue(lines[0]["url"].startswith(up.url("/gone")))
        # The first request answered 410: the other dates were not asked.
        self.assertEqual(len(up.requests("/gone")), 1)
        # Neither the 1 s interval nor SIGUSR1 polls it again.
        need = d.trigger_poll()
        d.wait_polls(["hf-daily"], need)
        time.sleep(1.5)
        self.assertEqual(len(up.requests("/gone")), 1)
        self.assertEqual(d.polls()["dead"], 1)
        self.assertEqual(d.source_health("dead")["disabled"], "gone")
        self.assertEqual(d.healthz()["entries"], 30)


# --------------------------------------------------------------------------


class HeadersSecretTest(PwTestCase):
    """A configured Authorization header reaches the upstream and appears
    nowhere else: not in debug logs, /healthz, feeds or config errors."""

    def test_authorization_sent_never_shown(self):
        up = self.upstream()
        up.serve_bytes(DAILY, harness.daily_bytes())
        up.set("/old", Redirect(up, 301, DAILY))
        auth = "Bearer " + SECRET
        d = self.daemon([
            harness.hf_source(up, days=1,
                              headers={"Authorization": auth,
                                       "X-Extra": "x1"}),
            harness.hf_source(up, name="moved", path="/old", days=0,
                              headers={"Authorization": auth}),
        ], args=["--log-level", "debug"])
        reqs = up.requests(DAILY)
        self.assertEqual(len(reqs), 3, reqs)
        for r in reqs:
            self.assertEqual(r.headers.get("authorization"), auth)
        self.assertEqual(reqs[0].headers.get("x-extra"), "x1")
        # A failing poll logs its error: still no secret.
        up.serve_status(DAILY, 500, b"boom " + SECRET.encode() + b"\n")
        d.poll_now()
        self.assertEqual(d.source_health("hf-daily")["http_status"], 500)
        log = d.log()
        self.assertIn("level=debug", log)  # the debug lines were written
        self.assertIn("fetching", log)
        self.assertNotIn(SECRET, log)
        status, _, body = d.get("/healthz")
        self.assertEqual(status, 200)
        self.assertNotIn(SECRET.encode(), body)
        for path in ("/feed.json?limit=500", "/feed.atom", "/feed.rss", "/"):
            self.assertNotIn(SECRET.encode(), d.feed(path), path)

    def test_token_in_url_query_redacted_in_logs(self):
        # A credential in the source URL's query reaches the upstream but
        # is written as REDACTED in every log line that shows the URL.
        up = self.upstream()
        up.serve_bytes(DAILY, harness.daily_bytes())
        src = harness.hf_source(up, days=0)
        src["url"] += "?api_key=" + SECRET
        d = self.daemon([src], args=["--log-level", "debug"])
        reqs = up.requests(DAILY)
        self.assertEqual(len(reqs), 1, reqs)
        self.assertIn(SECRET, reqs[0].raw_path)
        log = d.log()
        self.assertIn("api_key=REDACTED", log)
        self.assertNotIn(SECRET, log)

    def test_bad_header_value_not_echoed(self):
        import tempfile
        tmp = tempfile.TemporaryDirectory(prefix="pw-src-")
        self.addCleanup(tmp.cleanup)
        rc, out = check_config(tmp.name, {"sources": [
            {"name": "s", "type": "hf_daily",
             "headers": {"Authorization": "Bearer " + SECRET + "\r\nX: y"}}]})
        self.assertEqual(rc, 1, out)
        self.assertIn("sources[0].headers.Authorization", out)
        self.assertNotIn(SECRET, out)


# --------------------------------------------------------------------------


class ConditionalTest(PwTestCase):
    """Validators the upstream gives are sent back (Last-Modified alone
    here; ETag is UpstreamValidatorsTest in test_resilience.py), and a body
    that did not change is not parsed or stored again."""

    def finished(self, d):
        return log_events(d.log(), "poll finished")

    def test_last_modified_only(self):
        up = self.upstream()
        lm = "Fri, 12 Jun 2026 08:00:00 GMT"
        up.serve_bytes(DAILY, harness.daily_bytes(),
                       headers={"Last-Modified": lm})
        d = self.daemon([harness.hf_source(up, days=0)])
        first = up.requests(DAILY)
        self.assertEqual(len(first), 1)
        self.assertNotIn("if-modified-since", first[0].headers)
        up.serve_status(DAILY, 304, b"")
        d.poll_now()
        second = up.requests(DAILY)[1:]
        self.assertEqual(len(second), 1)
        self.assertEqual(second[0].headers.get("if-modified-since"), lm)
        self.assertNotIn("if-none-match", second[0].headers)
        h = d.source_health("hf-daily")
        self.assertIsNone(h["last_error"], h)
        self.assertEqual(h["http_status"], 304)
        self.assertEqual(h["last_poll"]["unchanged"], 1, h)
        self.assertEqual(h["last_poll"]["items"], 0, h)
        last = self.finished(d)[-1]
        self.assertEqual((last["status"], last["unchanged"],
                          last["inserted"], last["updated"]),
                         ("304", "1", "0", "0"))
        self.assertEqual(len(d.json_ids("/feed.json?limit=500")), 30)

    def test_unchanged_body_without_validators(self):
        up = self.upstream()
        data = harness.load_daily()
        body = json.dumps(data).encode()
        up.serve_bytes(DAILY, body)
        d = self.daemon([harness.hf_source(up, days=0)])
        d.poll_now()
        reqs = up.requests(DAILY)
        self.assertEqual(len(reqs), 2)
        for r in reqs:
            self.assertNotIn("if-none-match", r.headers)
            self.assertNotIn("if-modified-since", r.headers)
        first, second = self.finished(d)[-2:]
        self.assertEqual((first["unchanged"], first["inserted"]), ("0", "30"))
        self.assertEqual((second["status"], second["unchanged"],
                          second["items"], second["inserted"],
                          second["updated"]), ("200", "1", "0", "0", "0"))
        self.assertEqual(d.source_health("hf-daily")["last_poll"]
                         ["unchanged"], 1)
        # A changed body is read again.
        data[3]["paper"]["upvotes"] = (data[3]["paper"].get("upvotes") or 0) \
            + 7
        up.serve_json(DAILY, data)
        d.poll_now()
        third = self.finished(d)[-1]
        self.assertEqual((third["unchanged"], third["items"],
                          third["updated"]), ("0", "30", "1"))


# --------------------------------------------------------------------------


def arxiv_expectations():
    """(shared, arxiv_only): per arXiv id, the categories and comment of
    the derived arXiv fixture, read with feedparser."""
    f = feedparser.parse(harness.fixture_path(*ARXIV_SHARED))
    out = {}
    for e in f.entries:
        m = re.fullmatch(r"http://arxiv\.org/abs/(.+?)(v\d+)?", e.id)
        out[m.group(1)] = {"categories": [t.term for t in e.tags],
                           "comment": e.get("arxiv_comment"),
                           "title": harness.collapse(e.title)}
    return out


class MergeTest(PwTestCase):
    """hf_daily and arxiv share four papers: each is one entry with the
    Hugging Face counters and links and the arXiv categories and comment."""

    def setUp(self):
        rc, out = check_config(self._tmp(), {"sources": [
            {"name": "a", "type": "arxiv", "url": "http://127.0.0.1:1/q",
             "query": "cat:cs.CL"}]})
        if "unknown source type \"arxiv\"" in out:
            self.skipTest("the arxiv source type is not built in yet")

    def _tmp(self):
        import tempfile
        t = tempfile.TemporaryDirectory(prefix="pw-src-")
        self.addCleanup(t.cleanup)
        return t.name

    def test_shared_papers_merge(self):
        up = self.upstream()
        up.serve_bytes(DAILY, harness.daily_bytes())
        up.serve_file("/api/query", harness.fixture_path(*ARXIV_SHARED),
                      content_type="application/atom+xml; charset=utf-8")
        d = self.daemon([
            harness.hf_source(up, days=0),
            {"name": "arxiv-cs", "type": "arxiv",
             "url": up.url("/api/query"), "query": "cat:cs.CL",
             "max_results": 5, "interval": 3600},
        ])
        reqs = up.requests("/api/query")
        self.assertEqual(len(reqs), 1, reqs)
        self.assertEqual(reqs[0].query.get("search_query"), "cat:cs.CL")
        arx = arxiv_expectations()
        hf = {p.arxiv: p for p in harness.daily_papers()}
        shared = set(arx) & set(hf)
        self.assertEqual(len(shared), 4)
        only_arxiv = set(arx) - set(hf)
        self.assertEqual(only_arxiv, {"2202.12139"})

        doc = d.json_feed("/feed.json?limit=500")
        items = {it["id"]: it for it in doc["items"]}
        self.assertEqual(len(items), 31)
        self.assertEqual(d.healthz()["entries"], 31)
        for aid in shared:
            it = items["arxiv:" + aid]
            x = it["_paperwire"]
            p = hf[aid]
            self.assertEqual(sorted(x["sources"]), ["arxiv-cs", "hf-daily"])
            # Hugging Face's counters and links...
            self.assertEqual(x["upvotes"], p.upvotes, aid)
            self.assertEqual(x["comments"], p.comments, aid)
            self.assertEqual(x.get("github_repo"), p.github_repo, aid)
            self.assertEqual(x["hf_url"], p.link, aid)
            # ...and arXiv's categories and comment, on one entry.
            self.assertEqual(x["categories"], arx[aid]["categories"], aid)
            self.assertEqual(x["comment"], arx[aid]["comment"], aid)
            self.assertEqual(x["arxiv_url"], "https://arxiv.org/abs/" + aid)
            self.assertEqual(it["title"], p.title, aid)
        a = items["arxiv:2202.12139"]["_paperwire"]
        self.assertEqual(a["sources"], ["arxiv-cs"])
        self.assertEqual(a["categories"], ["cs.SE", "cs.LG"])
        self.assertIsNone(a.get("upvotes"))
        for aid in set(hf) - shared:
            self.assertFalse(items["arxiv:" + aid]["_paperwire"]
                             .get("categories"), aid)
        # The arXiv-only and shared entries filter by either source.
        self.assertEqual(set(d.json_ids("/feed.json?source=arxiv-cs"
                                        "&limit=500")),
                         {"arxiv:" + i for i in arx})


if __name__ == "__main__":
    harness.main()
