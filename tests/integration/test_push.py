"""Webhook push with the real daemon: a local fake upstream and a local
receiver (receiver.py) on 127.0.0.1. Signatures are checked with Python's
hmac from the Standard Webhooks specification, not with paperwire's code;
expected matches are computed from the fixture in Python."""

import copy
import json
import socket
import threading
import os
import re
import shutil
import subprocess
import tempfile
import time

import harness
import receiver
from harness import PwTestCase
from receiver import Answer

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
TOKEN = "test-token-0123456789abcdef"
FAST = {"first_delay": 0.2, "factor": 2, "max_delay": 1, "max_attempts": 3,
        "timeout": 5}


def wrappers():
    return harness.load_daily()


def with_upvotes(w, n):
    w = copy.deepcopy(w)
    w["paper"]["upvotes"] = n
    return w


def renamed(w, arxiv_id):
    w = copy.deepcopy(w)
    w["paper"]["id"] = arxiv_id
    return w


class PushCase(PwTestCase):

    def setUp(self):
        self.rc = receiver.Receiver()
        self.addCleanup(self.rc.close)
        self.up = self.upstream()

    def serve(self, ws):
        self.up.serve_json("/api/daily_papers", ws)

    def start(self, webhooks, delivery=None, **extra):
        # The receivers listen on loopback, which the address guard
        # refuses unless the operator opens it.
        cfg = {"webhooks": webhooks, "delivery": delivery or FAST,
               "admin_token": TOKEN,
               "allow_private_networks": ["127.0.0.0/8"]}
        cfg.update(extra)
        return self.daemon([harness.hf_source(self.up, days=0)], extra=cfg)

    def api(self, d, method, path, body=None, token=TOKEN):
        headers = {}
        if token is not None:
            headers["Authorization"] = "Bearer " + token
        if body is not None:
            headers["Content-Type"] = "application/json"
            if not isinstance(body, (bytes, str)):
                body = json.dumps(body)
        status, hdrs, data = d.request(method, path, headers, body)
        obj = None
        if data.strip() and "json" in hdrs.get("Content-Type", ""):
            obj = json.loads(data)
        return status, hdrs, obj

    def sub_ids(self, d):
        status, _, obj = self.api(d, "GET", "/api/subscriptions")
        self.assertEqual(status, 200)
        return [s["id"] for s in obj["subscriptions"]]

    def show(self, d, sub_id):
        status, _, obj = self.api(d, "GET", "/api/subscriptions/" + sub_id)
        self.assertEqual(status, 200, obj)
        return obj

    def wait_show(self, d, sub_id, pred, timeout=10):
        deadline = time.time() + timeout
        while True:
            obj = self.show(d, sub_id)
            if pred(obj):
                return obj
            if time.time() > deadline:
                self.fail("subscription never reached the state: %r" % obj)
            time.sleep(0.1)

    def assertSigned(self, hit, secret=SECRET):
        h = hit.headers
        self.assertRegex(h.get("webhook-id", ""), r"^msg_[0-9a-f]{32}$")
        ts = h.get("webhook-timestamp", "")
        self.assertRegex(ts, r"^\d+$")
        # The timestamp is this attempt's, not the message's.
        self.assertLessEqual(abs(int(ts) - hit.time), 2, "stale timestamp")
        self.assertEqual(h.get("webhook-signature"),
                         receiver.standard_signature(secret, h["webhook-id"],
                                                     ts, hit.body))
        self.assertEqual(h.get("x-hub-signature-256"),
                         receiver.hub_signature(secret, hit.body))
        self.assertEqual(h.get("content-type"), "application/json")


