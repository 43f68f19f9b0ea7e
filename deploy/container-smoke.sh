#!/bin/sh
# Builds the container image, runs it, checks /healthz, /readyz and a feed,
# stops it with SIGTERM and checks that it exited 0. Not part of CI.
#
# usage: deploy/container-smoke.sh [--engine docker|buildah] [--import-base]
#                                  [--port PORT] [--keep] [--no-build]
#
#   --engine        docker when a Docker daemon answers, else buildah
#                   (no daemon needed: buildah bud --isolation chroot, then
#                   buildah run)
#   --import-base   build debian:bookworm-slim locally from a
#                   `debootstrap --variant=minbase bookworm` tree first, for
#                   machines that reach Debian's mirror but no image
#                   registry (buildah only; needs root and debootstrap)
#   --port          host port for the check (default 18080, on 127.0.0.1)
#   --keep          keep the image afterwards
#   --no-build      use the image a --keep run left (localhost/paperwire:smoke)
#
# The container polls a fixture through a file:// source (mounted from
# tests/fixtures), so the check sends no traffic beyond 127.0.0.1; only the
# image build itself downloads Debian packages.
set -eu
cd "$(dirname "$0")/.."

engine=""
import_base=0
port=18080
keep=0
build=1
while [ $# -gt 0 ]; do
	case "$1" in
	--engine) engine=$2; shift 2 ;;
	--import-base) import_base=1; shift ;;
	--port) port=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	--no-build) build=0; keep=1; shift ;;
	*) echo "usage: $0 [--engine docker|buildah] [--import-base] [--port PORT] [--keep] [--no-build]" >&2; exit 2 ;;
	esac
done
if [ -z "$engine" ]; then
	if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
		engine=docker
	elif command -v buildah >/dev/null 2>&1; then
		engine=buildah
	else
		echo "smoke: neither a Docker daemon nor buildah is available" >&2
		exit 1
	fi
fi

image=localhost/paperwire:smoke
base=docker.io/library/debian:bookworm-slim
work=$(mktemp -d /tmp/paperwire-smoke.XXXXXX)
runner=""
ctr=""

say() { printf 'smoke: %s\n' "$*" >&2; }

