"""Every filter parameter of /feed.{rss,atom,json}, with the expected ids
computed from the fixture in Python, plus the 400 answers for bad values.

Two sources feed the daemon: hf-daily (all 30 fixture papers, the first
10 of them served one poll earlier, so their first_seen_at is older) and
hf-trending (5 of the papers, listed from the start).
"""

import datetime
import time
import urllib.parse

import feedparser

import harness
from harness import PwTestCase


def qs(params):
    """A query string from a list of (key, value) pairs, %20 for spaces."""
    return urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


class FiltersTest(PwTestCase):

    @classmethod
    def setUpClass(cls):
        cls.papers = harness.daily_papers()
        cls.by_id = {p.id: p for p in cls.papers}
        wrappers = harness.load_daily()
        early = wrappers[:10]
        trending = wrappers[25:30]
        cls.early_ids = {"arxiv:" + w["paper"]["id"] for w in early + trending}
        cls.late_ids = set(cls.by_id) - cls.early_ids
        cls.trending_ids = {"arxiv:" + w["paper"]["id"] for w in trending}

        cls.up = cls.class_upstream()
        cls.up.serve_json("/api/daily_papers", early)
        cls.up.serve_json("/api/trending", trending)
        cls.d = cls.class_daemon([
            harness.hf_source(cls.up, days=1),
            harness.hf_source(cls.up, name="hf-trending", path="/api/trending",
                              days=1, sort="trending"),
        ])
        # first_seen_at has one-second resolution: make the second batch
        # visibly newer.
        time.sleep(1.2)
        cls.up.serve_file("/api/daily_papers",
                          harness.fixture_path(*harness.DAILY_FIXTURE))
        cls.d.poll_now()
        cls.today = harness.utc_today()

    # Helpers.

    def ids(self, params, fmt="json"):
        path = "/feed.%s?%s" % (fmt, qs(params)) if params else "/feed." + fmt
        return self.d.json_ids(path)

    def expect(self, params, pred, trivial_ok=False):
        want = {p.id for p in self.papers if pred(p)}
        if not trivial_ok:
            # A case that selects nothing or everything tests little.
            self.assertTrue(0 < len(want) < 30, "weak case %r: %d"
                            % (params, len(want)))
        got = self.ids(params)
        self.assertEqual(len(got), len(set(got)), "duplicates for %r" % params)
        self.assertEqual(set(got), want, "ids for %r" % (params,))
        return got

    def unambiguous(self, pred):
        """Guards a q case against the one thing the grammar leaves open:
        whether a phrase may span two ai_keywords."""
        a = {p.id for p in self.papers if pred(p, False)}
        b = {p.id for p in self.papers if pred(p, True)}
        self.assertEqual(a, b)
        return lambda p: pred(p, False)

    # Set-up sanity: both polls landed.

    def test_setup(self):
        h = self.d.healthz()
        self.assertEqual(h["entries"], 30)
        self.assertEqual(len(self.early_ids), 15)
        self.assertEqual(len(self.late_ids), 15)

    # q.

    def test_q_word(self):
        self.expect([("q", "memory")], self.unambiguous(
            lambda p, j: p.has_word("memory", j)))

    def test_q_case_insensitive(self):
        a = self.expect([("q", "MeMoRy")], self.unambiguous(
            lambda p, j: p.has_word("memory", j)))
        self.assertEqual(set(a), set(self.ids([("q", "memory")])))

    def test_q_whole_words(self):
        pred = self.unambiguous(lambda p, j: p.has_word("token", j))
        substring = {p.id for p in self.papers
                     if any("token" in f.lower() for f in p.fields())}
        self.assertNotEqual({p.id for p in self.papers if pred(p)}, substring)
        self.expect([("q", "token")], pred)

    def test_q_words_anded(self):
        self.expect([("q", "llm agent")], self.unambiguous(
            lambda p, j: p.has_word("llm", j) and p.has_word("agent", j)))

    def test_q_plus_as_space(self):
        want = {p.id for p in self.papers
                if p.has_word("llm") and p.has_word("agent")}
        got = self.d.json_ids("/feed.json?q=llm+agent")
        self.assertEqual(set(got), want)

    def test_q_repeated_is_anded(self):
        self.expect([("q", "llm"), ("q", "agent")], self.unambiguous(
            lambda p, j: p.has_word("llm", j) and p.has_word("agent", j)))

    def test_q_phrase(self):
        phrase = self.unambiguous(
            lambda p, j: p.has_phrase("large language models", j))
        words = {p.id for p in self.papers
                 if all(p.has_word(w)
                        for w in ("large", "language", "models"))}
        self.assertNotEqual({p.id for p in self.papers if phrase(p)}, words)
        self.expect([("q", '"large language models"')], phrase)

    def test_q_phrase_order_matters(self):
        self.expect([("q", '"sparse attention"')], self.unambiguous(
            lambda p, j: p.has_phrase("sparse attention", j)))
        self.expect([("q", '"attention sparse"')], lambda p: False,
                    trivial_ok=True)

    def test_q_exclude_word(self):
        self.expect([("q", "attention -sparse")], self.unambiguous(
            lambda p, j: p.has_word("attention", j)
            and not p.has_word("sparse", j)))

    def test_q_exclude_phrase(self):
        self.expect([("q", 'memory -"sparse attention"')], self.unambiguous(
            lambda p, j: p.has_word("memory", j)
            and not p.has_phrase("sparse attention", j)))

    def test_q_or(self):
        self.expect([("q", "diffusion OR video")], self.unambiguous(
            lambda p, j: p.has_word("diffusion", j) or p.has_word("video", j)))

    def test_q_or_binds_tighter_than_and(self):
        self.expect([("q", "diffusion OR video latent")], self.unambiguous(
            lambda p, j: (p.has_word("diffusion", j) or p.has_word("video", j))
            and p.has_word("latent", j)))

    def test_q_searches_ai_keywords(self):
        pred = self.unambiguous(lambda p, j: p.has_word("speedup", j))
        kw_only = [p for p in self.papers if pred(p)
                   and "speedup" not in harness.tokens(p.title + " "
                                                       + p.summary)]
        self.assertTrue(kw_only, "a paper has speedup only in ai_keywords")
        self.expect([("q", "speedup")], pred)

    def test_q_ignores_ai_summary(self):
        in_ai_summary = [p for p in self.papers if "hallucinations"
                         in harness.tokens(p.raw["paper"].get("ai_summary",
                                                              ""))]
        self.assertTrue(in_ai_summary)
        self.expect([("q", "hallucinations")],
                    lambda p: p.has_word("hallucinations"), trivial_ok=True)

    # title, author, keyword.

    def test_title(self):
        self.expect([("title", "agent")],
                    lambda p: harness.ci_contains(p.title, "agent"))

    def test_title_substring_case_insensitive(self):
        self.expect([("title", "LLM")],
                    lambda p: harness.ci_contains(p.title, "llm"))

    def test_title_repeated(self):
        self.expect([("title", "llm"), ("title", "agent")],
                    lambda p: harness.ci_contains(p.title, "llm")
                    and harness.ci_contains(p.title, "agent"))

    def test_author(self):
        self.expect([("author", "ZHANG")],
                    lambda p: any(harness.ci_contains(a, "zhang")
                                  for a in p.authors))

    def test_author_repeated(self):
        self.expect([("author", "chen"), ("author", "zhang")],
                    lambda p: any(harness.ci_contains(a, "chen")
                                  for a in p.authors)
                    and any(harness.ci_contains(a, "zhang")
                            for a in p.authors))

    def test_author_non_ascii(self):
        self.expect([("author", "Boglárka")],
                    lambda p: any("Boglárka" in a for a in p.authors))

    def test_author_hidden_not_matched(self):
        self.assertTrue(any("Dengyang Jiang" in p.hidden_authors
                            for p in self.papers))
        self.expect([("author", "dengyang")],
                    lambda p: any(harness.ci_contains(a, "dengyang")
                                  for a in p.authors), trivial_ok=True)

    def test_keyword_exact(self):
        pred = (lambda p: any(harness.ascii_lower(k) == "large language models"
                              for k in p.keywords))
        self.expect([("keyword", "large language models")], pred)
        self.expect([("keyword", "LARGE Language MODELS")], pred)

    def test_keyword_not_substring(self):
        sub = [p for p in self.papers
               if any("large language" in k.lower() for k in p.keywords)]
        self.assertTrue(sub)
        self.expect([("keyword", "large language")],
                    lambda p: any(harness.ascii_lower(k) == "large language"
                                  for k in p.keywords), trivial_ok=True)

    def test_keyword_single(self):
        self.expect([("keyword", "bertscore")],
                    lambda p: "bertscore" in
                    [harness.ascii_lower(k) for k in p.keywords])

    # Thresholds.

    def test_min_upvotes(self):
        for n, trivial in ((10, False), (118, False), (0, True), (119, True)):
            self.expect([("min_upvotes", str(n))],
                        lambda p, n=n: (p.upvotes or 0) >= n,
                        trivial_ok=trivial)

    def test_min_stars(self):
        for n in (1, 10, 100):
            self.expect([("min_stars", str(n))],
                        lambda p, n=n: (p.github_stars or 0) >= n)

    def test_min_comments(self):
        for n in (3, 4):
            self.expect([("min_comments", str(n))],
                        lambda p, n=n: (p.comments or 0) >= n)

    def test_has_code(self):
        self.expect([("has_code", "true")], lambda p: bool(p.github_repo))
        self.expect([("has_code", "false")], lambda p: not p.github_repo)

    def test_combined(self):
        self.expect([("q", "llm"), ("has_code", "true"),
                     ("min_upvotes", "2")],
                    lambda p: p.has_word("llm") and bool(p.github_repo)
                    and p.upvotes >= 2)

    # source.

    def test_source(self):
        self.expect([("source", "hf-trending")],
                    lambda p: p.id in self.trending_ids)
        self.expect([("source", "hf-daily")], lambda p: True,
                    trivial_ok=True)
        self.expect([("source", "hf-trending"), ("min_upvotes", "10")],
                    lambda p: p.id in self.trending_ids and p.upvotes >= 10)

    # since and days: every entry was first seen today.

    def test_since(self):
        day = datetime.timedelta(days=1)
        self.expect([("since", self.today.isoformat())], lambda p: True,
                    trivial_ok=True)
        self.expect([("since", "2000-01-01")], lambda p: True,
                    trivial_ok=True)
        self.expect([("since", (self.today + day).isoformat())],
                    lambda p: False, trivial_ok=True)

    def test_days(self):
        for n in ("1", "7", "3650"):
            self.expect([("days", n)], lambda p: True, trivial_ok=True)

    # sort and limit.

    def test_default_sort_newest_first_seen(self):
        for params in ([], [("sort", "first_seen")]):
            got = self.ids(params)
            self.assertEqual(len(got), 30)
            self.assertEqual(set(got[:15]), self.late_ids, params)
            self.assertEqual(set(got[15:]), self.early_ids, params)

    def test_limit(self):
        got = self.ids([("limit", "15")])
        self.assertEqual(set(got), self.late_ids)
        got = self.ids([("limit", "1")])
        self.assertEqual(len(got), 1)
        self.assertIn(got[0], self.late_ids)
        self.assertEqual(len(self.ids([("limit", "500")])), 30)

    def test_default_limit_is_50(self):
        # Only 30 entries exist; the default must not cut them.
        self.assertEqual(len(self.ids([])), 30)

    def test_sort_upvotes(self):
        got = self.ids([("sort", "upvotes")])
        self.assertEqual(set(got), set(self.by_id))
        ups = [self.by_id[i].upvotes for i in got]
        self.assertEqual(ups, sorted(ups, reverse=True))
        top = sorted(self.papers, key=lambda p: -p.upvotes)[:7]
        self.assertEqual(len({p.upvotes for p in top}), 7, "distinct top 7")
        self.assertEqual(self.ids([("sort", "upvotes"), ("limit", "7")]),
                         [p.id for p in top])

    def test_sort_upvotes_with_filter(self):
        got = self.ids([("sort", "upvotes"), ("has_code", "true"),
                        ("limit", "3")])
        top = sorted((p for p in self.papers if p.github_repo),
                     key=lambda p: -p.upvotes)[:3]
        self.assertEqual(got, [p.id for p in top])

    def test_sort_published(self):
        got = self.ids([("sort", "published")])
        self.assertEqual(set(got), set(self.by_id))
        pubs = [self.by_id[i].published for i in got]
        self.assertEqual(pubs, sorted(pubs, reverse=True))
        self.assertTrue(len(set(pubs)) < len(pubs), "the fixture has ties")
        self.assertTiesByIdConsistent(got, lambda i: self.by_id[i].published)
        latest = max(p.published for p in self.papers)
        top = self.ids([("sort", "published"), ("limit", "5")])
        self.assertEqual(len(top), 5)
        for i in top:
            self.assertEqual(self.by_id[i].published, latest, i)

    def assertTiesByIdConsistent(self, ids, key):
        directions = set()
        for a, b in zip(ids, ids[1:]):
            if key(a) == key(b):
                directions.add(a < b)
        self.assertLessEqual(len(directions), 1,
                             "ties not broken by id consistently: %r" % ids)

    def test_order_is_deterministic(self):
        for params in ([("sort", "published")], [("sort", "upvotes")], []):
            self.assertEqual(self.ids(params), self.ids(params))

    def test_other_formats_same_ids(self):
        params = [("q", "llm"), ("sort", "upvotes")]
        want = self.ids(params)
        self.assertTrue(len(want) > 1)
        rss = feedparser.parse(self.d.feed("/feed.rss?" + qs(params)))
        self.assertEqual(rss.bozo, 0, rss.get("bozo_exception"))
        self.assertEqual([e.id for e in rss.entries], want)
        atom = feedparser.parse(self.d.feed("/feed.atom?" + qs(params)))
        self.assertEqual(atom.bozo, 0, atom.get("bozo_exception"))
        self.assertEqual(["arxiv:" + e.id.rsplit("/", 1)[1]
                          for e in atom.entries], want)

    # Empty results are valid feeds.

    def test_no_match_is_empty_feed(self):
        q = "q=zzzzqqqqxxxx"
        for fmt, version in (("rss", "rss20"), ("atom", "atom10")):
            status, headers, body = self.d.get("/feed.%s?%s" % (fmt, q))
            self.assertEqual(status, 200, fmt)
            f = feedparser.parse(body)
            self.assertEqual(f.bozo, 0, "%s: %r" % (fmt,
                                                    f.get("bozo_exception")))
            self.assertEqual(f.version, version)
            self.assertEqual(len(f.entries), 0, fmt)
        doc = self.d.json_feed("/feed.json?" + q)
        self.assertEqual(doc["version"], "https://jsonfeed.org/version/1.1")
        self.assertEqual(doc["items"], [])

    # Bad values: 400 naming the parameter.

    BAD = [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=-1", "limit"),
        ("limit=abc", "limit"),
        ("limit=99999999999999999999", "limit"),
        ("limit=5&limit=6", "limit"),
        ("limit=", "limit"),
        ("min_upvotes=1.5", "min_upvotes"),
        ("min_upvotes=-1", "min_upvotes"),
        ("min_upvotes=1000000001", "min_upvotes"),
        ("min_stars=abc", "min_stars"),
        ("min_comments=10x", "min_comments"),
        ("has_code=maybe", "has_code"),
        ("since=2026-13-01", "since"),
        ("since=2026-02-30", "since"),
        ("since=yesterday", "since"),
        ("days=0", "days"),
        ("days=3651", "days"),
        ("days=x", "days"),
        ("sort=random", "sort"),
        ("foo=1", "foo"),
        ("q=abc%00def", "q"),
        ("title=%00", "title"),
        ("q=%ff", "q"),
        ("author=%ff%fe", "author"),
        ("keyword=%c3", "keyword"),
        ("q=" + "a" * 600, "q"),
        ("q=" + "%20".join("w%d" % i for i in range(40)), "q"),
    ]

    def test_bad_values(self):
        for query, param in self.BAD:
            with self.subTest(query=query[:60]):
                self.assertBadRequest(self.d, "/feed.json?" + query, param)

    def test_bad_values_other_formats(self):
        for fmt in ("rss", "atom"):
            self.assertBadRequest(self.d, "/feed.%s?limit=0" % fmt, "limit")
            self.assertBadRequest(self.d, "/feed.%s?foo=1" % fmt, "foo")

    def test_huge_q(self):
        self.assertBadRequest(self.d, "/feed.json?q=" + "a" * 65536, "q")
        # Still serving afterwards.
        self.assertEqual(len(self.ids([])), 30)


if __name__ == "__main__":
    harness.main()
