"""The three feed formats after the first poll, named feeds, and what the
daemon asks the upstream for."""

import copy
import datetime
import json
import time
import xml.etree.ElementTree as ET

import feedparser

import harness
from harness import PwTestCase

NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "atom": "http://www.w3.org/2005/Atom",
}
A = "{http://www.w3.org/2005/Atom}"


def norm_ctype(v):
    return (v or "").replace(" ", "").lower()


class FeedsTest(PwTestCase):

    @classmethod
    def setUpClass(cls):
        cls.papers = harness.daily_papers()
        cls.by_id = {p.id: p for p in cls.papers}
        cls.up = cls.class_upstream()
        cls.up.serve_file("/api/daily_papers",
                          harness.fixture_path(*harness.DAILY_FIXTURE))
        cls.today0 = harness.utc_today()
        cls.t0 = time.time()
        cls.d = cls.class_daemon(
            [harness.hf_source(cls.up, days=3)],
            feeds=[{"name": "hot", "title": "Hot papers",
                    "filter": {"min_upvotes": 10}}])
        cls.t1 = time.time()
        cls.today1 = harness.utc_today()

    def assertDateInPollWindow(self, ts, what):
        # first_seen_at is the time of the start-up poll, which happened
        # between t0 and t1; feeds carry whole seconds.
        self.assertGreaterEqual(ts, int(self.t0) - 1, what)
        self.assertLessEqual(ts, self.t1 + 1, what)

    # What was asked of the upstream.

    def test_upstream_requests(self):
        reqs = self.up.requests("/api/daily_papers")
        self.assertEqual(len(reqs), 4, "one request per list date: %r" % reqs)
        dates = sorted(r.query.get("date", "") for r in reqs)
        want = [sorted((t - datetime.timedelta(days=k)).isoformat()
                       for k in range(4))
                for t in {self.today0, self.today1}]
        self.assertIn(dates, want)
        for r in reqs:
            self.assertEqual(r.method, "GET")
            self.assertEqual(r.query.get("limit"), "100", r.raw_path)
            self.assertEqual(r.query.get("p"), "0", r.raw_path)
            self.assertNotIn("sort", r.query, r.raw_path)
            self.assertTrue(r.headers.get("user-agent", "")
                            .startswith("paperwire/"),
                            "User-Agent %r" % r.headers.get("user-agent"))

    def test_dedup_across_dates(self):
        # The same 30 papers were served for all four dates.
        h = self.d.healthz()
        self.assertEqual(h["entries"], 30)
        self.assertEqual(h["sources"][0]["entries"], 30)
        ids = self.d.json_ids("/feed.json?limit=500")
        self.assertEqual(len(ids), 30)
        self.assertEqual(len(set(ids)), 30)

    # RSS 2.0.

    def test_rss(self):
        status, headers, body = self.d.get("/feed.rss")
        self.assertEqual(status, 200)
        self.assertEqual(norm_ctype(headers.get("Content-Type")),
                         "application/rss+xml;charset=utf-8")
        f = feedparser.parse(body)
        self.assertEqual(f.bozo, 0, f.get("bozo_exception"))
        self.assertEqual(f.version, "rss20")
        self.assertEqual(len(f.entries), 30)
        self.assertEqual({e.id for e in f.entries}, set(self.by_id))
        for e in f.entries:
            p = self.by_id[e.id]
            self.assertEqual(e.title, p.title, e.id)
            self.assertEqual(e.link, p.link, e.id)
            self.assertIsNotNone(e.get("published_parsed"), e.id)
            ts = harness.parse_http_date(e.published)
            self.assertDateInPollWindow(ts, e.id)

        root = ET.fromstring(body)
        self.assertEqual(root.tag, "rss")
        self.assertEqual(root.get("version"), "2.0")
        chan = root.find("channel")
        selfs = [l for l in chan.findall("atom:link", NS)
                 if l.get("rel") == "self"]
        self.assertEqual(len(selfs), 1)
        self.assertEqual(selfs[0].get("href"), self.d.url("/feed.rss"))
        items = chan.findall("item")
        self.assertEqual(len(items), 30)
        for it in items:
            guid = it.find("guid")
            p = self.by_id[guid.text]
            self.assertEqual(guid.get("isPermaLink"), "false", guid.text)
            creators = [c.text for c in it.findall("dc:creator", NS)]
            self.assertEqual(creators, p.feed_authors, p.id)
            pub = it.findtext("pubDate")
            self.assertRegex(pub, r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d "
                             r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|"
                             r"Dec) \d{4} \d\d:\d\d:\d\d (GMT|[+-]0000)$")

    def test_rss_hidden_author_dropped(self):
        hidden = [p for p in self.papers if p.hidden_authors]
        self.assertTrue(hidden, "fixture has a hidden author")
        root = ET.fromstring(self.d.feed("/feed.rss"))
        for it in root.find("channel").findall("item"):
            names = [c.text for c in it.findall("dc:creator", NS)]
            for p in hidden:
                if it.findtext("guid") == p.id:
                    for h in p.hidden_authors:
                        self.assertNotIn(h, names)

    # Atom 1.0.

    def test_atom(self):
        status, headers, body = self.d.get("/feed.atom")
        self.assertEqual(status, 200)
        self.assertEqual(norm_ctype(headers.get("Content-Type")),
                         "application/atom+xml;charset=utf-8")
        f = feedparser.parse(body)
        self.assertEqual(f.bozo, 0, f.get("bozo_exception"))
        self.assertEqual(f.version, "atom10")
        self.assertEqual(len(f.entries), 30)
        by_atom = {p.atom_id: p for p in self.papers}
        self.assertEqual({e.id for e in f.entries}, set(by_atom))
        for e in f.entries:
            p = by_atom[e.id]
            self.assertEqual(e.title, p.title, e.id)
            self.assertEqual(e.link, p.link, e.id)
            self.assertIsNotNone(e.get("updated_parsed"), e.id)

        root = ET.fromstring(body)
        self.assertEqual(root.tag, A + "feed")
        selfs = [l for l in root.findall(A + "link") if l.get("rel") == "self"]
        self.assertEqual(len(selfs), 1)
        self.assertEqual(selfs[0].get("href"), self.d.url("/feed.atom"))
        harness.parse_rfc3339(root.findtext(A + "updated"))
        entries = root.findall(A + "entry")
        self.assertEqual(len(entries), 30)
        for en in entries:
            p = by_atom[en.findtext(A + "id")]
            names = [a.findtext(A + "name") for a in en.findall(A + "author")]
            self.assertEqual(names, p.feed_authors, p.id)
            upd = harness.parse_rfc3339(en.findtext(A + "updated"))
            self.assertDateInPollWindow(upd.timestamp(), p.id)
            alt = [l.get("href") for l in en.findall(A + "link")
                   if l.get("rel", "alternate") == "alternate"]
            self.assertEqual(alt, [p.link], p.id)

    # JSON Feed 1.1.

    def test_json(self):
        status, headers, body = self.d.get("/feed.json")
        self.assertEqual(status, 200)
        self.assertEqual(norm_ctype(headers.get("Content-Type")),
                         "application/feed+json;charset=utf-8")
        doc = json.loads(body.decode("utf-8"))
        self.assertEqual(doc["version"], "https://jsonfeed.org/version/1.1")
        self.assertIsInstance(doc["title"], str)
        self.assertEqual(doc["feed_url"], self.d.url("/feed.json"))
        items = doc["items"]
        self.assertEqual(len(items), 30)
        self.assertEqual({it["id"] for it in items}, set(self.by_id))
        for it in items:
            p = self.by_id[it["id"]]
            self.assertEqual(it["title"], p.title, p.id)
            self.assertEqual(it["url"], p.link, p.id)
            self.assertEqual([a["name"] for a in it["authors"]],
                             p.feed_authors, p.id)
            self.assertTrue(it.get("content_html") or it.get("content_text"),
                            p.id)
            ts = harness.parse_rfc3339(it["date_published"]).timestamp()
            self.assertDateInPollWindow(ts, p.id)
            pw = it["_paperwire"]
            self.assertEqual(pw["upvotes"], p.upvotes, p.id)
            self.assertEqual(pw["comments"], p.comments, p.id)
            self.assertEqual(pw.get("github_repo"), p.github_repo, p.id)
            self.assertEqual(pw.get("github_stars"), p.github_stars, p.id)
            self.assertEqual(pw["sources"], ["hf-daily"], p.id)
            fs = harness.parse_rfc3339(pw["first_seen_at"]).timestamp()
            self.assertDateInPollWindow(fs, p.id)

    def test_formats_agree(self):
        rss = feedparser.parse(self.d.feed("/feed.rss"))
        atom = feedparser.parse(self.d.feed("/feed.atom"))
        js = self.d.json_ids("/feed.json")
        self.assertEqual([e.id for e in rss.entries], js)
        self.assertEqual([e.id.replace("https://arxiv.org/abs/", "arxiv:")
                          for e in atom.entries], js)

    def test_self_link_keeps_query(self):
        path = "/feed.rss?min_upvotes=10"
        root = ET.fromstring(self.d.feed(path))
        selfs = [l.get("href") for l in root.find("channel")
                 .findall("atom:link", NS) if l.get("rel") == "self"]
        self.assertEqual(selfs, [self.d.url(path)])

    # Named feeds.

    def test_named_feed(self):
        hot = {p.atom_id for p in self.papers if p.upvotes >= 10}
        self.assertTrue(0 < len(hot) < 30)
        status, headers, body = self.d.get("/feeds/hot.atom")
        self.assertEqual(status, 200)
        self.assertEqual(norm_ctype(headers.get("Content-Type")),
                         "application/atom+xml;charset=utf-8")
        f = feedparser.parse(body)
        self.assertEqual(f.bozo, 0, f.get("bozo_exception"))
        self.assertEqual(f.feed.title, "Hot papers")
        self.assertEqual({e.id for e in f.entries}, hot)
        self.assertEqual(len(f.entries), len(hot))
        root = ET.fromstring(body)
        selfs = [l.get("href") for l in root.findall(A + "link")
                 if l.get("rel") == "self"]
        self.assertEqual(selfs, [self.d.url("/feeds/hot.atom")])

    def test_named_feed_other_formats(self):
        hot = {p.id for p in self.papers if p.upvotes >= 10}
        f = feedparser.parse(self.d.feed("/feeds/hot.rss"))
        self.assertEqual(f.bozo, 0, f.get("bozo_exception"))
        self.assertEqual({e.id for e in f.entries}, hot)
        self.assertEqual(set(self.d.json_ids("/feeds/hot.json")), hot)

    def test_named_feed_narrowed_by_query(self):
        want = {p.atom_id for p in self.papers
                if p.upvotes >= 10 and p.github_repo}
        self.assertTrue(0 < len(want) < len([p for p in self.papers
                                             if p.upvotes >= 10]))
        f = feedparser.parse(self.d.feed("/feeds/hot.atom?has_code=true"))
        self.assertEqual(f.bozo, 0, f.get("bozo_exception"))
        self.assertEqual({e.id for e in f.entries}, want)
        # A query cannot widen the feed's own filter.
        ids = set(self.d.json_ids("/feeds/hot.json?min_upvotes=0"))
        self.assertEqual(ids, {p.id for p in self.papers if p.upvotes >= 10})

    def test_unknown_feeds_404(self):
        for path in ("/feeds/nope.rss", "/feeds/nope.atom", "/feeds/nope.json",
                     "/feeds/hot.xml", "/feeds/hot", "/feed.xml"):
            status, _, _ = self.d.get(path)
            self.assertEqual(status, 404, path)


