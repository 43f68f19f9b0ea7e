"""Fan-out benchmark (driven by bench/fanout.sh): N webhook subscriptions
all matching one new entry, delivered to a local receiver.

nginx (one worker) plays both parts on 127.0.0.1: the upstream (a static
daily-papers JSON file, swapped from an empty list to one paper) and the
receiver (every POST to /hook/<i> answered 204, logged with $msec).
paperwire is configured with the N subscriptions in its file; once its
start-up poll (of the empty list) is done, the one-paper file is put in
place and SIGUSR1 makes it poll.

Measured:
  poll    the poll's duration as paperwire logs it (fetch, matching, the
          N messages formatted and queued, the commit);
  burst   the last 2xx (nginx's $msec) minus the poll's end;
  rate    N / burst;
  memory  paperwire's VmRSS before the poll and its peak during the burst
          (sampled every 5 ms from /proc), and VmHWM at the end.

usage: python3 bench/fanout.py PAPERWIRE FIXTURE [N] [PER_HOST]
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid, field="VmRSS"):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def log_time(text, msg, nth=-1):
    """Unix time of the nth log line with msg (logfmt ts=...Z)."""
    times = []
    for line in text.splitlines():
        if 'msg="%s"' % msg in line:
            m = re.search(r"ts=(\S+)Z", line)
            t = time.strptime(m.group(1)[:19], "%Y-%m-%dT%H:%M:%S")
            frac = float("0" + m.group(1)[19:]) if len(m.group(1)) > 19 \
                else 0.0
            times.append(time.mktime(t) - time.timezone + frac)
    return times[nth]


def wait_http(url, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                return r.read()
        except OSError:
            time.sleep(0.05)
    raise SystemExit("no answer from %s" % url)


def main():
    binary, fixture = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    per_host = int(sys.argv[4]) if len(sys.argv) > 4 else 4
    work = tempfile.mkdtemp(prefix="pw-fanout-")
    os.chmod(work, 0o755)
    procs = []
    try:
        with open(fixture) as f:
            one = [json.load(f)[0]]
        api = os.path.join(work, "daily.json")
        with open(api, "w") as f:
            f.write("[]")
        ng_port, pw_port = free_port(), free_port()
        with open(os.path.join(work, "nginx.conf"), "w") as f:
            f.write("""worker_processes 1;
pid %(w)s/nginx.pid;
error_log %(w)s/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path %(w)s/body;
  proxy_temp_path %(w)s/proxy;
  fastcgi_temp_path %(w)s/fastcgi;
  uwsgi_temp_path %(w)s/uwsgi;
  scgi_temp_path %(w)s/scgi;
  log_format hook '$msec $status $request_length';
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:%(p)d;
    location = /api/daily_papers {
      default_type application/json;
      alias %(w)s/daily.json;
    }
    location /hook/ {
      access_log %(w)s/hooks.log hook;
      client_body_buffer_size 64k;
      return 204;
    }
  }
}
""" % {"w": work, "p": ng_port})
        procs.append(subprocess.Popen(
            ["nginx", "-c", os.path.join(work, "nginx.conf"), "-g",
             "daemon off;"], stderr=subprocess.DEVNULL))
        wait_http("http://127.0.0.1:%d/api/daily_papers" % ng_port)

        cfg = {
            "listen": "127.0.0.1:%d" % pw_port,
            "database": os.path.join(work, "pw.db"),
            "sources": [{"name": "hf", "type": "hf_daily", "days": 0,
                         "interval": 86400,
                         "url": "http://127.0.0.1:%d/api/daily_papers"
                         % ng_port}],
            "webhooks": [{"url": "http://127.0.0.1:%d/hook/%d"
                          % (ng_port, i), "filter": {},
                          "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
                         for i in range(n)],
            "delivery": {"per_host_concurrency": per_host},
        }
        with open(os.path.join(work, "pw.json"), "w") as f:
            json.dump(cfg, f)
        log = open(os.path.join(work, "pw.log"), "w")
        t_start = time.time()
        pw = subprocess.Popen([binary, "--config",
                               os.path.join(work, "pw.json")],
                              stderr=log, stdout=log)
        procs.append(pw)
        health = "http://127.0.0.1:%d/healthz" % pw_port
        wait_http(health, 60)
        while json.loads(wait_http(health))["sources"][0]["polls"] < 1:
            time.sleep(0.05)
        t_ready = time.time()
        rss_before = rss_kib(pw.pid)

        with open(api + ".tmp", "w") as f:
            json.dump(one, f)
        os.rename(api + ".tmp", api)
        hooks = os.path.join(work, "hooks.log")
        peak = rss_before
        pw.send_signal(signal.SIGUSR1)
        deadline = time.time() + 300
        done = 0
        while time.time() < deadline:
            peak = max(peak, rss_kib(pw.pid))
            if os.path.exists(hooks):
                with open(hooks) as f:
                    done = sum(1 for line in f if " 204 " in line)
                if done >= n:
                    break
            time.sleep(0.005)
        hwm = rss_kib(pw.pid, "VmHWM")
        time.sleep(0.3)
        with open(os.path.join(work, "pw.log")) as f:
            text = f.read()
        with open(hooks) as f:
            stamps = [float(line.split()[0]) for line in f
                      if " 204 " in line]
        t_queued = log_time(text, "deliveries queued")
        t_poll_end = log_time(text, "poll finished")
        t_last = max(stamps)
        burst = t_last - t_poll_end
        print("subscriptions           %d (per-host concurrency %d)"
              % (n, per_host))
        print("start-up with %d subs   %.2f s" % (n, t_ready - t_start))
        print("2xx received            %d" % len(stamps))
        polls = re.findall(r'msg="poll finished".* duration_ms=(\d+)', text)
        print("poll with matching      %s ms (fetch, match, %d messages "
              "queued, commit)" % (polls[-1], n))
        print("queued -> poll end      %.0f ms (the rest of the poll's "
              "transaction, fsync)" % ((t_poll_end - t_queued) * 1000))
        print("poll end -> first 2xx   %.0f ms"
              % ((min(stamps) - t_poll_end) * 1000))
        print("poll end -> last 2xx    %.0f ms" % (burst * 1000))
        print("deliveries per second   %.0f" % (n / burst))
        print("RSS before / peak       %.1f MiB / %.1f MiB (VmHWM %.1f MiB)"
              % (rss_before / 1024, peak / 1024, hwm / 1024))
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
