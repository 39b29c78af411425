#!/bin/sh
# Runs every test: the Check suites given as arguments, then the
# command-line tests in tests/cli/ against the binary $PARDOT, several at
# once. Prints one line per suite with its time, so that slow ones show,
# and a summary line, "N passed, N failed"; fails if anything failed.
passed=0
failed=0

for t in "$@"; do
	start=$(date +%s)
	out=$("$t" 2>&1)
	status=$?
	printf '%s\n' "$out" | grep -E 'SKIP|Checks:|:[EF]:' 
	line=$(printf '%s\n' "$out" | grep 'Checks:' | tail -n 1)
	n=$(printf '%s' "$line" | sed -n 's/.*Checks: \([0-9]*\).*/\1/p')
	f=$(printf '%s' "$line" | sed -n 's/.*Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2/p')
	if [ -z "$n" ]; then
		echo "FAIL: $t ended without a Check summary (status $status)"
		printf '%s\n' "$out" | tail -n 5
		failed=$((failed + 1))
		continue
	fi
	bad=$(echo $f | awk '{ print $1 + $2 }')
	echo "$t: $((n - bad)) passed, $bad failed ($(($(date +%s) - start)) s)"
	passed=$((passed + n - bad))
	failed=$((failed + bad))
	[ "$status" = 0 ] || [ "$bad" != 0 ] || failed=$((failed + 1))
done

# The command-line tests run TEST_JOBS at a time (default: one per CPU),
# each into a file of its own, reported in order when all have ended. Each
# works in a scratch directory of its own; the MPI build they share is
# made under a lock (lib.sh's mpi_build).
out=$(mktemp -d "${TMPDIR:-/tmp}/pardot-run.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT
jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
ls tests/cli/test_*.sh | xargs -P "$jobs" -I {} sh -c '
	start=$(date +%s)
	sh "$1" >"$2/$(basename "$1").out" 2>&1
	echo $(($(date +%s) - start)) >"$2/$(basename "$1").time"' sh {} "$out"

for t in tests/cli/test_*.sh; do
	log=$out/$(basename "$t")
	grep -E '^(FAIL|SKIP)' "$log.out"
	p=$(grep -c '^ok ' "$log.out")
	f=$(grep -c '^FAIL' "$log.out")
	echo "$t: $p passed, $f failed ($(cat "$log.time") s)"
	passed=$((passed + p))
	failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
