#!/bin/sh
# Installs what is missing, builds with warnings as errors, and runs the
# whole test suite (unit + integration) under ctest; then builds again with
# AddressSanitizer and UndefinedBehaviorSanitizer and runs the suite again.
# PAPERWIRE_SKIP_SANITIZE=1 skips the second pass.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh test
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPAPERWIRE_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

if [ "${PAPERWIRE_SKIP_SANITIZE:-0}" != 1 ]; then
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPAPERWIRE_WERROR=ON \
		-DPAPERWIRE_SANITIZE=ON >/dev/null
	cmake --build build-asan -j "$jobs"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --test-dir build-asan --output-on-failure -j "$jobs"
fi
