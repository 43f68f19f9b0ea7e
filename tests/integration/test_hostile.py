"""Hostile upstreams and hostile clients against one running daemon.

One daemon polls two sources: "good" (a well-formed RSS feed whose five
items never change) and "evil" (one URL on the fake upstream that each
test reprograms with an attack). Every test asserts the exact outcome of
its attack and then that the daemon still serves every entry stored so
far, in all three formats, with the same ids (assertServesAll).

Everything listens on 127.0.0.1 only. The slowest cases wait for real
limits: the 1-byte-per-second upstream for the low-speed limit
(CAP_FETCH_LOW_SPEED_SECONDS, 20 s) and the slow client for the request
deadline (CAP_HTTP_REQUEST_SECONDS, 10 s).
"""

import gzip
import json
import os
import resource
import selectors
import socket
import tempfile
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET

import feedparser

import harness
from harness import PwTestCase

EVIL = "/evil"
RSS_TYPE = "application/rss+xml; charset=utf-8"
URN = "urn:paperwire:"

# The request deadline and connection cap (src/caps.h), written out here
# so a change to either is a deliberate change to this test too.
REQUEST_SECONDS = 10
CONNECTIONS = 1024


def rss(items, decl=b'<?xml version="1.0" encoding="utf-8"?>\n', pre=b""):
    """An RSS 2.0 document; items are ready-made <item> byte strings."""
    return (decl + pre + b'<rss version="2.0"><channel><title>t</title>'
            b"<link>http://example.org/</link><description>d</description>"
            + b"".join(items) + b"</channel></rss>\n")


def item(guid, title, link=None):
    out = b"<item><title>" + title + b"</title>"
    if link is not None:
        out += b"<link>" + link + b"</link>"
    if guid is not None:
        out += b"<guid>" + guid + b"</guid>"
    return out + b"</item>"


GOOD_IDS = ["good:good-%d" % i for i in range(1, 6)]
GOOD = rss([item(b"good-%d" % i, b"Good %d" % i,
                 b"http://example.org/good/%d" % i) for i in range(1, 6)])


class Endless:
    """A chunked body that never ends: chunks until the client hangs up
    (or a 256 MiB safety stop, far over CAP_FETCH_BODY_BYTES)."""

    def __init__(self):
        self.sent = 0

    def __call__(self, handler, req):
        handler.send_response(200)
        handler.send_header("Content-Type", RSS_TYPE)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b"<!-- " + b"x" * 65000 + b" -->"
        framed = b"%x\r\n%s\r\n" % (len(chunk), chunk)
        head = rss([])[:60]
        if not harness._write(handler, b"%x\r\n%s\r\n" % (len(head), head)):
            return
        while self.sent < 256 * 1024 * 1024:
            if not harness._write(handler, framed):
                return
            self.sent += len(chunk)


class Redirect:
    def __init__(self, location):
        self.location = location

    def __call__(self, handler, req):
        harness._send_head(handler, 302, {"Location": self.location}, 0)


