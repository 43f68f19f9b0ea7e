"""The hf_html fallback source: the papers page's embedded JSON."""

import xml.etree.ElementTree as ET

import feedparser

import harness
from harness import PwTestCase

A = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


class HtmlSourceTest(PwTestCase):

    @classmethod
    def setUpClass(cls):
        cls.papers = harness.html_papers()
        cls.by_id = {p.id: p for p in cls.papers}
        cls.up = cls.class_upstream()
        cls.up.serve_file("/papers",
                          harness.fixture_path(*harness.HTML_FIXTURE),
                          content_type="text/html; charset=utf-8")
        cls.d = cls.class_daemon([{
            "name": "hf-page", "type": "hf_html",
            "url": cls.up.url("/papers"), "interval": 3600}])

    def test_fixture_sanity(self):
        self.assertEqual(len(self.papers), 13)
        # Hard line wraps exist in the raw titles; the daemon must collapse.
        raw = [w.raw["paper"]["title"] for w in self.papers]
        self.assertTrue(any("\n" in t for t in raw))

    def test_entries(self):
        self.assertEqual(self.d.healthz()["entries"], 13)
        s = self.d.source_health("hf-page")
        self.assertEqual(s["type"], "hf_html")
        self.assertIsNone(s["last_error"])
        self.assertEqual(s["entries"], 13)
        self.assertTrue(self.up.requests("/papers"))
        for r in self.up.requests("/papers"):
            self.assertTrue(r.headers.get("user-agent", "")
                            .startswith("paperwire/"))

    def test_json_feed(self):
        doc = self.d.json_feed("/feed.json")
        items = doc["items"]
        self.assertEqual(len(items), 13)
        self.assertEqual({it["id"] for it in items}, set(self.by_id))
        for it in items:
            p = self.by_id[it["id"]]
            self.assertEqual(it["title"], p.title, p.id)
            self.assertNotIn("\n", it["title"])
            self.assertEqual(it["url"], p.link, p.id)
            self.assertEqual([a["name"] for a in it["authors"]],
                             p.feed_authors, p.id)
            self.assertEqual(it["_paperwire"]["upvotes"], p.upvotes, p.id)
            self.assertEqual(it["_paperwire"]["sources"], ["hf-page"], p.id)

    def test_hidden_author_dropped(self):
        hidden = [p for p in self.papers if p.hidden_authors]
        self.assertTrue(hidden)
        doc = self.d.json_feed("/feed.json")
        for it in doc["items"]:
            names = [a["name"] for a in it["authors"]]
            for p in hidden:
                if p.id == it["id"]:
                    for h in p.hidden_authors:
                        self.assertNotIn(h, names)

    def test_rss_and_atom(self):
        f = feedparser.parse(self.d.feed("/feed.rss"))
        self.assertEqual(f.bozo, 0, f.get("bozo_exception"))
        self.assertEqual(len(f.entries), 13)
        self.assertEqual({e.id: e.title for e in f.entries},
                         {p.id: p.title for p in self.papers})
        root = ET.fromstring(self.d.feed("/feed.rss"))
        for it in root.find("channel").findall("item"):
            p = self.by_id[it.findtext("guid")]
            self.assertEqual([c.text for c in it.findall(DC + "creator")],
                             p.feed_authors, p.id)
        root = ET.fromstring(self.d.feed("/feed.atom"))
        got = {e.findtext(A + "id"): e.findtext(A + "title")
               for e in root.findall(A + "entry")}
        self.assertEqual(got, {p.atom_id: p.title for p in self.papers})
        by_atom = {p.atom_id: p for p in self.papers}
        for e in root.findall(A + "entry"):
            p = by_atom[e.findtext(A + "id")]
            self.assertEqual([a.findtext(A + "name")
                              for a in e.findall(A + "author")],
                             p.feed_authors, p.id)

    def test_long_author_list_capped(self):
        # The Llama 3 paper has hundreds of authors: feeds show 50.
        big = [p for p in self.papers if len(p.authors) > 50]
        self.assertTrue(big)
        items = {it["id"]: it
                 for it in self.d.json_feed("/feed.json")["items"]}
        for p in big:
            names = [a["name"] for a in items[p.id]["authors"]]
            self.assertEqual(names[:50], p.authors[:50])
            self.assertLessEqual(len(names), 51)

    def test_filter_on_html_entries(self):
        want = {p.id for p in self.papers if p.upvotes >= 10}
        self.assertTrue(0 < len(want) < 13)
        self.assertEqual(set(self.d.json_ids("/feed.json?min_upvotes=10")),
                         want)


if __name__ == "__main__":
    harness.main()
