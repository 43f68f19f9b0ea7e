"""Crash safety: kill -9 at random points during a poll and during webhook
delivery, 20 rounds on one database, restarting after each kill.

After every kill, with the daemon dead, the database is opened with
Python's sqlite3 module (read-only, but normally, so the WAL is replayed)
and checked:

* PRAGMA integrity_check answers "ok";
* no partial poll is visible: every version the fake upstream serves
  changes all entries together (the same upvote bump on every paper, plus
  two new papers), so the stored entries must be exactly the set of one
  version, all with that one version's upvotes, and that version is the
  one stored before the killed poll or the one it was fetching;
* every stored entry has its webhook delivery row (the outbox is written
  in the poll's own transaction).

At the end the daemon runs until the receiver got every webhook-id ever
seen in the outbox, one per entry; duplicates only as retries of the
same id with the same body. Expected values come from the versions this
file serves, not from paperwire's code.
"""

import copy
import os
import random
import re
import sqlite3
import sys
import time

import harness
import receiver
from harness import PwTestCase

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
ROUNDS = 20
BASE_PAPERS = 10  # papers of the fixture in every version
NEW_PER_VERSION = 2  # fresh papers each version adds
BUMP = 1000  # upvotes added to every paper by each version
# Retries stay fast, and interrupted attempts cannot exhaust the schedule.
DELIVERY = {"first_delay": 0.2, "factor": 2, "max_delay": 1,
            "max_attempts": 20, "timeout": 5}


class Versions:
    """The upstream's list for version v: BASE_PAPERS fixture papers and
    NEW_PER_VERSION * v extra papers, every one with its own base upvotes
    plus BUMP * v."""

    def __init__(self):
        ws = harness.load_daily()[:BASE_PAPERS]
        self.base = []
        for i in range(BASE_PAPERS + NEW_PER_VERSION * (ROUNDS + 2)):
            w = copy.deepcopy(ws[i % BASE_PAPERS])
            if i >= BASE_PAPERS:
                w["paper"]["id"] = "2612.%05d" % i
                w["paper"]["title"] = "Crash paper %d" % i
            w["paper"]["upvotes"] = (ws[i % BASE_PAPERS]["paper"]
                                     .get("upvotes") or 0) + i
            self.base.append(w)
        # Base upvotes are all below BUMP, so upvotes // BUMP is the
        # version and upvotes % BUMP names the paper.
        assert all(w["paper"]["upvotes"] < BUMP for w in self.base)

    def papers(self, v):
        out = []
        for w in self.base[:BASE_PAPERS + NEW_PER_VERSION * v]:
            w = copy.deepcopy(w)
            w["paper"]["upvotes"] += BUMP * v
            out.append(w)
        return out

    def ids(self, v):
        return {"arxiv:" + w["paper"]["id"] for w in self.papers(v)}

    def upvotes(self, v):
        return {"arxiv:" + w["paper"]["id"]: w["paper"]["upvotes"]
                for w in self.papers(v)}


class SlowRespond(harness.Respond):
    """Answers after a random pause, so kills also land mid-fetch."""

    def __call__(self, handler, req):
        time.sleep(random.uniform(0.02, 0.12))
        super().__call__(handler, req)


def read_db(path):
    """(integrity, {entry id: upvotes}, {webhook-id: entry id}, number of
    pending webhook deliveries) from the
    database of a dead daemon, opened read-only without immutable=1 so
    SQLite reads (replays) the WAL left by the kill."""
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=5)
    try:
        integrity = [r[0] for r in con.execute("PRAGMA integrity_check")]
        entries = dict(con.execute("SELECT id, upvotes FROM entries"))
        deliveries = dict(con.execute(
            "SELECT id, entry_id FROM deliveries WHERE kind = 'webhook'"))
        pending = con.execute(
            "SELECT count(*) FROM deliveries WHERE kind = 'webhook'"
            " AND status = 'pending'").fetchone()[0]
        return integrity, entries, deliveries, pending
    finally:
        con.close()