class DeliveryTest(PushCase):

    def test_filter_exactly_once_signed(self):
        ws = wrappers()
        self.serve(ws)
        want = {"arxiv:" + w["paper"]["id"]: w for w in ws
                if (w["paper"].get("upvotes") or 0) >= 10}
        self.assertEqual(len(want), 9)  # by hand from the fixture
        d = self.start([{"url": self.rc.url("/hook"), "secret": SECRET,
                         "name": "hot", "filter": {"min_upvotes": 10}}])
        self.rc.wait(len(want), "/hook")
        hits = self.rc.quiet(1.0, "/hook")
        self.assertEqual(len(hits), len(want))
        got = {}
        for hit in hits:
            self.assertSigned(hit)
            msg = hit.json()
            self.assertEqual(msg["type"], "entry.matched")
            harness.parse_rfc3339(msg["timestamp"])
            self.assertEqual(msg["data"]["subscription"]["name"], "hot")
            self.assertTrue(msg["data"]["subscription"]["id"]
                            .startswith("cfg_"))
            self.assertIsNone(msg["data"]["feed"])
            e = msg["data"]["entry"]
            self.assertNotIn(e["id"], got, "pushed twice")
            got[e["id"]] = hit.headers["webhook-id"]
            paper = harness.Paper(want[e["id"]])
            self.assertEqual(e["title"], paper.title)
            self.assertEqual(e["upvotes"], paper.upvotes)
            self.assertEqual(e["authors"], paper.authors)
            self.assertEqual(e["link"], paper.link)
        self.assertEqual(set(got), set(want))
        self.assertEqual(len(set(got.values())), len(want))

        # Counters change on both sides of the threshold: the pairs are
        # pushed already, nothing new matches, nothing is sent.
        ws2 = [with_upvotes(w, (w["paper"].get("upvotes") or 0) + 1)
               for w in ws]
        self.serve(ws2)
        d.poll_now()
        self.assertEqual(len(self.rc.quiet(1.5, "/hook")), len(want))

    def test_retries_same_id(self):
        self.serve([with_upvotes(wrappers()[0], 50)])
        self.rc.script("/flaky", [Answer(500), Answer(500), Answer(200)])
        d = self.start([{"url": self.rc.url("/flaky"), "secret": SECRET,
                         "filter": {}}],
                       delivery={"first_delay": 1.1, "factor": 1,
                                 "max_attempts": 5, "timeout": 5})
        hits = self.rc.wait(3, "/flaky", timeout=20)
        self.assertEqual(len(self.rc.quiet(1.0, "/flaky")), 3)
        ids = {h.headers["webhook-id"] for h in hits}
        self.assertEqual(len(ids), 1, "one message, three attempts")
        self.assertEqual(len({h.body for h in hits}), 1,
                         "the body is sent byte for byte each time")
        stamps = [int(h.headers["webhook-timestamp"]) for h in hits]
        self.assertLess(stamps[0], stamps[1])
        self.assertLess(stamps[1], stamps[2])
        self.assertEqual(len({h.headers["webhook-signature"] for h in hits}),
                         3)
        for h in hits:
            self.assertSigned(h)
        # The retries waited for the schedule (1.1 s each).
        self.assertGreaterEqual(hits[1].time - hits[0].time, 1.0)
        self.assertGreaterEqual(hits[2].time - hits[1].time, 1.0)
        sub = self.sub_ids(d)[0]
        obj = self.wait_show(d, sub, lambda o: o["deliveries"]["done"] == 1)
        self.assertEqual(obj["deliveries"]["pending"], 0)
        self.assertEqual(obj["deliveries"]["failed_attempts"], 2)
        self.assertEqual(obj["deliveries"]["delivered"], 1)
        self.assertEqual(obj["last_status"], 200)
        self.assertIsNone(obj["last_error"])
        status, _, body = d.get("/metrics")
        text = body.decode()
        for outcome, n in (("failed", 2), ("delivered", 1)):
            self.assertRegex(text, r'\npaperwire_webhook_deliveries_total'
                             r'\{outcome="%s"\} %d\n' % (outcome, n))
        self.assertRegex(text, r"\npaperwire_webhook_queue_depth 0\n")

    def test_redirect_not_followed_then_replay(self):
        self.serve([wrappers()[0]])
        self.rc.script("/moved", [Answer(302, headers={
            "Location": self.rc.url("/target")})])
        d = self.start([{"url": self.rc.url("/moved"), "secret": SECRET,
                         "filter": {}}],
                       delivery=dict(FAST, max_attempts=2))
        first = self.rc.wait(2, "/moved")
        sub = self.sub_ids(d)[0]
        obj = self.wait_show(d, sub, lambda o: o["deliveries"]["dead"] == 1)
        self.assertEqual(self.rc.hits("/target", method=None), [],
                         "the redirect was followed")
        self.assertEqual(len(self.rc.hits("/moved")), 2)
        dead = obj["dead_deliveries"]
        self.assertEqual(len(dead), 1)
        self.assertEqual(dead[0]["id"], first[0].headers["webhook-id"])
        self.assertEqual(dead[0]["last_status"], 302)
        self.assertEqual(dead[0]["attempts"], 2)
        self.assertIn("302", obj["last_error"])

        # Replayed: the same message again, now answered 200.
        self.rc.script("/moved", [Answer(200)])
        status, _, res = self.api(d, "POST", "/api/subscriptions/%s/replay"
                                  % sub)
        self.assertEqual(status, 200)
        self.assertEqual(res["replayed"], 1)
        hits = self.rc.wait(3, "/moved")
        self.assertEqual(hits[2].headers["webhook-id"],
                         first[0].headers["webhook-id"])
        self.assertSigned(hits[2])
        obj = self.wait_show(d, sub, lambda o: o["deliveries"]["done"] == 1)
        self.assertEqual(obj["deliveries"]["dead"], 0)

    def test_private_address_refused_by_default(self):
        # Without allow_private_networks a webhook to a loopback address
        # is refused at connect time: the listener sees no connection.
        self.serve([wrappers()[0]])
        lsock = socket.socket()
        lsock.bind(("127.0.0.1", 0))
        lsock.listen(16)
        lsock.settimeout(0.1)
        accepted, stop = [], threading.Event()

        def accept_loop():
            while not stop.is_set():
                try:
                    conn, _ = lsock.accept()
                    accepted.append(conn)
                except socket.timeout:
                    pass

        t = threading.Thread(target=accept_loop, daemon=True)
        t.start()
        self.addCleanup(lsock.close)
        self.addCleanup(t.join)
        self.addCleanup(stop.set)
        url = "http://127.0.0.1:%d/hook" % lsock.getsockname()[1]
        d = self.start([{"url": url, "filter": {}}],
                       delivery=dict(FAST, max_attempts=2),
                       allow_private_networks=False)
        sub = self.sub_ids(d)[0]
        obj = self.wait_show(d, sub, lambda o: o["deliveries"]["dead"] == 1)
        self.assertIn("refused to connect to 127.0.0.1", obj["last_error"])
        self.assertIn("loopback", obj["last_error"])
        self.assertEqual(accepted, [], "the guard let a connection through")

    def test_410_disables(self):
        ws = wrappers()
        self.serve([ws[0]])
        self.rc.script("/gone", [Answer(410)])
        d = self.start([{"url": self.rc.url("/gone"), "filter": {}}])
        self.rc.wait(1, "/gone")
        sub = self.sub_ids(d)[0]
        obj = self.wait_show(d, sub, lambda o: o["disabled"])
        self.assertIn("410", obj["disabled_reason"])
        self.assertEqual(obj["deliveries"]["dead"], 1)
        # New entries are not pushed to it any more.
        self.serve([ws[0], ws[1], ws[2]])
        d.poll_now()
        self.assertEqual(len(self.rc.quiet(1.5, "/gone")), 1)

    def test_retry_after(self):
        self.serve([wrappers()[0]])
        for path, status in (("/busy429", 429), ("/busy503", 503)):
            self.rc.script(path, [Answer(status, headers={"Retry-After": "2"}),
                                  Answer(200)])
        self.start([{"url": self.rc.url("/busy429"), "filter": {}},
                    {"url": self.rc.url("/busy503"), "filter": {}}])
        for path in ("/busy429", "/busy503"):
            hits = self.rc.wait(2, path, timeout=15)
            gap = hits[1].time - hits[0].time
            # first_delay is 0.2 s: the 2 s came from Retry-After.
            self.assertGreaterEqual(gap, 1.9, path)
            self.assertLess(gap, 6, path)
            self.assertEqual(hits[0].headers["webhook-id"],
                             hits[1].headers["webhook-id"])

    def test_upvote_growth_pushes_once(self):
        w = wrappers()[3]
        self.serve([with_upvotes(w, 5)])
        d = self.start([{"url": self.rc.url("/grow"),
                         "filter": {"min_upvotes": 10}}])
        self.assertEqual(self.rc.quiet(1.0, "/grow"), [])
        self.serve([with_upvotes(w, 12)])
        d.poll_now()
        hits = self.rc.wait(1, "/grow")
        e = hits[0].json()["data"]["entry"]
        self.assertEqual(e["id"], "arxiv:" + w["paper"]["id"])
        self.assertEqual(e["upvotes"], 12)
        # Growing further, or dipping and growing back, is not new.
        for n in (20, 4, 30):
            self.serve([with_upvotes(w, n)])
            d.poll_now()
        self.assertEqual(len(self.rc.quiet(1.5, "/grow")), 1)

    def test_kill9_with_pending_deliveries(self):
        ws = wrappers()
        self.serve(ws)
        want = {"arxiv:" + w["paper"]["id"] for w in ws}
        # Slow answers keep deliveries in flight when the daemon dies.
        self.rc.script("/slow", [Answer(200, delay=3)])
        d = self.start([{"url": self.rc.url("/slow"), "filter": {}}],
                       delivery=dict(FAST, per_host_concurrency=4))
        self.rc.wait(4, "/slow")
        d.kill9()
        before = self.rc.hits("/slow")
        self.assertLess(len(before), len(want))
        self.rc.script("/slow", [Answer(200)])
        d.start()
        deadline = time.time() + 20
        while True:
            hits = self.rc.hits("/slow")
            after = hits[len(before):]
            ids = {h.json()["data"]["entry"]["id"] for h in after}
            if ids >= want or time.time() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(ids, want, "a pending delivery was lost")
        # Every id seen is one message per entry: a duplicate can only be
        # the same webhook-id again.
        by_entry = {}
        for h in hits:
            e = h.json()["data"]["entry"]["id"]
            by_entry.setdefault(e, set()).add(h.headers["webhook-id"])
        self.assertEqual(set(by_entry), want)
        for e, mids in by_entry.items():
            self.assertEqual(len(mids), 1, e)

    def test_formats(self):
        w = with_upvotes(wrappers()[0], 77)
        self.serve([w])
        self.start([{"url": self.rc.url("/slack"), "format": "slack",
                     "filter": {}},
                    {"url": self.rc.url("/discord"), "format": "discord",
                     "filter": {}}])
        paper = harness.Paper(w)
        slack = self.rc.wait(1, "/slack")[0].json()
        self.assertIn(paper.title.replace("&", "&amp;"), slack["text"])
        head = slack["blocks"][0]["text"]["text"]
        self.assertTrue(head.startswith("*<%s|" % paper.link), head)
        for b in slack["blocks"]:
            t = b.get("text") or b["elements"][0]
            self.assertLessEqual(len(t["text"]), 3000)
        self.assertTrue(any("77 upvotes" in b["elements"][0]["text"]
                            for b in slack["blocks"]
                            if b["type"] == "context"))
        discord = self.rc.wait(1, "/discord")[0].json()
        self.assertEqual(discord["allowed_mentions"], {"parse": []})
        embed = discord["embeds"][0]
        self.assertEqual(embed["url"], paper.link)
        self.assertLessEqual(len(embed["title"]), 256)
        self.assertLessEqual(len(embed.get("description", "")), 4096)
        total = len(embed["title"]) + len(embed.get("description", "")) + \
            len(embed["footer"]["text"]) + \
            sum(len(f["name"]) + len(f["value"]) for f in embed["fields"])
        self.assertLessEqual(total, 6000)


