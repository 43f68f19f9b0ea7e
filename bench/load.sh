#!/bin/sh
# Load benchmark, all on 127.0.0.1: wrk with 200 connections for 60 s on
# mixed feed URLs (RSS, Atom, JSON Feed, filters, sort orders, named feeds,
# OPML; bench/load.lua picks one per request) while paperwire polls a
# local fake upstream every second whose list changes on every poll, so
# the rendered-feed caches keep being invalidated. Prints wrk's socket
# errors and non-2xx count (the zero-error proof), requests/s, p99, and
# the daemon's VmRSS at the 10th and the 60th second (bench/load.py has
# the details). Exits 1 when any request failed.
#
# usage: bench/load.sh [SECONDS] [CONNECTIONS]   (defaults 60 and 200)
#        PAPERWIRE_BIN=path/to/paperwire skips the Release build.
set -eu
cd "$(dirname "$0")/.."
secs=${1:-60}
conns=${2:-200}
bin=${PAPERWIRE_BIN:-}
if [ -z "$bin" ]; then
	scripts/deps.sh bench >/dev/null
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DPAPERWIRE_BUILD_TESTS=OFF >/dev/null
	cmake --build build-bench -j "$(nproc)" --target paperwire >/dev/null
	bin=build-bench/paperwire
fi
# 200 connections plus the daemon's own descriptors.
ulimit -n 4096 2>/dev/null || true
exec python3 bench/load.py "$bin" tests/fixtures/hf/daily_papers_2026-06-12.json "$secs" "$conns"
