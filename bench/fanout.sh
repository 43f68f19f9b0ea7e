#!/bin/sh
# Webhook fan-out benchmark, all on 127.0.0.1: 1,000 subscriptions (signed,
# standard format) all matching one new entry, delivered to nginx answering
# 204. Reports the time from the end of the poll to the last 2xx, the
# deliveries per second, and paperwire's memory during the burst
# (bench/fanout.py has the details).
#
# usage: bench/fanout.sh [SUBSCRIPTIONS] [PER_HOST_CONCURRENCY]
#        (defaults 1000 and 4, the delivery.per_host_concurrency default)
set -eu
cd "$(dirname "$0")/.."
n=${1:-1000}
per_host=${2:-4}
scripts/deps.sh bench >/dev/null
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DPAPERWIRE_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j "$(nproc)" --target paperwire >/dev/null
exec python3 bench/fanout.py build-bench/paperwire \
	tests/fixtures/hf/daily_papers_2026-06-12.json "$n" "$per_host"