class AdminApiTest(PushCase):

    def test_no_token_means_no_api(self):
        self.serve([])
        d = self.daemon([harness.hf_source(self.up, days=0)])
        for method, path in (("GET", "/api/subscriptions"),
                             ("POST", "/api/subscriptions"),
                             ("GET", "/api/subscriptions/sub_x"),
                             ("DELETE", "/api/subscriptions/sub_x"),
                             ("PUT", "/api/subscriptions")):
            status, _, _ = self.api(d, method, path, token=TOKEN)
            self.assertEqual(status, 404, (method, path))

    def test_auth_and_validation(self):
        self.serve([])
        d = self.start([])
        for token in (None, "wrong-token-0123456789", TOKEN + "x", TOKEN[:-1]):
            status, hdrs, obj = self.api(d, "GET", "/api/subscriptions",
                                         token=token)
            self.assertEqual(status, 401, token)
            self.assertIn("Bearer", hdrs.get("WWW-Authenticate", ""))
        status, _, _ = d.request("GET", "/api/subscriptions",
                                 {"Authorization": "Basic " + TOKEN})
        self.assertEqual(status, 401)
        url = self.rc.url("/h")
        cases = [
            (b"{not json", "(body)"),
            ([1, 2], "(body)"),
            ({"filter": {}}, "url"),
            ({"url": "ftp://127.0.0.1/x", "filter": {}}, "url"),
            ({"url": "not a url", "filter": {}}, "url"),
            ({"url": url}, "feed"),
            ({"url": url, "feed": "nope"}, "feed"),
            ({"url": url, "filter": {"bogus": 1}}, "filter.bogus"),
            ({"url": url, "filter": {"min_upvotes": "x"}},
             "filter.min_upvotes"),
            ({"url": url, "filter": {"limit": 5}}, "filter.limit"),
            ({"url": url, "filter": []}, "filter"),
            ({"url": url, "filter": {}, "format": "teams"}, "format"),
            ({"url": url, "filter": {}, "secret": "hunter2"}, "secret"),
            ({"url": url, "filter": {}, "backfill": 101}, "backfill"),
            ({"url": url, "filter": {}, "name": 7}, "name"),
            ({"url": url, "filter": {}, "colour": "red"}, "colour"),
        ]
        for body, field in cases:
            status, _, obj = self.api(d, "POST", "/api/subscriptions", body)
            self.assertEqual(status, 400, (body, obj))
            self.assertEqual(obj["field"], field, (body, obj))
            self.assertTrue(obj["error"].startswith(field + ": "), obj)
        self.assertEqual(self.sub_ids(d), [])
        status, _, _ = self.api(d, "PUT", "/api/subscriptions")
        self.assertEqual(status, 405)
        status, _, _ = self.api(d, "GET", "/api/subscriptions/sub_nope")
        self.assertEqual(status, 404)
        status, _, _ = self.api(d, "GET", "/api/subscriptions/../x")
        self.assertEqual(status, 404)

    def test_lifecycle(self):
        self.serve([])
        d = self.start([{"url": self.rc.url("/cfg"), "filter": {}}])
        status, hdrs, obj = self.api(d, "POST", "/api/subscriptions", {
            "url": self.rc.url("/api"), "filter": {"min_upvotes": 5},
            "name": "mine", "format": "discord"})
        self.assertEqual(status, 201, obj)
        sid = obj["id"]
        self.assertRegex(sid, r"^sub_[0-9a-f]{24}$")
        self.assertEqual(hdrs.get("Location"), "/api/subscriptions/" + sid)
        self.assertRegex(obj["secret"], r"^whsec_[A-Za-z0-9+/]{43}=$")
        self.assertEqual(obj["format"], "discord")
        self.assertEqual(obj["origin"], "api")
        self.assertEqual(obj["filter"], {"min_upvotes": 5})
        # The secret is shown once.
        one = self.show(d, sid)
        self.assertNotIn("secret", one)
        self.assertTrue(one["signed"])
        self.assertEqual(one["deliveries"], {"pending": 0, "done": 0,
                                             "dead": 0, "delivered": 0,
                                             "failed_attempts": 0})
        status, _, lst = self.api(d, "GET", "/api/subscriptions")
        self.assertEqual(len(lst["subscriptions"]), 2)
        for s in lst["subscriptions"]:
            self.assertNotIn("secret", s)
        cfg = [s for s in lst["subscriptions"] if s["origin"] == "config"]
        self.assertEqual(len(cfg), 1)
        self.assertFalse(cfg[0]["signed"])
        # Config subscriptions are changed in the file, not here.
        status, _, obj = self.api(d, "DELETE",
                                  "/api/subscriptions/" + cfg[0]["id"])
        self.assertEqual(status, 409)
        # An API subscription lives in the database: it survives a restart.
        d.restart()
        self.assertIn(sid, self.sub_ids(d))
        status, _, _ = self.api(d, "DELETE", "/api/subscriptions/" + sid)
        self.assertEqual(status, 204)
        status, _, _ = self.api(d, "GET", "/api/subscriptions/" + sid)
        self.assertEqual(status, 404)
        status, _, _ = self.api(d, "DELETE", "/api/subscriptions/" + sid)
        self.assertEqual(status, 404)
        # The secret never reached the log.
        self.assertNotIn("whsec_", d.log())
        self.assertNotIn(TOKEN, d.log())

    def test_token_from_environment(self):
        self.serve([])
        d = self.daemon([harness.hf_source(self.up, days=0)],
                        env={"PAPERWIRE_ADMIN_TOKEN": TOKEN})
        status, _, _ = self.api(d, "GET", "/api/subscriptions", token=None)
        self.assertEqual(status, 401)
        status, _, _ = self.api(d, "GET", "/api/subscriptions")
        self.assertEqual(status, 200)

    def test_no_backlog_unless_backfill(self):
        ws = wrappers()
        self.serve(ws)
        d = self.start([])
        status, _, a = self.api(d, "POST", "/api/subscriptions", {
            "url": self.rc.url("/nobacklog"), "filter": {}})
        self.assertEqual(status, 201)
        status, _, b = self.api(d, "POST", "/api/subscriptions", {
            "url": self.rc.url("/backfill"), "filter": {"min_upvotes": 1},
            "backfill": 3, "secret": SECRET})
        self.assertEqual(status, 201)
        self.assertEqual(b["secret"], SECRET)
        hits = self.rc.wait(3, "/backfill")
        self.assertEqual(len(self.rc.quiet(1.0, "/backfill")), 3)
        self.assertEqual(self.rc.hits("/nobacklog"), [])
        for h in hits:
            self.assertSigned(h)
        # The three most recent matches: all were first seen in the same
        # poll, so the feed's order decides (upvotes, then id), oldest
        # of the three sent first.
        ranked = sorted(((w["paper"].get("upvotes") or 0,
                          "arxiv:" + w["paper"]["id"]) for w in ws
                         if (w["paper"].get("upvotes") or 0) >= 1),
                        key=lambda t: (-t[0], t[1]))
        top3 = [i for _, i in ranked[:3]]
        got = [h.json()["data"]["entry"]["id"] for h in hits]
        self.assertEqual(sorted(got), sorted(top3))
        # Later changes to the backlog push nothing, except for entries
        # that only start matching now (0 upvotes before, 5 now).
        crossing = {"arxiv:" + w["paper"]["id"] for w in ws
                    if (w["paper"].get("upvotes") or 0) == 0}
        self.assertGreater(len(crossing), 0)
        self.serve([with_upvotes(w, (w["paper"].get("upvotes") or 0) + 5)
                    for w in ws])
        d.poll_now()
        hits = self.rc.quiet(1.5, "/backfill")
        self.assertEqual(len(hits), 3 + len(crossing))
        self.assertEqual({h.json()["data"]["entry"]["id"] for h in hits[3:]},
                         crossing)
        self.assertEqual(self.rc.hits("/nobacklog"), [])
        # A new paper reaches both.
        self.serve(ws + [with_upvotes(renamed(ws[0], "2699.00001"), 50)])
        d.poll_now()
        self.assertEqual(self.rc.wait(1, "/nobacklog")[0].json()["data"]
                         ["entry"]["id"], "arxiv:2699.00001")
        self.rc.wait(4 + len(crossing), "/backfill")


    def test_backlog_entry_that_returns(self):
        w = wrappers()[5]
        self.serve([with_upvotes(w, 20)])
        d = self.start([])
        status, _, _ = self.api(d, "POST", "/api/subscriptions", {
            "url": self.rc.url("/back"), "filter": {"min_upvotes": 10}})
        self.assertEqual(status, 201)
        # Part of the backlog: growing further is not news.
        for n in (25, 5):
            self.serve([with_upvotes(w, n)])
            d.poll_now()
        self.assertEqual(self.rc.quiet(1.0, "/back"), [])
        # Dropped out and back: a match the subscription never had.
        self.serve([with_upvotes(w, 15)])
        d.poll_now()
        hit = self.rc.wait(1, "/back")[0]
        self.assertEqual(hit.json()["data"]["entry"]["upvotes"], 15)
        self.serve([with_upvotes(w, 3)])
        d.poll_now()
        self.serve([with_upvotes(w, 30)])
        d.poll_now()
        self.assertEqual(len(self.rc.quiet(1.0, "/back")), 1)


