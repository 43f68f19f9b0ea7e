"""The WebSub hub with the real daemon: feeds advertise it, subscribers
are verified (only an exact echo of the challenge counts), leases are
clamped, a verified subscriber receives the feed when it gains entries
(signed with its secret), and an external hub gets publish pings."""

import copy
import json
import time
import urllib.parse
import xml.etree.ElementTree as ET

import feedparser

import harness
import receiver
from harness import PwTestCase

A = "{http://www.w3.org/2005/Atom}"
FAST = {"first_delay": 0.2, "factor": 2, "max_delay": 1, "max_attempts": 3,
        "timeout": 5}
FEEDS = [{"name": "hot", "title": "Hot", "filter": {"min_upvotes": 10}}]


def paper(w, arxiv_id, upvotes):
    w = copy.deepcopy(w)
    w["paper"]["id"] = arxiv_id
    w["paper"]["upvotes"] = upvotes
    return w


class WebSubCase(PwTestCase):

    def setUp(self):
        self.rc = receiver.Receiver()
        self.addCleanup(self.rc.close)
        self.up = self.upstream()
        self.ws = harness.load_daily()[:10]
        self.up.serve_json("/api/daily_papers", self.ws)

    def start(self, websub=None):
        extra = {"delivery": FAST,
                 "allow_private_networks": ["127.0.0.0/8"],
                 "websub": websub or {"min_lease_seconds": 60,
                                      "max_lease_seconds": 86400}}
        return self.daemon([harness.hf_source(self.up, days=0)], feeds=FEEDS,
                           extra=extra)

    def hub(self, d, **params):
        body = urllib.parse.urlencode(params)
        return d.request("POST", "/websub",
                         {"Content-Type":
                          "application/x-www-form-urlencoded"}, body)

    def subscribe(self, d, path, topic, **extra):
        status, _, body = self.hub(d, **{
            "hub.mode": "subscribe", "hub.callback": self.rc.url(path),
            "hub.topic": topic, **extra})
        self.assertEqual(status, 202, body)
        return self.rc.wait(1, path, method="GET")[0]

    def add_entries(self, d, *extra):
        self.ws = self.ws + list(extra)
        self.up.serve_json("/api/daily_papers", self.ws)
        d.poll_now()


class HubTest(WebSubCase):

    def test_feeds_advertise_the_hub(self):
        d = self.start()
        hub = d.url("/websub")
        for path in ("/feed.atom", "/feeds/hot.rss", "/feed.json?q=model"):
            status, hdrs, body = d.get(path)
            self.assertEqual(status, 200)
            link = hdrs.get("Link", "")
            self.assertIn('<%s>; rel="hub"' % hub, link)
            self.assertIn('<%s>; rel="self"' % d.url(path), link)
        atom = ET.fromstring(d.feed("/feed.atom"))
        hubs = [l.get("href") for l in atom.findall(A + "link")
                if l.get("rel") == "hub"]
        self.assertEqual(hubs, [hub])
        rss = ET.fromstring(d.feed("/feeds/hot.rss"))
        hubs = [l.get("href") for l in rss.find("channel").findall(A + "link")
                if l.get("rel") == "hub"]
        self.assertEqual(hubs, [hub])
        js = d.json_feed("/feed.json")
        self.assertEqual(js["hubs"], [{"type": "WebSub", "url": hub}])

    def test_verify_and_distribute(self):
        d = self.start()
        topic = d.url("/feeds/hot.atom")
        good = self.subscribe(d, "/cb", topic, **{
            "hub.secret": "topsecret", "hub.lease_seconds": "999999999"})
        self.assertEqual(good.query["hub.mode"], "subscribe")
        self.assertEqual(good.query["hub.topic"], topic)
        self.assertRegex(good.query["hub.challenge"], r"^[0-9a-f]{32}$")
        # Clamped to max_lease_seconds.
        self.assertEqual(good.query["hub.lease_seconds"], "86400")
        self.rc.wrong_echo.add("/bad")
        bad = self.subscribe(d, "/bad", topic)
        # No lease asked: the default (ten days), clamped to the maximum.
        self.assertEqual(bad.query["hub.lease_seconds"], "86400")
        other = self.subscribe(d, "/other", d.url("/feed.json?q=zzzunseen"))
        self.assertEqual(other.query["hub.lease_seconds"], "86400")
        time.sleep(0.3)  # the verifications are answered and stored

        # A poll that changes nothing the topic shows: nothing is sent.
        self.add_entries(d, paper(self.ws[0], "2699.00002", 2))
        self.assertEqual(self.rc.quiet(1.0, "/cb"), [])

        # The topic gains an entry: the feed comes, signed.
        self.add_entries(d, paper(self.ws[0], "2699.00001", 50))
        hit = self.rc.wait(1, "/cb")[0]
        self.assertTrue(hit.headers["content-type"]
                        .startswith("application/atom+xml"))
        link = hit.headers.get("link", "")
        self.assertIn('<%s>; rel="hub"' % d.url("/websub"), link)
        self.assertIn('<%s>; rel="self"' % topic, link)
        self.assertEqual(hit.headers.get("x-hub-signature"),
                         receiver.hub_signature("topsecret", hit.body))
        parsed = feedparser.parse(hit.body)
        self.assertFalse(parsed.bozo, parsed.get("bozo_exception"))
        ids = [e.id for e in parsed.entries]
        self.assertIn("https://arxiv.org/abs/2699.00001", ids)
        self.assertNotIn("https://arxiv.org/abs/2699.00002", ids)
        # It is the feed as served right now.
        self.assertEqual(hit.body, d.feed("/feeds/hot.atom"))
        # Nobody else: the wrong echo was never subscribed, and the other
        # topic gained nothing.
        self.assertEqual(self.rc.quiet(1.0, "/bad"), [])
        self.assertEqual(self.rc.hits("/other"), [])
        self.assertEqual(len(self.rc.hits("/cb")), 1)

    def test_unsubscribe(self):
        d = self.start()
        topic = d.url("/feed.rss")
        self.subscribe(d, "/u", topic)
        time.sleep(0.3)
        self.add_entries(d, paper(self.ws[0], "2699.00003", 1))
        hit = self.rc.wait(1, "/u")[0]
        self.assertIsNone(hit.headers.get("x-hub-signature"))
        self.assertTrue(hit.headers["content-type"]
                        .startswith("application/rss+xml"))
        status, _, _ = self.hub(d, **{
            "hub.mode": "unsubscribe", "hub.callback": self.rc.url("/u"),
            "hub.topic": topic})
        self.assertEqual(status, 202)
        gets = self.rc.wait(2, "/u", method="GET")
        self.assertEqual(gets[1].query["hub.mode"], "unsubscribe")
        self.assertNotIn("hub.lease_seconds", gets[1].query)
        time.sleep(0.3)
        self.add_entries(d, paper(self.ws[0], "2699.00004", 1))
        self.assertEqual(len(self.rc.quiet(1.5, "/u")), 1)

    def test_bad_requests(self):
        d = self.start()
        cb = self.rc.url("/x")
        topic = d.url("/feed.atom")
        cases = [
            ({"hub.mode": "subscribe", "hub.callback": cb}, "hub.topic"),
            ({"hub.mode": "watch", "hub.callback": cb, "hub.topic": topic},
             "hub.mode"),
            ({"hub.mode": "subscribe", "hub.callback": "ftp://x/",
              "hub.topic": topic}, "hub.callback"),
            ({"hub.mode": "subscribe", "hub.callback": cb,
              "hub.topic": "http://example.org/feed.atom"}, "hub.topic"),
            ({"hub.mode": "subscribe", "hub.callback": cb,
              "hub.topic": d.url("/feeds/nope.atom")}, "hub.topic"),
            ({"hub.mode": "subscribe", "hub.callback": cb,
              "hub.topic": d.url("/feed.atom?min_upvotes=x")}, "hub.topic"),
            ({"hub.mode": "subscribe", "hub.callback": cb,
              "hub.topic": topic, "hub.lease_seconds": "soon"},
             "hub.lease_seconds"),
            ({"hub.mode": "subscribe", "hub.callback": cb,
              "hub.topic": topic, "hub.secret": "s" * 200}, "hub.secret"),
        ]
        for params, name in cases:
            status, _, body = self.hub(d, **params)
            self.assertEqual(status, 400, params)
            self.assertTrue(body.decode().startswith("bad request: %s:"
                                                     % name), body)
        status, hdrs, _ = d.get("/websub")
        self.assertEqual(status, 405)
        self.assertEqual(hdrs.get("Allow"), "POST")
        # Nothing was verified.
        self.assertEqual(self.rc.quiet(0.5, "/x", method=None), [])

    def test_lease_lapses(self):
        d = self.start({"min_lease_seconds": 1, "lease_seconds": 60,
                        "max_lease_seconds": 120})
        self.subscribe(d, "/short", d.url("/feed.atom"),
                       **{"hub.lease_seconds": "1"})
        time.sleep(2.2)
        self.add_entries(d, paper(self.ws[0], "2699.00005", 1))
        self.assertEqual(self.rc.quiet(1.5, "/short"), [])