class Listener:
    """A raw TCP listener on 127.0.0.1 that counts accepted connections."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.accepts = 0
        self._stop = False
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self):
        while not self._stop:
            try:
                c, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.accepts += 1
            c.close()

    def close(self):
        self._stop = True
        self._t.join(2)
        self.sock.close()


class HostileTest(PwTestCase):

    @classmethod
    def setUpClass(cls):
        cls.up = cls.class_upstream()
        cls.up.serve_bytes("/good", GOOD, content_type=RSS_TYPE)
        cls.up.serve_bytes(EVIL, rss([]), content_type=RSS_TYPE)
        cls.secret_dir = tempfile.mkdtemp(prefix="pw-hostile-")
        cls.secret = os.path.join(cls.secret_dir, "secret.txt")
        with open(cls.secret, "w") as f:
            f.write("TOPSECRET-5d41402abc4b2a76\n")
        cls.d = cls.class_daemon([
            {"name": "good", "type": "feed", "url": cls.up.url("/good"),
             "interval": 3600},
            {"name": "evil", "type": "feed", "url": cls.up.url(EVIL),
             "interval": 3600},
        ])
        # Every entry the daemon must keep serving, by id.
        cls.stored = set(GOOD_IDS)

    @classmethod
    def tearDownClass(cls):
        try:
            os.unlink(cls.secret)
            os.rmdir(cls.secret_dir)
        except OSError:
            pass

    # Helpers.

    def evil_poll(self, responder=None, body=None, ctype=RSS_TYPE,
                  headers=None, timeout=20):
        """Programs the evil URL, polls, returns the evil source's health."""
        if responder is not None:
            self.up.set(EVIL, responder)
        else:
            self.up.serve_bytes(EVIL, body, headers=headers,
                                content_type=ctype)
        before = self.d.source_health("evil")
        self.d.poll_now(timeout)
        after = self.d.source_health("evil")
        self.assertEqual(after["polls"], before["polls"] + 1)
        return before, after

    def assertPollFailed(self, before, after, error_part):
        self.assertEqual(after["failures"], before["failures"] + 1, after)
        self.assertIsNotNone(after["last_error"], after)
        self.assertIn(error_part, after["last_error"])

    def assertPollOk(self, before, after, entries):
        self.assertEqual(after["failures"], 0, after)
        self.assertIsNone(after["last_error"], after)
        self.assertEqual(after["last_poll"]["entries"], entries, after)

    def items(self):
        """{id: item} of /feed.json with every entry."""
        doc = self.d.json_feed("/feed.json?limit=500")
        return {it["id"]: it for it in doc["items"]}

    def assertServesAll(self):
        """The daemon answers, and serves exactly the stored entries in
        every format."""
        self.assertTrue(self.d.running())
        self.assertEqual(self.d.healthz()["entries"], len(self.stored))
        self.assertEqual(set(self.items()), self.stored)
        for ext in ("rss", "atom"):
            body = self.d.feed("/feed.%s?limit=500" % ext)
            f = feedparser.parse(body)
            self.assertEqual(f.bozo, 0, f.get("bozo_exception"))
            ids = {e.id for e in f.entries}
            if ext == "atom":
                # Atom ids are urn:paperwire:<the id, percent-encoded>.
                self.assertTrue(all(i.startswith(URN) for i in ids), ids)
                ids = {urllib.parse.unquote(i[len(URN):]) for i in ids}
            self.assertEqual(ids, self.stored, ext)
            ET.fromstring(body)

    def all_feeds_text(self):
        return b"".join(self.d.feed("/feed.%s?limit=500" % ext)
                        for ext in ("rss", "atom", "json"))

    # ------------------------------------------------------------------
    # Upstream bytes

    def test_up01_billion_laughs(self):
        lol = b'<!DOCTYPE rss [<!ENTITY lol "lol">'
        prev = b"lol"
        for i in range(1, 10):
            name = b"lol%d" % i
            lol += b'<!ENTITY %s "%s">' % (name, (b"&" + prev + b";") * 10)
            prev = name
        lol += b"]>"
        body = rss([item(b"laughs", b"&" + prev + b";")], pre=lol)
        before, after = self.evil_poll(body=body)
        # Either way no expansion may reach an entry: the document is
        # refused by libxml2's amplification check.
        self.assertPollFailed(before, after, "not well-formed XML")
        self.assertNotIn(b"lollol", self.all_feeds_text())
        self.assertServesAll()

    def test_up02_external_entity_file(self):
        url = b"file://" + self.secret.encode()
        body = rss([item(b"xxe-file", b"Leak &xxe; here")],
                   pre=b'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "' + url +
                   b'">]>')
        before, after = self.evil_poll(body=body)
        # The entity is never loaded nor expanded: the item stays, the
        # reference is gone.
        self.assertPollOk(before, after, 1)
        self.stored.add("evil:xxe-file")
        self.assertEqual(self.items()["evil:xxe-file"]["title"], "Leak here")
        self.assertNotIn(b"TOPSECRET", self.all_feeds_text())
        self.assertServesAll()

    def test_up03_external_entity_and_dtd_to_loopback(self):
        lst = Listener()
        self.addCleanup(lst.close)
        base = b"http://127.0.0.1:%d" % lst.port
        body = rss([item(b"xxe-net", b"Net &xxe; here")],
                   pre=b'<!DOCTYPE rss SYSTEM "' + base + b'/dtd" ['
                   b'<!ENTITY % pe SYSTEM "' + base + b'/pe"> %pe;'
                   b'<!ENTITY xxe SYSTEM "' + base + b'/x">]>')
        before, after = self.evil_poll(body=body)
        time.sleep(0.3)
        self.assertEqual(lst.accepts, 0)
        self.assertPollOk(before, after, 1)
        self.stored.add("evil:xxe-net")
        self.assertEqual(self.items()["evil:xxe-net"]["title"], "Net here")
        self.assertServesAll()

    def test_up04_deep_nesting(self):
        n = 100000
        body = rss([b"<item><title>deep</title><guid>deep</guid>" +
                    b"<x>" * n + b"</x>" * n + b"</item>"])
        before, after = self.evil_poll(body=body)
        # libxml2's depth limit without XML_PARSE_HUGE (256).
        self.assertPollFailed(before, after, "not well-formed XML")
        self.assertServesAll()

    def test_up05_endless_chunked_body(self):
        e = Endless()
        before, after = self.evil_poll(e)
        self.assertPollFailed(before, after, "16777216")
        # The cap is 16 MiB after decompression; the client stopped
        # reading soon after it (socket buffers hold a few MiB at most).
        self.assertGreaterEqual(e.sent, 16 * 1024 * 1024 - 65536 * 64)
        self.assertLess(e.sent, 64 * 1024 * 1024)
        self.assertServesAll()

    def test_up06_gzip_bomb(self):
        h = harness.Huge(1024 * 1024 * 1024, head=rss([])[:60],
                         fill=b" ", gzip_encoded=True,
                         content_type=RSS_TYPE)
        before, after = self.evil_poll(h)
        self.assertPollFailed(before, after, "larger than 16777216 bytes")
        # A gigabyte of spaces compresses about 1000:1; the daemon must
        # have stopped reading long before the end.
        self.assertLess(h.sent, 8 * 1024 * 1024)
        self.assertServesAll()

    def test_up07_repeated_content_encoding(self):
        inner = rss([item(b"double-gz", b"Double")])
        body = gzip.compress(gzip.compress(inner))
        before, after = self.evil_poll(
            body=body, headers={"Content-Encoding": "gzip, gzip"})
        self.assertPollOk(before, after, 1)
        self.stored.add("evil:double-gz")
        self.assertEqual(self.items()["evil:double-gz"]["title"], "Double")
        # More stacked encodings than curl takes (5): refused, whatever
        # the body.
        body = inner
        for _ in range(8):
            body = gzip.compress(body)
        before, after = self.evil_poll(
            body=body, headers={"Content-Encoding": ", ".join(["gzip"] * 8)})
        self.assertPollFailed(before, after, "more than 5 content encodings")
        self.assertServesAll()

    def test_up08_redirect_loop(self):
        self.up.clear_requests()
        before, after = self.evil_poll(Redirect(self.up.url(EVIL)))
        self.assertPollFailed(before, after, "Maximum (5) redirects")
        # The first request and 5 redirects followed (CAP_FETCH_REDIRECTS).
        self.assertEqual(len(self.up.requests(EVIL)), 6)
        self.assertServesAll()

    def test_up09_mislabelled_charsets(self):
        # The XML declaration wins over the Content-Type: Latin-1 bytes
        # declared ISO-8859-1, served as "charset=utf-8".
        body = rss([item(b"latin", b"Caf\xe9 cr\xe8me")],
                   decl=b'<?xml version="1.0" encoding="ISO-8859-1"?>\n')
        before, after = self.evil_poll(body=body)
        self.assertPollOk(before, after, 1)
        self.stored.add("evil:latin")
        self.assertEqual(self.items()["evil:latin"]["title"],
                         "Caf\u00e9 cr\u00e8me")
        # No declaration, no charset: bytes that are not UTF-8 are read
        # as windows-1252.
        raw = b"\x93quoted\x94 \x80"
        body = rss([item(b"cp1252", raw)], decl=b"")
        before, after = self.evil_poll(body=body,
                                       ctype="application/rss+xml")
        self.assertPollOk(before, after, 1)
        self.stored.add("evil:cp1252")
        self.assertEqual(self.items()["evil:cp1252"]["title"],
                         raw.decode("cp1252"))
        # No declaration, a Content-Type that lies (charset=utf-8): the
        # Content-Type is what the document is read in, so the poll fails
        # cleanly and nothing broken is stored.
        body = rss([item(b"liar", raw)], decl=b"")
        before, after = self.evil_poll(body=body)
        self.assertPollFailed(before, after, "not well-formed XML")
        self.assertNotIn("evil:liar", self.items())
        self.assertServesAll()

    def test_up10_control_characters(self):
        # JSON Feed strings may carry any control character; XML output
        # may not, so they are dropped.
        doc = {"version": "https://jsonfeed.org/version/1.1", "title": "j",
               "items": [{"id": "ctl", "url": "http://example.org/ctl",
                          "title": "A\u0001B\u0008C\u007fD\u0085E\ufffeF",
                          "content_text": "x\u000by\u001fz"}]}
        before, after = self.evil_poll(
            body=json.dumps(doc).encode(), ctype="application/feed+json")
        self.assertPollOk(before, after, 1)
        self.stored.add("evil:ctl")
        self.assertEqual(self.items()["evil:ctl"]["title"], "ABCDEF")
        # A raw control character in XML is not well-formed: refused.
        body = rss([item(b"rawctl", b"bad\x01title")])
        before, after = self.evil_poll(body=body)
        self.assertPollFailed(before, after, "XML")
        self.assertServesAll()

    def test_up11_duplicate_and_missing_guids(self):
        body = rss([
            item(b"dup", b"First", b"http://example.org/d1"),
            item(None, b"No guid", b"http://example.org/noguid"),
            item(b"dup", b"Second", b"http://example.org/d2"),
            b"<item><title>Nothing else</title></item>",
        ])
        before, after = self.evil_poll(body=body)
        self.assertEqual(after["failures"], 0, after)
        got = self.items()
        self.assertEqual(got["evil:dup"]["title"], "First")
        self.assertEqual(got["evil:http://example.org/noguid"]["title"],
                         "No guid")
        hashed = [i for i in got if i.startswith("evil:sha256:")]
        self.assertEqual(len(hashed), 1, sorted(got))
        self.assertEqual(got[hashed[0]]["title"], "Nothing else")
        self.stored.update(["evil:dup", "evil:http://example.org/noguid",
                            hashed[0]])
        self.assertEqual(after["last_poll"]["entries"], 3, after)
        self.assertServesAll()

    def test_up12_markup_and_links(self):
        body = rss([
            b"<item><title>&lt;b&gt;Bold&lt;/b&gt; ]]&gt; &amp;amp;</title>"
            b"<link>javascript:alert(1)</link>"
            b'<guid isPermaLink="false">js</guid>'
            b"<pubDate>not a date</pubDate></item>",
            b'<item><title>Future</title><guid isPermaLink="false">future'
            b"</guid>"
            b"<link>data:text/html,x</link>"
            b"<pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item>",
        ])
        t0 = time.time()
        before, after = self.evil_poll(body=body)
        self.assertPollOk(before, after, 2)
        self.stored.update(["evil:js", "evil:future"])
        got = self.items()
        # The title holds a tag, so it is HTML: "&amp;" is one "&".
        self.assertEqual(got["evil:js"]["title"], "Bold ]]> &")
        self.assertNotIn("url", got["evil:js"])
        self.assertNotIn("url", got["evil:future"])
        pub = harness.parse_rfc3339(got["evil:future"]["date_published"])
        self.assertLessEqual(pub.timestamp(), time.time() + 1)
        self.assertGreaterEqual(pub.timestamp(), int(t0) - 1)
        self.assertServesAll()

    def test_up13_one_byte_per_second(self):
        # Below 64 bytes/s for 20 s (CAP_FETCH_LOW_SPEED_*): cut, failed.
        body = rss([item(b"drip", b"Drip")])
        t0 = time.time()
        before, after = self.evil_poll(harness.Drip(body, chunk=1, delay=1.0,
                                                    content_type=RSS_TYPE),
                                       timeout=45)
        took = time.time() - t0
        self.assertPollFailed(before, after, "too slow")
        self.assertGreaterEqual(took, 19)
        self.assertLess(took, 40)
        self.assertNotIn("evil:drip", self.items())
        self.assertServesAll()

    # ------------------------------------------------------------------
    # Clients

    def test_cl01_paths_never_reach_files(self):
        for path in ("/feeds/../x", "/feeds/..", "/feeds/%2e%2e/x",
                     "/feeds/%2E%2e/%2e%2e/etc/passwd", "/feed.json/../..",
                     "/%2e%2e/etc/passwd", "/feeds/.%2e/secret",
                     "/feeds/./all.rss", "/feeds/%2fetc%2fpasswd",
                     "/feeds/..%5c..%5cx", "/feeds/x%00.rss",
                     "/./healthz", "/healthz/.",
                     "/feeds/../../../.." + self.secret):
            with self.subTest(path=path):
                status, _, body = self.d.get(path)
                self.assertEqual(status, 404)
                self.assertEqual(body, b"not found\n")
        self.assertServesAll()

    def test_cl02_hostile_query_strings(self):
        bad = [
            ("/feed.json?q=a%00b", "q"),
            ("/feed.json?q=%ff%fe", "q"),
            ("/feed.json?q=" + "a" * 65536, "q"),
            ("/feed.json?limit=-1", "limit"),
            ("/feed.json?limit=99999999999999999999", "limit"),
            ("/feed.json?limit=0", "limit"),
            ("/feed.json?limit=1&limit=2", "limit"),
            ("/feed.json?limit=1%00", "limit"),
            ("/feed.json?limit=%2b1e3", "limit"),
        ]
        for path, param in bad:
            with self.subTest(path=path[:60]):
                self.assertBadRequest(self.d, path, param)
        # Repeated q is defined: every word must match.
        doc = self.d.json_feed("/feed.json?q=good&q=3")
        self.assertEqual([i["id"] for i in doc["items"]], ["good:good-3"])
        self.assertServesAll()

    def test_cl03_huge_headers(self):
        get = b"GET /feed.rss HTTP/1.1\r\nHost: x\r\n"
        for raw in (get + b"X: " + b"a" * 200000 + b"\r\n\r\n",
                    get + b"".join(b"X-%d: y\r\n" % i
                                   for i in range(20000)) + b"\r\n"):
            resp = self.d.raw(raw)
            if resp:
                self.assertRegex(resp.split(b"\r\n")[0],
                                 rb"^HTTP/1\.[01] (400|413|431) ")
        self.assertServesAll()

    def test_cl04_slow_client_dropped_by_deadline(self):
        # One byte every two seconds never times out evhttp's idle timer;
        # the absolute deadline drops it.
        s = socket.create_connection(("127.0.0.1", self.d.port))
        self.addCleanup(s.close)
        s.settimeout(2.5)
        req = b"GET /feed.rss HTTP/1.1\r\nHost: x\r\nX: " + b"y" * 100
        t0 = time.time()
        closed_at = None
        for b in req:
            try:
                s.sendall(bytes([b]))
                if s.recv(1) == b"":
                    closed_at = time.time()
                    break
            except socket.timeout:
                pass
            except OSError:
                closed_at = time.time()
                break
            # Meanwhile a normal client is served at once.
            status, _, _ = self.d.get("/healthz", timeout=2)
            self.assertEqual(status, 200)
        self.assertIsNotNone(closed_at, "slow client never dropped")
        self.assertGreaterEqual(closed_at - t0, REQUEST_SECONDS - 0.5)
        self.assertLess(closed_at - t0, REQUEST_SECONDS + 4)
        self.assertServesAll()

    def _raise_nofile(self, need):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY and soft < need:
            if hard != resource.RLIM_INFINITY and hard < need:
                self.skipTest("RLIMIT_NOFILE hard limit %d < %d"
                              % (hard, need))
            resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))
            self.addCleanup(resource.setrlimit, resource.RLIMIT_NOFILE,
                            (soft, hard))

    def _open_idle(self, n):
        socks = []
        self.addCleanup(lambda: [s.close() for s in socks])
        for _ in range(n):
            socks.append(socket.create_connection(("127.0.0.1",
                                                   self.d.port)))
        return socks

    def test_cl05_thousand_idle_connections(self):
        self._raise_nofile(4096)
        socks = self._open_idle(1000)
        t0 = time.time()
        status, _, body = self.d.get("/feed.json?limit=500", timeout=5)
        self.assertEqual(status, 200)
        self.assertLess(time.time() - t0, 2)
        self.assertEqual({i["id"] for i in json.loads(body)["items"]},
                         self.stored)
        # They are all still open (none was cut by the cap).
        for s in socks[-10:]:
            s.setblocking(False)
            with self.assertRaises(BlockingIOError):
                s.recv(1)
        for s in socks:
            s.close()
        self.assertServesAll()

    def test_cl06_connection_cap(self):
        # Connections the previous test closed are gone by now.
        time.sleep(1)
        self._raise_nofile(4096)
        over = 50
        socks = self._open_idle(CONNECTIONS + over)
        for s in socks:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        # Every connection either gets its answer or is closed unanswered;
        # all of them stay open on this side, so exactly CONNECTIONS are
        # answered, whichever they are.
        sel = selectors.DefaultSelector()
        got = {}
        for s in socks:
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ)
            got[s] = b""
        served = refused = 0
        deadline = time.time() + 8
        while sel.get_map() and time.time() < deadline:
            for key, _ in sel.select(0.5):
                s = key.fileobj
                try:
                    data = s.recv(65536)
                except ConnectionResetError:
                    data = b""
                except BlockingIOError:
                    continue
                if data == b"":
                    refused += 1
                    sel.unregister(s)
                    continue
                got[s] += data
                if b"\r\n\r\n" in got[s]:
                    self.assertTrue(got[s].startswith(b"HTTP/1.1 200 "))
                    served += 1
                    sel.unregister(s)
        sel.close()
        self.assertEqual((served, refused), (CONNECTIONS, over))
        for s in socks:
            s.close()
        self.assertIn("connection cap reached", self.d.log())
        # The closes reach the daemon at once; give it a moment.
        time.sleep(0.5)
        self.assertServesAll()

if __name__ == "__main__":
    harness.main()
