#!/bin/sh
# Installs the Debian 12 packages paperwire needs that are missing.
# usage: scripts/deps.sh [build|test|bench]   (each includes the ones before)
set -eu

want=${1:-build}
pkgs="build-essential cmake pkg-config libcurl4-openssl-dev libxml2-dev \
libevent-dev libjansson-dev libsqlite3-dev libssl-dev zlib1g-dev"
case "$want" in
build) ;;
test) pkgs="$pkgs libcmocka-dev python3 python3-feedparser python3-listparser chromium" ;;
bench) pkgs="$pkgs libcmocka-dev python3 python3-feedparser python3-listparser chromium wrk nginx-light procps" ;;
*) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "installing:$missing" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "need root (or sudo) to install:$missing" >&2; exit 1; }
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
