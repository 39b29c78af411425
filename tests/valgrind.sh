#!/bin/sh
# Run by 'make check VALGRIND=1': the command-line tests with every pardot
# run under valgrind's memcheck. Each run logs to its own file; any
# memcheck error (invalid access, use of uninitialised memory, a definite
# leak) fails the whole run, even if the test that ran it passed.
#
# usage: sh tests/valgrind.sh PARDOT-BINARY
real=$1
if ! command -v valgrind >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "make check: installing valgrind"
		apt-get update -qq >/dev/null &&
		    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
	fi
	if ! command -v valgrind >/dev/null 2>&1; then
		echo "make check VALGRIND=1: valgrind is missing; install it with:" >&2
		echo "    sudo apt-get install valgrind" >&2
		exit 1
	fi
fi

dir=$(dirname "$real")/valgrind
rm -rf "$dir"
mkdir -p "$dir/logs" || exit 1
# exec keeps the process id, so that the tests' signals reach valgrind,
# which hands them to pardot's handlers.
cat >"$dir/pardot" <<EOF
#!/bin/sh
exec valgrind --quiet --error-exitcode=99 --leak-check=full \\
    --show-leak-kinds=definite --errors-for-leak-kinds=definite \\
    --log-file="$dir/logs/%p.log" "$real" "\$@"
EOF
chmod +x "$dir/pardot"

# PARDOT_VALGRIND tells the tests, for those that measure memory.
PARDOT=$dir/pardot PARDOT_VALGRIND=1 sh tests/run.sh
status=$?
runs=$(find "$dir/logs" -name '*.log' | wc -l)
bad=$(find "$dir/logs" -name '*.log' -size +0 | sort)
if [ -n "$bad" ]; then
	echo "valgrind: memcheck errors in $(echo "$bad" | wc -l) of $runs runs; the first:"
	head -n 40 "$(echo "$bad" | head -n 1)"
	exit 1
fi
echo "valgrind: $runs runs of pardot, no memcheck errors"
exit "$status"