def synthetic_wrappers(n, start):
    """n distinct wrappers derived from the fixture (ids 2699.<start+i>)."""
    base = harness.load_daily()
    out = []
    for i in range(n):
        w = copy.deepcopy(base[i % len(base)])
        w["paper"]["id"] = "2699.%05d" % (start + i)
        w["paper"]["title"] = "%s (variant %d)" % (w["paper"]["title"],
                                                    start + i)
        w["title"] = w["paper"]["title"]
        out.append(w)
    return out


class PagingTest(PwTestCase):
    """A full page (100 items) makes the daemon ask for the next page."""

    def test_paging(self):
        page0 = synthetic_wrappers(100, 0)
        page1 = synthetic_wrappers(7, 100)
        bodies = {"0": json.dumps(page0).encode(),
                  "1": json.dumps(page1).encode()}

        def respond(handler, req):
            body = bodies.get(req.query.get("p"), b"[]")
            harness.Respond(body)(handler, req)

        up = self.upstream()
        up.set("/api/daily_papers", respond)
        today = harness.utc_today()
        d = self.daemon([harness.hf_source(up, days=1)])
        reqs = up.requests("/api/daily_papers")
        got = sorted((r.query.get("date"), r.query.get("p")) for r in reqs)
        dates = [(today - datetime.timedelta(days=k)).isoformat()
                 for k in range(2)]
        self.assertEqual(got, sorted((dt, p) for dt in dates
                                     for p in ("0", "1")))
        for r in reqs:
            self.assertEqual(r.query.get("limit"), "100", r.raw_path)
        want = {"arxiv:" + w["paper"]["id"] for w in page0 + page1}
        self.assertEqual(d.healthz()["entries"], 107)
        self.assertEqual(set(d.json_ids("/feed.json?limit=500")), want)

    def test_trending_is_one_listing(self):
        # sort=trending is a single listing, not one per date.
        up = self.upstream()
        up.serve_bytes("/api/daily_papers", harness.daily_bytes())
        d = self.daemon([harness.hf_source(up, days=3, sort="trending")])
        reqs = up.requests("/api/daily_papers")
        self.assertEqual(len(reqs), 1, reqs)
        self.assertEqual(reqs[0].query, {"sort": "trending", "limit": "100",
                                         "p": "0"})
        self.assertEqual(d.healthz()["entries"], 30)


