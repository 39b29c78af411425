#!/bin/sh
# Runs every test: the Check suites given as arguments, then the
# command-line tests in tests/cli/ against the binary $PARDOT. Prints one
# summary line, "N passed, N failed", and fails if anything failed.
passed=0
failed=0

for t in "$@"; do
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
	passed=$((passed + n - bad))
	failed=$((failed + bad))
	[ "$status" = 0 ] || [ "$bad" != 0 ] || failed=$((failed + 1))
done

for t in tests/cli/test_*.sh; do
	out=$(sh "$t" 2>&1)
	printf '%s\n' "$out" | grep -E '^(FAIL|SKIP)'
	p=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^FAIL')
	echo "$t: $p passed, $f failed"
	passed=$((passed + p))
	failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