cleanup() {
	if [ -n "$runner" ] && kill -0 "$runner" 2>/dev/null; then
		kill -KILL "$runner" 2>/dev/null || true
	fi
	if [ "$engine" = docker ]; then
		docker rm -f paperwire-smoke >/dev/null 2>&1 || true
		[ "$keep" = 1 ] || docker rmi "$image" >/dev/null 2>&1 || true
	else
		[ -n "$ctr" ] && buildah rm "$ctr" >/dev/null 2>&1 || true
		[ "$keep" = 1 ] || buildah rmi "$image" >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

# A configuration whose only source is the fixture, read through file://.
cat >"$work/paperwire.json" <<'EOF'
{
  "title": "paperwire smoke test",
  "sources": [{"name": "fixture", "type": "hf_daily", "days": 0,
               "url": "file:///fixtures/daily_papers_2026-06-12.json"}],
  "feeds": [{"name": "hot", "filter": {"min_upvotes": 10}}]
}
EOF
chmod 0644 "$work/paperwire.json"
fixtures="$PWD/tests/fixtures/hf"

get() { # get URL: prints the body, fails on anything but 2xx
	python3 - "$1" <<'EOF'
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
    sys.stdout.write(r.read().decode())
EOF
}

wait_ready() {
	i=0
	while ! get "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 150 ]; then
			say "the container did not get ready in 30 s"
			return 1
		fi
		sleep 0.2
	done
}

check() {
	get "http://127.0.0.1:$port/healthz" | grep -q '"status": "ok"'
	say "/healthz ok"
	get "http://127.0.0.1:$port/readyz" | grep -qx ready
	say "/readyz ok"
	n=$(get "http://127.0.0.1:$port/feed.json" |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
	[ "$n" = 30 ] || { say "/feed.json has $n items, expected 30"; return 1; }
	say "/feed.json: $n items"
	get "http://127.0.0.1:$port/metrics" | grep -q '^paperwire_store_entries 30$'
	say "/metrics ok"
}

descendant() { # descendant PID NAME: the first process called NAME below PID
	python3 - "$1" "$2" <<'EOF'
import os, sys
root, name = int(sys.argv[1]), sys.argv[2]
children = {}
for p in os.listdir("/proc"):
    if not p.isdigit():
        continue
    try:
        with open("/proc/%s/stat" % p) as f:
            stat = f.read()
    except OSError:
        continue
    comm = stat[stat.index("(") + 1:stat.rindex(")")]
    ppid = int(stat[stat.rindex(")") + 2:].split()[1])
    children.setdefault(ppid, []).append((int(p), comm))
todo = [root]
while todo:
    for pid, comm in children.get(todo.pop(), []):
        if comm == name:
            print(pid)
            sys.exit(0)
        todo.append(pid)
sys.exit(1)
EOF
}

import_base_image() {
	command -v debootstrap >/dev/null 2>&1 || {
		say "--import-base needs debootstrap (apt-get install debootstrap)"
		exit 1
	}
	say "building $base from debootstrap --variant=minbase bookworm"
	debootstrap --variant=minbase bookworm "$work/rootfs" \
		http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 || {
		tail -20 "$work/debootstrap.log" >&2
		exit 1
	}
	rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb \
		"$work/rootfs/var/lib/apt/lists/"*
	bctr=$(buildah from scratch)
	mnt=$(buildah mount "$bctr")
	tar -C "$work/rootfs" -cf - . | tar -C "$mnt" -xf -
	buildah umount "$bctr" >/dev/null
	buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		--cmd bash "$bctr"
	buildah commit --rm "$bctr" "$base" >/dev/null
	rm -rf "$work/rootfs"
}

if [ "$engine" = docker ]; then
	if [ "$build" = 1 ]; then
		say "docker build"
		docker build -t "$image" .
	fi
	docker run -d --name paperwire-smoke -p "127.0.0.1:$port:8080" \
		-e PAPERWIRE_CONFIG=/etc/paperwire/paperwire.json \
		-e PAPERWIRE_BASE_URL="http://127.0.0.1:$port" \
		-v "$work/paperwire.json:/etc/paperwire/paperwire.json:ro" \
		-v "$fixtures:/fixtures:ro" \
		--read-only --cap-drop ALL --security-opt no-new-privileges:true \
		"$image" >/dev/null
	wait_ready
	check
	health=""
	i=0
	while [ "$health" != healthy ] && [ $i -lt 60 ]; do
		health=$(docker inspect -f '{{.State.Health.Status}}' paperwire-smoke)
		i=$((i + 1))
		sleep 1
	done
	say "HEALTHCHECK: $health"
	[ "$health" = healthy ]
	t0=$(date +%s)
	docker stop -t 10 paperwire-smoke >/dev/null
	rc=$(docker inspect -f '{{.State.ExitCode}}' paperwire-smoke)
else
	[ "$import_base" = 1 ] && import_base_image
	if [ "$build" = 1 ]; then
		say "buildah bud --isolation chroot"
		buildah bud --isolation chroot --format docker --pull=never \
			-t "$image" -f Dockerfile .
	fi
	ctr=$(buildah from --pull=never "$image")
	# buildah run uses the image's user, environment and working
	# directory; the chroot shares the host's network, so the listen
	# address is 127.0.0.1:PORT here (not 0.0.0.0, not published).
	buildah run --isolation chroot \
		--env PAPERWIRE_LISTEN="127.0.0.1:$port" \
		--env PAPERWIRE_CONFIG=/etc/paperwire/paperwire.json \
		-v "$work/paperwire.json:/etc/paperwire/paperwire.json:ro" \
		-v "$fixtures:/fixtures:ro" \
		"$ctr" -- /usr/local/bin/paperwire &
	runner=$!
	wait_ready
	check
	# The image's HEALTHCHECK command, run the way the engine runs it.
	buildah run --isolation chroot --env PAPERWIRE_LISTEN="127.0.0.1:$port" \
		"$ctr" -- /usr/local/bin/paperwire --healthcheck /healthz
	say "HEALTHCHECK command ok"
	# buildah run does not hand SIGTERM on (it kills what it runs), so the
	# signal goes to the paperwire process it started, found by parent id.
	pid=$(descendant "$runner" paperwire)
	t0=$(date +%s)
	kill -TERM "$pid"
	rc=0
	wait "$runner" || rc=$?
	runner=""
fi
t1=$(date +%s)
say "stopped with exit code $rc after $((t1 - t0)) s"
[ "$rc" = 0 ]
say "ok"
