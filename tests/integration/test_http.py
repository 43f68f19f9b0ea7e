"""HTTP behaviour of the feed server: validators and 304, gzip, HEAD,
/healthz, 404 and 405."""

import email.utils
import gzip
import json
import time

import harness
from harness import PwTestCase

FEEDS = ["/feed.rss", "/feed.atom", "/feed.json", "/feeds/hot.rss",
         "/feeds/hot.atom", "/feeds/hot.json", "/feed.json?q=llm&limit=5",
         "/feed.rss?has_code=true"]


class HttpTest(PwTestCase):

    @classmethod
    def setUpClass(cls):
        cls.up = cls.class_upstream()
        cls.up.serve_file("/api/daily_papers",
                          harness.fixture_path(*harness.DAILY_FIXTURE))
        cls.t0 = time.time()
        cls.d = cls.class_daemon(
            [harness.hf_source(cls.up, days=1)],
            feeds=[{"name": "hot", "title": "Hot papers",
                    "filter": {"min_upvotes": 10}}])
        cls.t1 = time.time()

    def test_validators_on_every_feed(self):
        for path in FEEDS:
            with self.subTest(path=path):
                status, h, body = self.d.get(path)
                self.assertEqual(status, 200)
                etag = h.get("ETag")
                self.assertRegex(etag or "", r'^(W/)?"[!#-~]+"$')
                lm = h.get("Last-Modified")
                self.assertIsNotNone(lm)
                ts = harness.parse_http_date(lm)
                # The newest change is the start-up poll.
                self.assertGreaterEqual(ts, int(self.t0) - 1)
                self.assertLessEqual(ts, self.t1 + 1)
                self.assertEqual(int(h.get("Content-Length")), len(body))

    def test_etags_differ_between_documents(self):
        tags = {}
        for path in FEEDS:
            _, h, _ = self.d.get(path)
            tags[path] = h.get("ETag")
        self.assertEqual(len(set(tags.values())), len(FEEDS), tags)

    def test_etag_stable(self):
        for path in FEEDS[:3]:
            _, h1, b1 = self.d.get(path)
            _, h2, b2 = self.d.get(path)
            self.assertEqual(h1.get("ETag"), h2.get("ETag"), path)
            self.assertEqual(b1, b2, path)

    def test_if_none_match(self):
        for path in FEEDS:
            with self.subTest(path=path):
                _, h, _ = self.d.get(path)
                etag = h.get("ETag")
                status, h2, body = self.d.get(path,
                                              {"If-None-Match": etag})
                self.assertEqual(status, 304)
                self.assertEqual(body, b"")
                self.assertEqual(h2.get("ETag"), etag)
                # A list holding the tag matches too.
                status, _, _ = self.d.get(
                    path, {"If-None-Match": '"nope", %s' % etag})
                self.assertEqual(status, 304)
                status, _, body = self.d.get(path, {"If-None-Match": '"nope"'})
                self.assertEqual(status, 200)
                self.assertTrue(body)

    def test_if_modified_since(self):
        for path in FEEDS:
            with self.subTest(path=path):
                _, h, _ = self.d.get(path)
                lm = h.get("Last-Modified")
                status, _, body = self.d.get(path, {"If-Modified-Since": lm})
                self.assertEqual(status, 304)
                self.assertEqual(body, b"")
                older = email.utils.formatdate(
                    harness.parse_http_date(lm) - 3600, usegmt=True)
                status, _, body = self.d.get(path,
                                             {"If-Modified-Since": older})
                self.assertEqual(status, 200)
                self.assertTrue(body)

    def test_if_none_match_wins_over_if_modified_since(self):
        _, h, _ = self.d.get("/feed.atom")
        status, _, _ = self.d.get("/feed.atom", {
            "If-None-Match": '"other"',
            "If-Modified-Since": h.get("Last-Modified")})
        self.assertEqual(status, 200)

    def test_gzip(self):
        for path in FEEDS:
            with self.subTest(path=path):
                _, plain_h, plain = self.d.get(path)
                self.assertIsNone(plain_h.get("Content-Encoding"))
                status, h, body = self.d.get(path,
                                             {"Accept-Encoding": "gzip"})
                self.assertEqual(status, 200)
                self.assertEqual(h.get("Content-Encoding"), "gzip")
                self.assertEqual(int(h.get("Content-Length")), len(body))
                self.assertEqual(gzip.decompress(body), plain)
                self.assertLess(len(body), len(plain))
                self.assertIn("accept-encoding",
                              (h.get("Vary") or "").lower())

    def test_gzip_with_qvalues(self):
        _, _, plain = self.d.get("/feed.json")
        status, h, body = self.d.get(
            "/feed.json", {"Accept-Encoding": "deflate, gzip;q=0.8, br"})
        self.assertEqual(h.get("Content-Encoding"), "gzip")
        self.assertEqual(gzip.decompress(body), plain)
        status, h, body = self.d.get("/feed.json",
                                     {"Accept-Encoding": "gzip;q=0"})
        self.assertIsNone(h.get("Content-Encoding"))
        self.assertEqual(body, plain)

    def test_gzip_304(self):
        _, h, _ = self.d.get("/feed.rss", {"Accept-Encoding": "gzip"})
        status, _, body = self.d.get("/feed.rss", {
            "Accept-Encoding": "gzip", "If-None-Match": h.get("ETag")})
        self.assertEqual(status, 304)
        self.assertEqual(body, b"")

    def test_head(self):
        for path in FEEDS[:3] + ["/healthz"]:
            with self.subTest(path=path):
                status, gh, gbody = self.d.get(path)
                raw = self.d.raw(("HEAD %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                  "Connection: close\r\n\r\n" % path)
                                 .encode())
                head, sep, rest = raw.partition(b"\r\n\r\n")
                self.assertEqual(sep, b"\r\n\r\n", raw[:200])
                self.assertRegex(head.split(b"\r\n")[0],
                                 rb"^HTTP/1\.[01] 200 ")
                self.assertEqual(rest, b"", "HEAD sent a body")
                hdrs = {}
                for line in head.split(b"\r\n")[1:]:
                    k, _, v = line.decode("latin-1").partition(":")
                    hdrs[k.strip().lower()] = v.strip()
                self.assertEqual(hdrs.get("content-type"),
                                 gh.get("Content-Type"))
                if path != "/healthz":
                    self.assertEqual(hdrs.get("etag"), gh.get("ETag"))
                if "content-length" in hdrs:
                    self.assertEqual(int(hdrs["content-length"]), len(gbody))

    def test_healthz(self):
        status, h, body = self.d.get("/healthz")
        self.assertEqual(status, 200)
        self.assertTrue(h.get("Content-Type", "").startswith(
            "application/json"))
        doc = json.loads(body)
        self.assertEqual(doc["status"], "ok")
        self.assertEqual(doc["version"], "0.1.0")
        self.assertEqual(doc["entries"], 30)
        self.assertEqual(len(doc["sources"]), 1)
        s = doc["sources"][0]
        self.assertEqual(s["name"], "hf-daily")
        self.assertEqual(s["type"], "hf_daily")
        self.assertGreaterEqual(s["polls"], 1)
        self.assertEqual(s["entries"], 30)
        self.assertIsNone(s["last_error"])
        self.assertEqual(s["failures"], 0)
        self.assertEqual(s["http_status"], 200)
        for key in ("last_attempt", "last_success"):
            ts = harness.parse_rfc3339(s[key]).timestamp()
            self.assertGreaterEqual(ts, int(self.t0) - 1, key)
            self.assertLessEqual(ts, self.t1 + 1, key)
        nxt = harness.parse_rfc3339(s["next_poll"]).timestamp()
        # interval 3600 after the start-up poll
        self.assertGreater(nxt, self.t1 + 3000)
        self.assertLess(nxt, self.t1 + 3700)

    def test_unknown_paths_404(self):
        for path in ("/nope", "/feed", "/feed.", "/feeds/", "/feeds/x/y.rss",
                     "/feed.rss/extra", "/%2e%2e/etc/passwd"):
            with self.subTest(path=path):
                status, _, _ = self.d.get(path)
                self.assertEqual(status, 404)

    def test_post_405(self):
        for path in ("/feed.rss", "/feeds/hot.atom", "/healthz"):
            with self.subTest(path=path):
                status, h, _ = self.d.request("POST", path, body=b"x=1",
                                              headers={"Content-Type":
                                                       "application/x-www-"
                                                       "form-urlencoded"})
                self.assertEqual(status, 405)
                allow = (h.get("Allow") or "").upper()
                self.assertIn("GET", allow)
                self.assertIn("HEAD", allow)
        status, _, _ = self.d.request("DELETE", "/feed.json")
        self.assertEqual(status, 405)



    def test_malformed_requests_do_not_hurt(self):
        get = b"GET /feed.rss HTTP/1.1\r\n"
        for raw in (b"GARBAGE\r\n\r\n",
                    b"GET /feed.rss HTTP/9.9\r\n\r\n",
                    get + b"Host: x\r\nBad header\r\n\r\n",
                    get + b"X: " + b"a" * 140000 + b"\r\n\r\n",  # over CAP_HTTP_HEADERS_BYTES
                    b"\x00\xff" * 100 + b"\r\n\r\n"):
            with self.subTest(raw=raw[:40]):
                resp = self.d.raw(raw)
                if resp:
                    self.assertRegex(resp.split(b"\r\n")[0],
                                     rb"^HTTP/1\.[01] (400|413|414|431|505) ")
                status, _, _ = self.d.get("/healthz")
                self.assertEqual(status, 200)

    def test_concurrent_clients(self):
        import concurrent.futures
        _, _, want = self.d.get("/feed.atom")

        def fetch(i):
            path = "/feed.atom" if i % 2 else "/feed.json?q=llm"
            return path, self.d.get(path)

        with concurrent.futures.ThreadPoolExecutor(16) as ex:
            results = list(ex.map(fetch, range(64)))
        for path, (status, _, body) in results:
            self.assertEqual(status, 200, path)
            if path == "/feed.atom":
                self.assertEqual(body, want)

class HttpUpdateTest(PwTestCase):
    """Validators follow the data: its own daemon, since it changes it."""

    def test_validators_change_after_update(self):
        up = self.upstream()
        up.serve_file("/api/daily_papers",
                      harness.fixture_path(*harness.DAILY_FIXTURE))
        self.d = self.daemon([harness.hf_source(up, days=1)])
        self.up = up
        # A changed upvote count must change the ETag of /feed.json (its
        # _paperwire block shows upvotes).
        _, h1, _ = self.d.get("/feed.json")
        data = harness.load_daily()
        data[0]["paper"]["upvotes"] = 4242
        self.up.serve_json("/api/daily_papers", data)
        time.sleep(1.1)  # Last-Modified has one-second resolution
        self.d.poll_now()
        status, h2, body = self.d.get("/feed.json",
                                      {"If-None-Match": h1.get("ETag")})
        self.assertEqual(status, 200)
        self.assertNotEqual(h2.get("ETag"), h1.get("ETag"))
        self.assertGreater(harness.parse_http_date(h2.get("Last-Modified")),
                           harness.parse_http_date(h1.get("Last-Modified")))
        ups = {it["id"]: it["_paperwire"]["upvotes"]
               for it in json.loads(body)["items"]}
        self.assertEqual(ups["arxiv:" + data[0]["paper"]["id"]], 4242)


if __name__ == "__main__":
    harness.main()
