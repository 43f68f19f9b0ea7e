#!/bin/sh
# Runs the integration tests with every daemon under valgrind memcheck and
# fails when any daemon reported an error or a definite leak. Slow (tests
# with tight timing may fail under valgrind; their names are printed).
# usage: scripts/valgrind.sh [TEST_NAME...]   (default: every test_*.py)
set -u
cd "$(dirname "$0")/.."
scripts/deps.sh test >/dev/null
command -v valgrind >/dev/null || apt-get install -y -q valgrind >/dev/null
cmake -S . -B build-valgrind -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-valgrind -j "$(nproc)" --target paperwire >/dev/null || exit 1
logs=$(mktemp -d)
cat >"$logs/paperwire" <<WRAP
#!/bin/sh
exec valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite \\
	--suppressions=$(pwd)/tests/valgrind.supp \\
	--log-file=$logs/vg-%p.log $(pwd)/build-valgrind/paperwire "\$@"
WRAP
chmod +x "$logs/paperwire"
tests=${*:-$(cd tests/integration && ls test_*.py | sed 's/\.py$//')}
failed=""
for t in $tests; do
	if (cd tests/integration && PAPERWIRE_BIN="$logs/paperwire" \
		PAPERWIRE_FIXTURES="$(pwd)/../fixtures" /usr/bin/python3 "$t.py" \
		>"$logs/$t.out" 2>&1); then
		echo "ran $t"
	else
		echo "ran $t (test failures under valgrind: see $logs/$t.out)"
		failed="$failed $t"
	fi
done
reports=$(find "$logs" -name 'vg-*.log' -size +0 | wc -l)
daemons=$(find "$logs" -name 'vg-*.log' | wc -l)
echo "$daemons daemon runs under valgrind, $reports with errors or leaks"
find "$logs" -name 'vg-*.log' -size +0 -exec cat {} +
[ "$reports" -eq 0 ]
