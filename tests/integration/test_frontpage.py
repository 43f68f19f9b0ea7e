"""The front page in a real browser: headless Chromium (Debian's chromium
package) driven over the DevTools protocol (cdp.py). The feed list
renders with the right counts and links, the filter builder composes a
URL whose feed holds exactly the expected entries (computed here from the
fixture), its preview shows the first of them, a bad value shows the
server's message, and nothing on the page breaks its Content-Security-
Policy. Without JavaScript the list is plain HTML.

Set PAPERWIRE_SCREENSHOT=path/to/file.png to keep a screenshot of the
page with the builder filled in (docs/frontpage.png is made that way).
"""

import html.parser
import json
import os
import urllib.parse

import cdp
import harness
from harness import PwTestCase

FEEDS = [
    {"name": "hot", "title": "Hot papers", "description": "10+ upvotes",
     "filter": {"min_upvotes": 10}},
    {"name": "with-code", "title": "Papers with code",
     "filter": {"has_code": True}},
]


def by_upvotes(papers):
    """sort=upvotes: upvotes first, then first seen (one poll: all the
    same), then id."""
    return sorted(papers, key=lambda p: (-(p.upvotes or 0), p.id))


class _PageParser(html.parser.HTMLParser):
    """What the page says without running its script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.alternates = []
        self.rows = []
        self.hidden_sections = []
        self.noscript = False
        self._in_feeds = False
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append((a.get("type"), a.get("href")))
        if tag == "section":
            self._in_feeds = a.get("id") == "feeds"
            if "hidden" in a:
                self.hidden_sections.append(a.get("id"))
        if tag == "noscript":
            self.noscript = True
        if self._in_feeds and tag == "tr":
            self._row = {"cells": [], "links": []}
        if self._row is not None and tag == "td":
            self._cell = ""
        if self._row is not None and tag == "a":
            self._row["links"].append(a.get("href"))

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag == "td" and self._row is not None and self._cell is not None:
            self._row["cells"].append(self._cell.strip())
            self._cell = None
        if tag == "tr" and self._row is not None:
            if self._row["cells"]:
                self.rows.append(self._row)
            self._row = None
        if tag == "section":
            self._in_feeds = False


class FrontPageTest(PwTestCase):

    @classmethod
    def setUpClass(cls):
        cls.up = cls.class_upstream()
        cls.up.serve_file("/api/daily_papers",
                          harness.fixture_path(*harness.DAILY_FIXTURE))
        cls.d = cls.class_daemon([harness.hf_source(cls.up, days=0)],
                                 feeds=FEEDS)
        cls.papers = harness.daily_papers()
        cls.browser = cdp.Browser()
        cls.addClassCleanup(cls.browser.close)
        cls.page = cls.browser.page()

    def setUp(self):
        self.page.navigate(self.d.url("/"))
        self.page.events = []
        self.page.wait_for("!document.getElementById('builder').hidden")

    # Helpers.

    def fill(self, fields, selects=None):
        """Types text into the builder's fields (focus, then real text
        input events) and picks options in its selects."""
        self.page.eval("document.getElementById('builder-form').reset()")
        for sel, value in (selects or {}).items():
            self.page.eval(
                "(function(){var el=document.querySelector(%s);"
                "el.value=%s;el.dispatchEvent(new Event('change',"
                "{bubbles:true}));})()" % (json.dumps(sel), json.dumps(value)))
        for name, text in fields.items():
            self.page.eval("document.querySelector('[name=%s]').focus()"
                           % name)
            self.page.call("Input.insertText", text=text)
        return self.wait_preview()

    def wait_preview(self):
        state = self.page.wait_for(
            "(function(){var s=document.getElementById('builder-form')"
            ".getAttribute('data-preview');return s!=='pending'&&s;})()")
        return state

    def built_url(self):
        return self.page.eval("document.getElementById('feed-url')"
                              ".textContent")

    def preview_titles(self):
        return self.page.eval(
            "Array.from(document.querySelectorAll('#preview-list li a'))"
            ".map(function(a){return a.textContent})")

    def json_items(self, url):
        """GETs an absolute URL of the daemon; the JSON Feed's items."""
        split = urllib.parse.urlsplit(url)
        self.assertEqual("%s://%s" % (split.scheme, split.netloc),
                         self.d.base_url)
        path = split.path + ("?" + split.query if split.query else "")
        return json.loads(self.d.feed(path))["items"]

    # Tests.

    def test_feed_list_renders(self):
        rows = self.page.eval(
            "Array.from(document.querySelectorAll('#feeds tbody tr'))"
            ".map(function(tr){return {title:tr.querySelector('strong')"
            ".textContent,count:tr.querySelector('td.num').textContent,"
            "links:Array.from(tr.querySelectorAll('a')).map(function(a)"
            "{return [a.textContent,a.href]})}})")
        hot = [p for p in self.papers if (p.upvotes or 0) >= 10]
        code = [p for p in self.papers if p.github_repo]
        self.assertEqual([r["title"] for r in rows],
                         ["All papers", "Hot papers", "Papers with code"])
        self.assertEqual([r["count"] for r in rows],
                         [str(len(self.papers)), str(len(hot)),
                          str(len(code))])
        paths = ["/feed", "/feeds/hot", "/feeds/with-code"]
        for row, path in zip(rows, paths):
            self.assertEqual(row["links"], [
                ["RSS", self.d.url(path + ".rss")],
                ["Atom", self.d.url(path + ".atom")],
                ["JSON", self.d.url(path + ".json")]])
        # Each JSON link holds what its count says.
        for row, want in zip(rows, [self.papers, hot, code]):
            items = self.json_items(row["links"][2][1])
            self.assertEqual(sorted(i["id"] for i in items),
                             sorted(p.id for p in want))

    def test_sources_table(self):
        cells = self.page.eval(
            "Array.from(document.querySelectorAll('#sources tbody tr td'))"
            ".map(function(td){return td.textContent.trim()})")
        self.assertEqual(cells[0], "hf-dailyhf_daily")
        self.assertEqual(cells[1], "ok")
        self.assertRegex(cells[2], r"^\d{4}-\d\d-\d\d \d\d:\d\d UTC$")
        self.assertEqual(cells[3], str(len(self.papers)))

    def test_builder_composes_url_with_expected_entries(self):
        state = self.fill({"min_upvotes": "2"},
                          {"[name=has_code]": "true",
                           "[name=sort]": "upvotes",
                           "#b-format": "json"})
        want = by_upvotes([p for p in self.papers
                           if p.github_repo and (p.upvotes or 0) >= 2])
        self.assertGreater(len(want), 5)
        url = self.built_url()
        self.assertEqual(url, self.d.url(
            "/feed.json?min_upvotes=2&has_code=true&sort=upvotes"))
        self.assertEqual(state, "5")
        self.assertEqual(self.preview_titles(),
                         [p.title for p in want[:5]])
        # The URL itself, as a reader would fetch it: every entry, in
        # order.
        self.assertEqual([i["id"] for i in self.json_items(url)],
                         [p.id for p in want])

    def test_builder_narrows_a_named_feed(self):
        self.fill({"q": "LLM OR agents"},
                  {"#b-feed": "hot", "#b-format": "atom"})
        url = self.built_url()
        self.assertEqual(url, self.d.url("/feeds/hot.atom?q=LLM+OR+agents"))
        want = [p for p in self.papers if (p.upvotes or 0) >= 10 and
                (p.has_word("llm") or p.has_word("agents"))]
        self.assertTrue(want)
        self.assertLess(len(want), len(self.papers))
        # Same order as the feed: first seen (one poll), upvotes, id.
        self.assertEqual(self.preview_titles(),
                         [p.title for p in by_upvotes(want)][:5])
        import feedparser
        split = urllib.parse.urlsplit(url)
        parsed = feedparser.parse(self.d.feed(split.path + "?" +
                                              split.query))
        self.assertFalse(parsed.bozo, parsed.get("bozo_exception"))
        self.assertEqual([e.id for e in parsed.entries],
                         ["https://arxiv.org/abs/" + p.arxiv
                          for p in by_upvotes(want)])

    def test_builder_shows_the_servers_error(self):
        state = self.fill({"days": "9999"})
        self.assertEqual(state, "error")
        note = self.page.eval("document.getElementById('preview-status')"
                              ".textContent")
        self.assertTrue(note.startswith("bad request: days: "), note)
        self.assertEqual(self.page.eval(
            "document.getElementById('preview-status').className"), "bad")
        self.assertEqual(self.preview_titles(), [])

    def test_empty_fields_are_left_out(self):
        self.fill({"title": "  "})
        self.assertEqual(self.built_url(), self.d.url("/feed.rss"))

    def test_no_console_errors(self):
        # A wrong script or style hash in the Content-Security-Policy, or
        # a script error, shows up here (and keeps the builder hidden).
        self.fill({"author": "a"})
        self.assertEqual(self.page.console_errors(), [])

    def test_page_without_javascript(self):
        status, headers, body = self.d.get("/")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        csp = headers.get("Content-Security-Policy", "")
        self.assertIn("default-src 'none'", csp)
        self.assertIn("script-src 'sha256-", csp)
        p = _PageParser()
        p.feed(body.decode("utf-8"))
        titles = [r["cells"][0] for r in p.rows]
        self.assertEqual(len(titles), 3, titles)
        self.assertEqual(titles[0], "All papersEvery entry, newest first.")
        self.assertEqual(titles[1], "Hot papers10+ upvotes")
        self.assertEqual(titles[2], "Papers with code")
        self.assertEqual([r["cells"][1] for r in p.rows],
                         [str(len(self.papers)),
                          str(sum((q.upvotes or 0) >= 10
                                  for q in self.papers)),
                          str(sum(bool(q.github_repo)
                                  for q in self.papers))])
        self.assertEqual(p.rows[1]["links"], ["feeds/hot.rss",
                                              "feeds/hot.atom",
                                              "feeds/hot.json"])
        want = []
        for path in ["/feed", "/feeds/hot", "/feeds/with-code"]:
            want += [("application/rss+xml", self.d.url(path + ".rss")),
                     ("application/atom+xml", self.d.url(path + ".atom")),
                     ("application/feed+json", self.d.url(path + ".json"))]
        want.append(("text/x-opml", self.d.url("/opml")))
        self.assertEqual(p.alternates, want)
        self.assertEqual(p.hidden_sections, ["builder"])
        self.assertTrue(p.noscript)

    def test_screenshot(self):
        path = os.environ.get("PAPERWIRE_SCREENSHOT")
        self.fill({"min_upvotes": "10"}, {"#b-format": "atom"})
        png = self.page.screenshot(width=1100)
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        if path:
            with open(path, "wb") as f:
                f.write(png)


if __name__ == "__main__":
    harness.main()
