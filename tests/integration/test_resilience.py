"""A bad upstream never costs entries: after a good poll, every kind of
broken answer leaves the 30 entries (same ids, same dates) in place and
shows up as a last_error in /healthz; updates change counters, not ids or
dates; a partial list removes nothing; restarts keep everything.

The steps share one daemon and run in order (test_NN_...).
"""

import threading
import time

import feedparser

import harness
from harness import PwTestCase

PATH = "/api/daily_papers"
MB = 1024 * 1024


def wrong_types(wrappers):
    """Every field of every item with a wrong JSON type."""
    out = []
    for i, w in enumerate(wrappers):
        p = w["paper"]
        if i % 3 == 2:
            out.append({"paper": [p["id"]], "title": None})
            continue
        bad = {
            "id": float(p["id"]) if i % 2 else [p["id"]],
            "title": [p["title"]],
            "summary": 42,
            "authors": "Ada Lovelace",
            "publishedAt": 1781222400,
            "submittedOnDailyAt": [],
            "upvotes": "12",
            "githubRepo": 7,
            "githubStars": "9",
            "projectPage": {},
            "ai_summary": [],
            "ai_keywords": "kw",
            "organization": "org",
        }
        out.append({"paper": bad, "title": 5, "numComments": "2",
                    "thumbnail": 3, "submittedBy": "x", "publishedAt": False})
    return out


