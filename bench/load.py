"""Load benchmark driver for bench/load.sh, all on 127.0.0.1.

Starts a fake Hugging Face upstream whose daily list changes on every
request (every paper's upvotes grow by one per poll, so every poll updates
every entry and invalidates the rendered-feed caches), starts paperwire
polling it every second with two named feeds, runs wrk with
bench/load.lua (200 connections, mixed feed URLs) and samples the daemon's
VmRSS from /proc/PID/status at the 10th and the 60th second of the run.
Prints wrk's figures, the RSS samples and the poll count, then stops
everything it started. Exits 1 when any request failed.

usage: python3 bench/load.py PAPERWIRE_BIN FIXTURE [SECONDS] [CONNECTIONS]
"""

import copy
import http.server
import json
import os
import shutil
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Upstream:
    """The daily list, one version newer on every request."""

    def __init__(self, fixture):
        with open(fixture, "rb") as f:
            self.papers = json.load(f)
        self.version = 0
        self.lock = threading.Lock()
        up = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *args):
                pass

            def do_GET(self):
                body = up.next_body()
                self.send_response(200)
                self.send_header("Content-Type",
                                 "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       daemon=True)
        self.thread.start()

    def next_body(self):
        with self.lock:
            self.version += 1
            v = self.version
        ws = copy.deepcopy(self.papers)
        for w in ws:
            w["paper"]["upvotes"] = (w["paper"].get("upvotes") or 0) + v
        return json.dumps(ws).encode("utf-8")

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def rss_kib(pid):
    """VmRSS in KiB from /proc/PID/status."""
    return status_kib(pid)["VmRSS"]


def status_kib(pid):
    """VmRSS and its split (RssAnon: heap; RssFile: mapped files, the
    memory-mapped database among them) in KiB."""
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key = line.split(":", 1)[0]
            if key in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
                out[key] = int(line.split()[1])
    if "VmRSS" not in out:
        raise RuntimeError("no VmRSS for %d" % pid)
    return out


def get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read()


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, fixture = sys.argv[1], sys.argv[2]
    secs = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    conns = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    work = tempfile.mkdtemp(prefix="pw-load-")
    up = Upstream(fixture)
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    cfg = {
        "listen": "127.0.0.1:%d" % port,
        "database": os.path.join(work, "pw.db"),
        "sources": [{"name": "hf-daily", "type": "hf_daily", "days": 0,
                     "interval": 1,
                     "url": "http://127.0.0.1:%d/api/daily_papers"
                     % up.port}],
        "feeds": [{"name": "hot", "filter": {"min_upvotes": 20}},
                  {"name": "code", "filter": {"has_code": True}}],
    }
    with open(os.path.join(work, "config.json"), "w") as f:
        json.dump(cfg, f)
    log = open(os.path.join(work, "paperwire.log"), "wb")
    pw = subprocess.Popen([binary, "--config",
                           os.path.join(work, "config.json"),
                           "--log-level", "warn"],
                          stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    wrk = None
    failed = True
    try:
        deadline = time.time() + 15
        while True:
            try:
                if get(base + "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            if pw.poll() is not None or time.time() > deadline:
                raise RuntimeError("paperwire did not become ready")
            time.sleep(0.1)
        polls0 = up.version
        print("paperwire pid %d, %d entries stored, upstream changes on "
              "every poll (interval 1 s)" % (pw.pid, len(up.papers)))
        print("rss before load: %d KiB" % rss_kib(pw.pid))
        sys.stdout.flush()
        wrk = subprocess.Popen(
            ["wrk", "-t", "2", "-c", str(conns), "-d", "%ds" % secs,
             "--timeout", "10s", "--latency", "-s",
             os.path.join(HERE, "load.lua"), base + "/feed.rss"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        t0 = time.time()
        samples = {}
        for at in (10, secs):
            # The last sample is taken just before wrk's end.
            when = t0 + (at if at < secs else secs - 0.5)
            time.sleep(max(0, when - time.time()))
            samples[at] = status_kib(pw.pid)
        out = wrk.communicate(timeout=secs + 30)[0].decode()
        polls = up.version - polls0
        print(out.rstrip())
        print("polls during the run: %d (upstream requests)" % polls)
        for at in (10, secs):
            m = samples[at]
            print("rss at %ds: %d KiB (anon %d, file %d, shmem %d)"
                  % (at, m["VmRSS"], m.get("RssAnon", -1),
                     m.get("RssFile", -1), m.get("RssShmem", -1)))
        print("rss change 10s -> %ds: %+d KiB (anon %+d)"
              % (secs, samples[secs]["VmRSS"] - samples[10]["VmRSS"],
                 samples[secs].get("RssAnon", 0)
                 - samples[10].get("RssAnon", 0)))
        bad = [ln for ln in out.splitlines()
               if ln.startswith("wrk socket errors")
               or ln.startswith("wrk non-2xx")]
        zero = all(set(c for c in ln.split(":", 1)[1] if c.isdigit()) <= {"0"}
                   for ln in bad) and len(bad) == 2
        print("zero errors: %s" % ("yes" if zero else "NO"))
        if pw.poll() is not None:
            print("paperwire died: exit %s" % pw.returncode)
            zero = False
        failed = not zero
    finally:
        if wrk is not None and wrk.poll() is None:
            wrk.kill()
            wrk.wait()
        if pw.poll() is None:
            pw.terminate()
            try:
                pw.wait(10)
            except subprocess.TimeoutExpired:
                pw.kill()
                pw.wait()
        log.close()
        up.close()
        if failed:
            with open(os.path.join(work, "paperwire.log"), "rb") as f:
                sys.stderr.write(f.read()[-4000:].decode("utf-8", "replace"))
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