class CrashTest(PwTestCase):

    def test_kill9_during_poll_and_delivery(self):
        rng = random.Random(os.environ.get("PAPERWIRE_CRASH_SEED"))
        seed = rng.randrange(1 << 30)
        rng.seed(seed)
        sys.stderr.write("\ncrash seed %d\n" % seed)
        vs = Versions()
        up = self.upstream()
        rc = receiver.Receiver()
        self.addCleanup(rc.close)
        # Every answer waits a little, so deliveries are in flight when
        # the kill comes.
        rc.script("/hook", [receiver.Answer(200, delay=0.1)])

        def serve(v):
            body = harness.json.dumps(vs.papers(v)).encode("utf-8")
            up.set("/api/daily_papers", SlowRespond(body))

        serve(0)
        d = self.daemon(
            [harness.hf_source(up, days=0, interval=3600)],
            extra={"webhooks": [{"url": rc.url("/hook"), "secret": SECRET,
                                 "name": "all", "filter": {}}],
                   "delivery": DELIVERY,
                   "allow_private_networks": ["127.0.0.0/8"]})
        stored = 0  # the version the database holds before each poll
        outbox = {}  # every webhook-id seen in the database -> entry id
        outcomes = {"before": 0, "after": 0, "pending": 0}
        for rnd in range(ROUNDS):
            self.assertEqual(self.feed_upvotes(d), vs.upvotes(stored),
                             "round %d: version %d not served" % (rnd, stored))
            served = stored + 1
            serve(served)
            during_delivery = rnd % 2 == 1
            hits_before = len(rc.hits("/hook"))
            d.trigger_poll()
            if during_delivery:
                # The poll committed and the first of its new deliveries
                # reached the receiver, which holds its answer 0.1 s.
                rc.wait(hits_before + 1, "/hook", timeout=10)
                time.sleep(rng.uniform(0, 0.3))
            else:
                time.sleep(rng.uniform(0, 0.2))
            d.kill9()

            integrity, entries, deliveries, pending = read_db(d.db)
            self.assertEqual(integrity, ["ok"], "round %d" % rnd)
            outcomes["pending"] += pending
            if entries == vs.upvotes(stored):
                outcomes["before"] += 1
            elif entries == vs.upvotes(stored + 1):
                outcomes["after"] += 1
                stored += 1
            else:
                versions = sorted({u // BUMP for u in entries.values()})
                self.fail("round %d: partial poll visible: %d entries, "
                          "upvote versions %r, expected all of version %d "
                          "or all of %d" % (rnd, len(entries), versions,
                                            stored, stored + 1))
            # The outbox went in with the entries.
            self.assertEqual(set(deliveries.values()), set(entries),
                             "round %d: entries without deliveries or the "
                             "reverse" % rnd)
            self.assertEqual(len(deliveries), len(entries),
                             "round %d: more than one delivery per entry"
                             % rnd)
            for mid, eid in deliveries.items():
                self.assertEqual(outbox.setdefault(mid, eid), eid)

            # The restart polls at once and stores the version served now
            # (or finds it stored already and skips the unchanged body).
            d.start(wait_poll=True)
            stored = served
        # before/after: kills that left the old or the new version;
        # pending: deliveries left pending by the kills, all told.
        sys.stderr.write("crash rounds: %r\n" % outcomes)

        # Everything pending is delivered after the last restart.
        self.assertEqual(self.feed_upvotes(d), vs.upvotes(stored))
        want_entries = vs.ids(stored)
        deadline = time.time() + 30
        while True:
            got = {h.headers.get("webhook-id") for h in rc.hits("/hook")}
            if set(outbox) <= got and len(got) >= len(want_entries):
                break
            if time.time() > deadline:
                self.fail("not delivered after the restarts: %r"
                          % sorted(set(outbox) - got)[:10])
            time.sleep(0.1)
        # A receiver can hold a message whose answer the daemon has not
        # recorded yet; a SIGTERM then would leave it pending (to be sent
        # again next run, by design). Wait until the queue is empty.
        while True:
            _, _, text = d.get("/metrics")
            depth = re.search(rb"^paperwire_webhook_queue_depth (\S+)$",
                              text, re.M)
            if depth is not None and float(depth.group(1)) == 0:
                break
            if time.time() > deadline:
                self.fail("the delivery queue did not empty")
            time.sleep(0.1)
        d.stop()
        integrity, entries, deliveries, pending = read_db(d.db)
        self.assertEqual(integrity, ["ok"])
        self.assertEqual(pending, 0)
        self.assertEqual(entries, vs.upvotes(stored))
        for mid, eid in deliveries.items():
            self.assertEqual(outbox.setdefault(mid, eid), eid)
        self.assertEqual(set(deliveries), set(outbox),
                         "a delivery row vanished")

        by_id = {}
        for h in rc.hits("/hook"):
            mid = h.headers.get("webhook-id")
            self.assertIn(mid, outbox, "unknown webhook-id")
            self.assertEqual(h.headers.get("webhook-signature"),
                             receiver.standard_signature(
                                 SECRET, mid, h.headers["webhook-timestamp"],
                                 h.body))
            entry = h.json()["data"]["entry"]["id"]
            self.assertEqual(entry, outbox[mid])
            # A duplicate is a retry: same id, byte-identical body.
            self.assertEqual(by_id.setdefault(mid, h.body), h.body)
        per_entry = {}
        for mid, eid in outbox.items():
            per_entry.setdefault(eid, []).append(mid)
        self.assertEqual(set(per_entry), want_entries)
        for eid, mids in per_entry.items():
            self.assertEqual(len(mids), 1, "%s has webhook-ids %r"
                             % (eid, mids))
        self.assertEqual(set(by_id), set(outbox))

    def feed_upvotes(self, d):
        feed = d.json_feed("/feed.json?limit=500")
        return {it["id"]: it["_paperwire"]["upvotes"]
                for it in feed["items"]}


if __name__ == "__main__":
    harness.main()