class ResilienceTest(PwTestCase):

    @classmethod
    def setUpClass(cls):
        cls.raw = harness.daily_bytes()
        cls.papers = harness.daily_papers()
        cls.up = cls.class_upstream()
        cls.up.serve_bytes(PATH, cls.raw)
        cls.d = cls.class_daemon([harness.hf_source(cls.up, days=1)])
        cls.base = cls.snapshot(cls.d)
        cls.base_rss = cls.rss_dates(cls.d)

    @staticmethod
    def snapshot(d):
        doc = d.json_feed("/feed.json?limit=500")
        return {it["id"]: {"title": it["title"],
                           "date_published": it["date_published"],
                           "first_seen_at": it["_paperwire"]["first_seen_at"],
                           "upvotes": it["_paperwire"]["upvotes"]}
                for it in doc["items"]}

    @staticmethod
    def rss_dates(d):
        f = feedparser.parse(d.feed("/feed.rss?limit=500"))
        return {e.id: e.published for e in f.entries}

    def assertIntact(self, upvotes_too=True):
        snap = self.snapshot(self.d)
        self.assertEqual(len(snap), 30)
        self.assertEqual(set(snap), {p.id for p in self.papers})
        for i, want in self.base.items():
            got = snap[i]
            self.assertEqual(got["title"], want["title"], i)
            self.assertEqual(got["date_published"], want["date_published"], i)
            self.assertEqual(got["first_seen_at"], want["first_seen_at"], i)
            if upvotes_too:
                self.assertEqual(got["upvotes"], want["upvotes"], i)
        self.assertEqual(self.rss_dates(self.d), self.base_rss)
        self.assertEqual(self.d.healthz()["entries"], 30)
        return snap

    def bad_poll(self, http_status=None):
        t = int(time.time())
        success_before = self.d.source_health("hf-daily")["last_success"]
        self.d.poll_now()
        s = self.d.source_health("hf-daily")
        self.assertIsInstance(s["last_error"], str, s)
        self.assertTrue(s["last_error"].strip(), s)
        self.assertGreaterEqual(s["failures"], 1, s)
        self.assertIsNotNone(s["last_failure"], s)
        self.assertGreaterEqual(
            harness.parse_rfc3339(s["last_failure"]).timestamp(), t - 1, s)
        self.assertEqual(s["last_success"], success_before, s)
        if http_status is not None:
            self.assertEqual(s["http_status"], http_status, s)
        self.assertIntact()
        return s

    # The steps.

    def test_00_baseline(self):
        self.assertEqual(len(self.base), 30)
        s = self.d.source_health("hf-daily")
        self.assertIsNone(s["last_error"])
        self.assertEqual(s["failures"], 0)

    def test_01_http_500(self):
        self.up.serve_status(PATH, 500, b"internal error\n")
        self.bad_poll(500)

    def test_02_malformed_json(self):
        bad = self.raw.replace(b'},{"paper":', b'},,{"paper":', 1)
        self.assertNotEqual(bad, self.raw)
        self.up.serve_bytes(PATH, bad)
        self.bad_poll(200)

    def test_03_truncated_document(self):
        self.up.serve_bytes(PATH, self.raw[:len(self.raw) // 2])
        self.bad_poll(200)

    def test_04_truncated_transfer(self):
        self.up.serve_truncated(PATH, self.raw[:len(self.raw) // 2],
                                len(self.raw))
        self.bad_poll()

    def test_05_object_not_array(self):
        self.up.serve_json(PATH, {"error": "Invalid date",
                                  "papers": harness.load_daily()})
        self.bad_poll(200)

    def test_06_wrong_types(self):
        self.up.serve_json(PATH, wrong_types(harness.load_daily()))
        self.bad_poll(200)

    def test_07_invalid_utf8(self):
        bad = self.raw.replace(b"On the Limits", b"On the \xff\xfeLimits")
        self.assertNotEqual(bad, self.raw)
        self.up.serve_bytes(PATH, bad)
        self.bad_poll(200)

    def test_08_huge_body(self):
        huge = self.up.serve_huge(PATH, 50 * MB)
        self.bad_poll()
        # The daemon stopped reading well before the end.
        self.assertLess(huge.sent, 50 * MB)

    def test_09_gzip_bomb(self):
        self.up.serve_huge(PATH, 50 * MB, gzip_encoded=True)
        self.bad_poll()

    def test_10_rate_limited(self):
        self.up.serve_429(PATH, retry_after=1)
        self.bad_poll(429)

    def test_11_slow_upstream_does_not_block_serving(self):
        # The fixture, dripped over about three seconds per request.
        self.up.serve_drip(PATH, self.raw, chunk=len(self.raw) // 30 + 1,
                           delay=0.1)
        need = self.d.trigger_poll()
        worst = 0.0
        done = threading.Event()
        deadline = time.time() + 20
        while time.time() < deadline:
            t = time.time()
            status, _, _ = self.d.get("/feed.json?limit=5")
            worst = max(worst, time.time() - t)
            self.assertEqual(status, 200)
            if self.d.polls()["hf-daily"] >= need["hf-daily"]:
                done.set()
                break
            time.sleep(0.1)
        self.assertTrue(done.is_set(), "the dripped poll did not finish")
        self.assertLess(worst, 1.0, "a feed request waited on the fetch")
        s = self.d.source_health("hf-daily")
        self.assertIsNone(s["last_error"], s)
        self.assertEqual(s["failures"], 0, s)
        self.assertIntact()

    def test_12_counter_update_keeps_id_and_date(self):
        data = harness.load_daily()
        target = data[7]["paper"]
        target["upvotes"] = target.get("upvotes", 0) + 500
        tid = "arxiv:" + target["id"]
        self.up.serve_json(PATH, data)
        self.d.poll_now()
        s = self.d.source_health("hf-daily")
        self.assertIsNone(s["last_error"], s)
        snap = self.assertIntact(upvotes_too=False)
        self.assertEqual(snap[tid]["upvotes"], target["upvotes"])
        self.assertNotEqual(snap[tid]["upvotes"], self.base[tid]["upvotes"])
        for i in snap:
            if i != tid:
                self.assertEqual(snap[i]["upvotes"], self.base[i]["upvotes"],
                                 i)
        # Later steps compare against the updated counters.
        type(self).base = snap

    def test_13_partial_list_removes_nothing(self):
        data = harness.load_daily()
        self.up.serve_json(PATH, data[:5])
        self.d.poll_now()
        s = self.d.source_health("hf-daily")
        self.assertIsNone(s["last_error"], s)
        self.assertIntact()

    def test_14_restart_keeps_entries(self):
        self.d.stop()
        self.d.start()
        self.assertIntact()

    def test_15_kill9_keeps_entries(self):
        self.d.kill9()
        self.d.start()
        self.assertIntact()


class UpstreamValidatorsTest(PwTestCase):
    """Validators the upstream gives are sent back, and a 304 is a
    successful poll that keeps everything."""

    def test_conditional_poll(self):
        up = self.upstream()
        etag = '"fixture-v1"'
        lm = "Fri, 12 Jun 2026 08:00:00 GMT"
        up.serve_bytes(PATH, harness.daily_bytes(),
                       headers={"ETag": etag, "Last-Modified": lm})
        d = self.daemon([harness.hf_source(up, days=0)])
        first = up.requests(PATH)
        self.assertEqual(len(first), 1)
        self.assertNotIn("if-none-match", first[0].headers)
        up.serve_status(PATH, 304, b"")
        d.poll_now()
        second = up.requests(PATH)[1:]
        self.assertEqual(len(second), 1)
        self.assertEqual(second[0].headers.get("if-none-match"), etag)
        self.assertEqual(second[0].headers.get("if-modified-since"), lm)
        s = d.source_health("hf-daily")
        self.assertIsNone(s["last_error"], s)
        self.assertEqual(s["failures"], 0, s)
        self.assertEqual(len(d.json_ids("/feed.json?limit=500")), 30)


if __name__ == "__main__":
    harness.main()
