#!/bin/sh
# Installs what is missing, builds, and starts paperwire in the foreground
# with its built-in default (./paperwire.db, 127.0.0.1:8080, Hugging Face
# daily papers). Extra arguments go to the daemon, e.g. --config FILE.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target paperwire
exec build/paperwire "$@"