NASTY_TITLES = [
    "Attention <b>Is</b> All & You \"Need\" ]]> 'x' &amp;",
    "Emoji \U0001F680 and RTL \u05e2\u05d1\u05e8\u05d9\u05ea and CJK "
    "\u6ce8\u610f\u529b",
    "Ctrl\u0001chars\u0008gone\u007f and\u0085C1\ufffe dropped",
    "  Lots\tof\n\n white \u00a0 space  ",
]


class NastyStringsTest(PwTestCase):
    """Markup, control characters and non-ASCII from the upstream come out
    as well-formed feeds carrying the cleaned text."""

    def test_nasty_strings(self):
        data = harness.load_daily()[:len(NASTY_TITLES)]
        for w, title in zip(data, NASTY_TITLES):
            w["paper"]["title"] = title
            w["title"] = title
            w["paper"]["summary"] = "<script>alert(1)</script> " + title
        data[0]["paper"]["authors"] = [
            {"name": "Zo\u00eb <i>\u00c5gren</i> & co", "hidden": False}]
        up = self.upstream()
        up.serve_json("/api/daily_papers", data)
        d = self.daemon([harness.hf_source(up, days=0)])
        papers = {p.id: p for p in (harness.Paper(w) for w in data)}
        # The expectation helper itself, checked by eye.
        self.assertEqual(papers["arxiv:" + data[2]["paper"]["id"]].title,
                         "Ctrlcharsgone andC1 dropped")

        body = d.feed("/feed.rss")
        f = feedparser.parse(body)
        self.assertEqual(f.bozo, 0, f.get("bozo_exception"))
        root = ET.fromstring(body)
        items = root.find("channel").findall("item")
        self.assertEqual(len(items), len(data))
        for it in items:
            p = papers[it.findtext("guid")]
            self.assertEqual(it.findtext("title"), p.title)
            self.assertEqual([c.text for c in it.findall("dc:creator", NS)],
                             p.feed_authors)

        body = d.feed("/feed.atom")
        f = feedparser.parse(body)
        self.assertEqual(f.bozo, 0, f.get("bozo_exception"))
        by_atom = {p.atom_id: p for p in papers.values()}
        root = ET.fromstring(body)
        for en in root.findall(A + "entry"):
            p = by_atom[en.findtext(A + "id")]
            t = en.find(A + "title")
            self.assertIn(t.get("type", "text"), ("text",))
            self.assertEqual(t.text, p.title)
            self.assertEqual([a.findtext(A + "name")
                              for a in en.findall(A + "author")],
                             p.feed_authors)

        doc = json.loads(d.feed("/feed.json"))
        for it in doc["items"]:
            p = papers[it["id"]]
            self.assertEqual(it["title"], p.title)
            self.assertEqual([a["name"] for a in it["authors"]],
                             p.feed_authors)
            if "content_html" in it:
                self.assertNotIn("<script>", it["content_html"])


if __name__ == "__main__":
    harness.main()
