# Shared by the command-line tests: each test file sources this, runs
# cases in a scratch directory, and prints "ok NAME" or "FAIL NAME: why".
# The binary under test is $PARDOT (the plain build by default).

: "${PARDOT:=$(pwd)/pardot}"
TESTS=$(cd "$(dirname "$0")/.." && pwd)
DATA=$(cd "$TESTS/../data" && pwd)
# LeakSanitizer's check at each exit of a sanitized pardot (make check
# SANITIZE=1) costs about 45 ms a run, more than half of those tests' time.
# It runs in the Check suites, and in the tests of the paths that go on
# after an error (many files in one process, failures, faults), which set
# LEAKS=1 before sourcing this; the other tests keep ASan and UBSan alone.
if [ "${LEAKS:-0}" != 1 ]; then
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	export ASAN_OPTIONS
fi
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/pardot-test.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
cd "$SCRATCH" || exit 1

ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }

# run CMD...: runs it, keeping status, stdout and stderr in $status, out, err.
run() {
	"$@" >out 2>err
	status=$?
}

# expect NAME STATUS STDERR-PATTERN CMD...: the status must match, stderr
# must match the extended regular expression (empty pattern: stderr empty),
# and errors must be one line of the form "pardot: NAME: message", where a
# text file's NAME may end in ":LINE".
expect() {
	name=$1 want=$2 pat=$3
	shift 3
	run "$@"
	if [ "$status" != "$want" ]; then
		fail "$name" "status $status, wanted $want; stderr: $(head -c 300 err)"
	elif [ -z "$pat" ] && [ -s err ]; then
		fail "$name" "unexpected stderr: $(head -c 300 err)"
	elif [ -n "$pat" ] && ! grep -Eq -- "$pat" err; then
		fail "$name" "stderr does not match /$pat/: $(head -c 300 err)"
	elif [ "$want" != 0 ] && [ -n "$pat" ] &&
	    { [ "$(wc -l <err)" != 1 ] ||
	    ! grep -Eq '^pardot: [^:]*(:[0-9]+)?: ' err; }; then
		fail "$name" "error is not one 'pardot: NAME: message' line: $(cat err)"
	else
		ok "$name"
	fi
}

# no_temporaries NAME: no .*.pardot-* file is left in the scratch directory.
no_temporaries() {
	left=$(find . -name '.*.pardot-*' | head -n 3)
	if [ -n "$left" ]; then
		fail "$1" "temporary files left: $left"
	else
		ok "$1"
	fi
}

# same_file NAME A B: byte-for-byte equality.
same_file() {
	if cmp -s "$2" "$3"; then ok "$1"; else fail "$1" "$2 and $3 differ"; fi
}

# A Python with NumPy, or empty.
find_numpy() {
	for py in python3 /usr/bin/python3; do
		if command -v "$py" >/dev/null 2>&1 &&
		    "$py" -c 'import numpy' 2>/dev/null; then
			echo "$py"
			return
		fi
	done
}

# le VALUE NBYTES: VALUE as NBYTES little-endian bytes.
le() {
	v=$1 n=$2
	while [ "$n" -gt 0 ]; do
		printf '%b' "\\0$(printf %o $((v % 256)))"
		v=$((v / 256)) n=$((n - 1))
	done
}

# npyhead MAJOR DICT [HLEN]: a .npy header of version MAJOR.0 as NumPy
# writes it, DICT padded to a multiple of 64 bytes. HLEN, if given and not
# empty, replaces the true header length (for hostile headers).
npyhead() {
	if [ "$1" = 1 ]; then pre=10; else pre=12; fi
	used=$((pre + ${#2} + 1))
	pad=$(((64 - used % 64) % 64))
	printf '\223NUMPY'
	le "$1" 1
	le 0 1
	le "${3:-$((${#2} + pad + 1))}" $((pre - 8))
	printf '%s' "$2"
	head -c "$pad" /dev/zero | tr '\0' ' '
	echo
}

# is NAME GOT WANT: string equality.
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "got '$2', wanted '$3'"; fi
}

# has NAME REGEX [FILE]: the last run's stdout (or FILE) matches REGEX.
has() {
	if grep -Eq -- "$2" "${3:-out}"; then ok "$1"; else fail "$1" "no /$2/ in: $(head -c 300 "${3:-out}")"; fi
}

# npy_data FILE: the data bytes of a version 1.0 .npy file.
npy_data() {
	[ -f "$1" ] || return 1
	set -- "$1" "$(od -An -v -t u1 -j 8 -N 2 "$1")"
	# shellcheck disable=SC2086 # splits the two length bytes
	set -- "$1" $2
	tail -c +$((10 + $2 + 256 * $3 + 1)) "$1"
}

# mpi_build LOG: makes the MPI binary, build/mpi/pardot, without the outer
# make's variables (SANITIZE=1 and the like), output into LOG. The tests
# run side by side (tests/run.sh), and two of them need this binary: a
# lock keeps their makes from writing the same objects at once.
mpi_build() {
	mkdir -p "$TESTS/../build" &&
	flock "$TESTS/../build/.mpi-build.lock" env -u MAKEFLAGS -u MFLAGS \
	    -u MAKELEVEL make -s -j2 -C "$TESTS/.." MPI=1 SANITIZE= \
	    build/mpi/pardot >"$1" 2>&1
}
