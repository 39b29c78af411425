#!/bin/sh
# Runs every test: the Check suites given as arguments and the
# command-line tests in tests/cli/ against the binary $PARDOT, TEST_JOBS at
# a time (default: one per CPU), each into files of its own, reported in
# order when all have ended. Prints one line per suite with its time, so
# that slow ones show, and a summary line, "N passed, N failed"; fails if
# anything failed. Each script works in a scratch directory of its own, the
# MPI build two of them share is made under a lock (lib.sh's mpi_build),
# and the Check suites write only below mkdtemp directories.
passed=0
failed=0
out=$(mktemp -d "${TMPDIR:-/tmp}/pardot-run.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT
jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}

{ for t in "$@"; do echo "$t"; done; ls tests/cli/test_*.sh; } |
    xargs -P "$jobs" -I {} sh -c '
	start=$(date +%s) log=$2/$(basename "$1")
	case $1 in
	*.sh)	sh "$1" ;;
	*)	"$1" ;;
	esac >"$log.out" 2>&1
	echo $? >"$log.status"
	echo $(($(date +%s) - start)) >"$log.time"' sh {} "$out"

# A Check suite: its summary line, or a failure if it has none.
check_suite() {
	log=$out/$(basename "$1")
	status=$(cat "$log.status")
	grep -E 'SKIP|Checks:|:[EF]:' "$log.out"
	line=$(grep 'Checks:' "$log.out" | tail -n 1)
	n=$(printf '%s' "$line" | sed -n 's/.*Checks: \([0-9]*\).*/\1/p')
	f=$(printf '%s' "$line" | sed -n 's/.*Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2/p')
	if [ -z "$n" ]; then
		echo "FAIL: $1 ended without a Check summary (status $status)"
		tail -n 5 "$log.out"
		failed=$((failed + 1))
		return
	fi
	bad=$(echo $f | awk '{ print $1 + $2 }')
	echo "$1: $((n - bad)) passed, $bad failed ($(cat "$log.time") s)"
	passed=$((passed + n - bad))
	failed=$((failed + bad))
	[ "$status" = 0 ] || [ "$bad" != 0 ] || failed=$((failed + 1))
}

for t in "$@"; do
	check_suite "$t"
done

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