class ExternalHubTest(WebSubCase):

    def test_publish_pings(self):
        d = self.start({"hub": self.rc.url("/hub")})
        status, hdrs, _ = d.get("/feeds/hot.atom")
        self.assertIn('<%s>; rel="hub"' % self.rc.url("/hub"),
                      hdrs.get("Link", ""))
        status, _, _ = self.hub(d, **{"hub.mode": "subscribe",
                                      "hub.callback": self.rc.url("/cb"),
                                      "hub.topic": d.url("/feed.atom")})
        self.assertEqual(status, 404, "the built-in hub is off")
        # The start-up poll added the first entries (none of them hot):
        # the all-entries feeds were pinged.
        hot = [w for w in self.ws if (w["paper"].get("upvotes") or 0) >= 10]
        self.assertEqual(hot, [])
        self.rc.wait(3, "/hub")
        self.assertEqual(len(self.rc.quiet(0.5, "/hub")), 3)
        # A low entry changes the all-entries feeds only; a hot one both.
        self.add_entries(d, paper(self.ws[0], "2699.00006", 1))
        hits = self.rc.wait(6, "/hub")[3:]
        self.assertEqual(len(self.rc.quiet(1.0, "/hub")), 6)
        urls = set()
        for h in hits:
            self.assertEqual(h.headers["content-type"],
                             "application/x-www-form-urlencoded")
            q = urllib.parse.parse_qs(h.body.decode())
            self.assertEqual(q["hub.mode"], ["publish"])
            urls.add(q["hub.url"][0])
        self.assertEqual(urls, {d.url("/feed.rss"), d.url("/feed.atom"),
                                d.url("/feed.json")})
        self.add_entries(d, paper(self.ws[0], "2699.00007", 99))
        hits = self.rc.wait(12, "/hub")[6:]
        self.assertEqual(len(self.rc.quiet(1.0, "/hub")), 12)
        urls = {urllib.parse.parse_qs(h.body.decode())["hub.url"][0]
                for h in hits}
        self.assertEqual(urls, {d.url(p) for p in (
            "/feed.rss", "/feed.atom", "/feed.json", "/feeds/hot.rss",
            "/feeds/hot.atom", "/feeds/hot.json")})


if __name__ == "__main__":
    harness.main()