class PushConfigTest(PushCase):

    def check(self, cfg):
        path = os.path.join(tempfile.mkdtemp(prefix="pw-push-cfg-"),
                            "c.json")
        self.addCleanup(shutil.rmtree, os.path.dirname(path), True)
        with open(path, "w") as f:
            json.dump(cfg, f, indent=2)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("PAPERWIRE_")}
        p = subprocess.run([harness.daemon_bin(), "--check-config", path],
                           capture_output=True, timeout=10, env=env)
        lines = [l for l in (p.stdout + p.stderr).decode().splitlines()
                 if l.strip()]
        return p.returncode, path, lines

    def test_good_config(self):
        rc, _, lines = self.check({
            "admin_token": TOKEN,
            "feeds": [{"name": "hot", "filter": {"min_upvotes": 10}}],
            "webhooks": [
                {"url": "https://hooks.example.org/x", "feed": "hot"},
                {"url": "http://127.0.0.1:9/y", "filter": {"q": "llm"},
                 "format": "slack", "secret": SECRET, "name": "llm",
                 "backfill": 5}],
            "delivery": {"timeout": 10, "first_delay": 0.5, "factor": 3,
                         "max_delay": 600, "max_attempts": 8,
                         "per_host_concurrency": 2},
            "websub": {"hub": "https://hub.example.org/",
                       "lease_seconds": 3600, "min_lease_seconds": 60,
                       "max_lease_seconds": 7200}})
        self.assertEqual(rc, 0, lines)
        self.assertEqual(lines, ["OK"])

    def test_bad_config(self):
        rc, path, lines = self.check({
            "admin_token": "short",
            "feeds": [{"name": "hot"}],
            "webhooks": [
                {"url": "ftp://x/", "filter": {}},
                {"url": "http://127.0.0.1:9/", "feed": "cold"},
                {"url": "http://127.0.0.1:9/", "filter": {"q": "a"},
                 "format": "teams", "secret": "nope", "bogus": 1},
                {"url": "http://127.0.0.1:9/", "filter": {"q": "a"},
                 "format": "teams", "secret": "nope", "bogus": 1}],
            "delivery": {"timeout": 0, "factor": 0.5, "first_delay": "1",
                         "max_attempts": 1000, "per_host_concurrency": 0,
                         "retries": 3},
            "websub": {"hub": "gopher://x", "min_lease_seconds": 10,
                       "max_lease_seconds": 5, "extra": 1},
            "allow_private_networks": ["10.0.0.0/8", "10.0.0.0/33",
                                       "fd00::/8", "nonsense", 7]})
        self.assertEqual(rc, 1)
        keys = ["admin_token", "webhooks[0].url", "webhooks[1].feed",
                "webhooks[2].bogus", "webhooks[2].format",
                "webhooks[2].secret", "webhooks[3].bogus",
                "webhooks[3].format", "webhooks[3].secret",
                "delivery.timeout", "delivery.factor", "delivery.first_delay",
                "delivery.max_attempts", "delivery.per_host_concurrency",
                "delivery.retries", "websub.hub", "websub.extra",
                "allow_private_networks[1]", "allow_private_networks[3]",
                "allow_private_networks[4]"]
        for line in lines:
            self.assertTrue(line.startswith(path + ": "), line)
        for key in keys:
            hits = [l for l in lines
                    if re.match(re.escape(path) + ": " + re.escape(key)
                                + r"(?![\w.\[])", l)]
            self.assertEqual(len(hits), 1, "%s in\n%s" % (
                key, "\n".join(lines)))
        self.assertEqual(len(lines), len(keys), "\n".join(lines))
        # The token is a secret: never repeated in a message.
        self.assertNotIn("short", "\n".join(lines))

    def test_duplicate_and_bounds(self):
        hook = {"url": "http://127.0.0.1:9/", "filter": {"q": "a"}}
        rc, path, lines = self.check({
            "webhooks": [hook, dict(hook, name="same target")],
            "websub": {"min_lease_seconds": 100, "max_lease_seconds": 50}})
        self.assertEqual(rc, 1)
        self.assertEqual(lines, [
            path + ": webhooks[1]: the same subscription as webhooks[0]",
            path + ": websub.min_lease_seconds: must not be more than "
            "max_lease_seconds"])


if __name__ == "__main__":
    harness.main()
