#!/bin/sh
# Serving benchmark, all on 127.0.0.1, with nginx as the same-run reference.
#
#  1. A cached feed of 50 entries: paperwire's /feed.rss against nginx
#     serving the very same bytes as a static file (1 worker, like
#     paperwire's one event loop), both driven by wrk with the same settings.
#  2. Uncached filtered queries (q= plus min_upvotes, a different query on
#     every request) over a store of 100,000 generated entries.
#  3. paperwire's resident memory with those 100,000 entries.
#
# usage: bench/serve.sh [SECONDS]   (default 10 per run)
set -eu
cd "$(dirname "$0")/.."
secs=${1:-10}
scripts/deps.sh bench >/dev/null
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DPAPERWIRE_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j "$(nproc)" --target paperwire gen_entries >/dev/null

work=$(mktemp -d)
chmod 755 "$work" # nginx workers run as nobody
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	[ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

port_pw=18480
port_ng=18481
port_big=18482

start_pw() { # database port
	printf '{"listen":"127.0.0.1:%s","database":"%s","sources":[]}\n' "$2" "$1" >"$work/pw-$2.json"
	build-bench/paperwire --config "$work/pw-$2.json" --log-level warn 2>"$work/pw-$2.log" &
	pw_pid=$!
	pids="$pids $pw_pid"
	for _ in $(seq 50); do
		curl -sf "http://127.0.0.1:$2/healthz" >/dev/null && return 0
		sleep 0.1
	done
	echo "paperwire did not start" >&2
	exit 1
}

rps() { awk '/Requests\/sec/ {print $2}'; }
p99() { awk '$1 == "99%" {print $2}'; }

# 1. Cached feed versus nginx.
build-bench/gen_entries "$work/small.db" 1000 >/dev/null
start_pw "$work/small.db" $port_pw
mkdir -p "$work/www"
curl -sf "http://127.0.0.1:$port_pw/feed.rss" -o "$work/www/feed.rss"
bytes=$(wc -c <"$work/www/feed.rss")
items=$(grep -c '<item>' "$work/www/feed.rss")
cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path $work/tmp; proxy_temp_path $work/tmp;
    fastcgi_temp_path $work/tmp; uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
    types { application/rss+xml rss; }
    server { listen 127.0.0.1:$port_ng; root $work/www; etag on; }
}
NGINX
mkdir -p "$work/tmp"
nginx -c "$work/nginx.conf" -e "$work/nginx-error.log" 2>/dev/null || nginx -c "$work/nginx.conf"
sleep 0.3
wrk -t1 -c50 -d"${secs}s" --latency "http://127.0.0.1:$port_ng/feed.rss" >"$work/wrk-nginx.txt"
wrk -t1 -c50 -d"${secs}s" --latency "http://127.0.0.1:$port_pw/feed.rss" >"$work/wrk-pw.txt"
if grep -q Non-2xx "$work/wrk-nginx.txt" "$work/wrk-pw.txt"; then
	echo "error answers during the run:" >&2
	cat "$work/wrk-nginx.txt" "$work/wrk-pw.txt" >&2
	exit 1
fi
ng=$(rps <"$work/wrk-nginx.txt")
pw=$(rps <"$work/wrk-pw.txt")
echo "cached feed: $items items, $bytes bytes; wrk -t1 -c50 -d${secs}s"
echo "  nginx static file: $ng req/s (p99 $(p99 <"$work/wrk-nginx.txt" || true))"
echo "  paperwire /feed.rss: $pw req/s (p99 $(p99 <"$work/wrk-pw.txt"))"
awk -v a="$pw" -v b="$ng" 'BEGIN { printf "  ratio paperwire/nginx: %.2f\n", a / b }'

# 2. Uncached filtered queries over 100,000 entries.
build-bench/gen_entries "$work/big.db" 100000 >/dev/null
start_pw "$work/big.db" $port_big
big=$pw_pid
cat >"$work/random.lua" <<'LUA'
local words = {"diffusion", "transformer", "agent", "reasoning", "vision",
  "speech", "retrieval", "alignment", "robot", "video", "quantization",
  "distillation", "speculative", "segmentation", "contrastive", "reward"}
math.randomseed(7)
request = function()
  local q = words[math.random(#words)]
  if math.random(2) == 1 then q = q .. "+" .. words[math.random(#words)] end
  return wrk.format("GET", "/feed.json?q=" .. q .. "&min_upvotes=" .. math.random(0, 50))
end
LUA
wrk -t1 -c8 -d"${secs}s" --latency -s "$work/random.lua" "http://127.0.0.1:$port_big" >"$work/wrk-q.txt"
echo "uncached q= + min_upvotes over 100000 entries; wrk -t1 -c8 -d${secs}s, a different query each request"
echo "  $(rps <"$work/wrk-q.txt") req/s, p99 $(p99 <"$work/wrk-q.txt")"
echo "  errors: $(grep -E 'Non-2xx|Socket errors' "$work/wrk-q.txt" || echo none)"

# 3. Memory.
# RssAnon is paperwire's own heap; RssFile is SQLite's memory-mapped
# database pages (page cache, reclaimable).
awk '/^(VmRSS|RssAnon|RssFile):/ {printf "%s %.1f MiB  ", $1, $2/1024} END {print ""}' \
	"/proc/$big/status" | sed 's/^/resident memory with 100000 entries: /'
echo "(the cached feed benchmark needs the two cores to itself: wrk on one, the server on the other)"
