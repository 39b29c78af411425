#!/bin/sh
# shellcheck disable=SC2154 # $status is set by lib.sh's run
# mul in pipelines: the progress bar (on a terminal, forced, silenced),
# --stats=json, standard input and output as '-', and --overflow=error at
# the edges of int32 and int64.

# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"

P=$PARDOT
NUMPY=$(find_numpy)
mkdir tmp
TMPDIR=$SCRATCH/tmp
export TMPDIR

# mknpy FILE DTYPE SHAPE VALUE...: a .npy file of '<i8', '<i4' or '<f8'
# with the given shape (a Python tuple) and values, row-major; Python
# without NumPy is enough.
mknpy() {
	python3 - "$@" <<'PY'
import struct, sys
path, descr, shape = sys.argv[1], sys.argv[2], sys.argv[3]
vals = sys.argv[4:]
code = {"<i8": "q", "<i4": "i", "<f8": "d"}[descr]
conv = float if code == "d" else int
d = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)
d += " " * ((64 - (10 + len(d) + 1) % 64) % 64) + "\n"
with open(path, "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(d)) + d.encode())
    f.write(struct.pack("<%d%s" % (len(vals), code), *map(conv, vals)))
PY
}

# piped FILE CMD...: CMD with FILE on standard input through a pipe.
piped() {
	f=$1
	shift
	# shellcheck disable=SC2002 # a pipe, not a file, is the point
	cat "$f" | "$@"
}

# closed CMD...: CMD with standard output closed.
closed() {
	"$@" >&-
}

# empty_dir NAME DIR: DIR holds nothing.
empty_dir() {
	if [ -z "$(ls -A "$2")" ]; then ok "$1"; else fail "$1" "$(ls -A "$2")"; fi
}

# absent NAME FILE...: none of the files exists.
absent() {
	name=$1
	shift
	for f; do
		if [ -e "$f" ]; then
			fail "$name" "$f exists"
			return
		fi
	done
	ok "$name"
}

# jget KEY...: a value from the JSON object in the file err.
jget() {
	python3 -c 'import json, sys
v = json.loads(open("err").read())
for k in sys.argv[1:]:
    v = v[int(k)] if isinstance(v, list) else v[k]
print(json.dumps(v))' "$@"
}

"$P" gen 30x20 --seed 1 -o A.npy
"$P" gen 20x10 --seed 2 -o B.npy
"$P" gen 20 --seed 3 -o v.npy
"$P" mul A.npy B.npy -o C.npy
"$P" mul A.npy B.npy --format raw -o C.raw

# --- Standard output ---------------------------------------------------
expect "-o -: npy on standard output" 0 '' "$P" mul A.npy B.npy -o -
same_file "-o -: the bytes of the file" out C.npy
expect "-o - --format raw" 0 '' "$P" mul A.npy B.npy --format raw -o -
same_file "-o - --format raw: the bytes of the raw file" out C.raw
if [ -n "$NUMPY" ]; then
	"$P" mul A.npy B.npy -o - | "$NUMPY" -c 'import io, sys, numpy as np
C = np.load(io.BytesIO(sys.stdin.buffer.read()))
A, B = np.load("A.npy"), np.load("B.npy")
print(C.shape, np.allclose(C, A @ B))' >py.out 2>&1
	has "-o - into NumPy" '^\(30, 10\) True$' py.out
else
	echo "SKIP -o - into NumPy: NumPy not installed"
fi
no_temporaries "-o -: no temporary file left in TMPDIR"
empty_dir "-o -: TMPDIR left empty" tmp

# A reader that goes away is a write error: status 1, one message.
"$P" gen 300x300 -o big.npy
{ "$P" mul big.npy big.npy -o - 2>epipe.err; echo $? >epipe.status; } |
    head -c 10 >/dev/null
is "-o - into a closed pipe: status 1" "$(cat epipe.status)" 1
has "-o - into a closed pipe: the error" '^pardot: -: cannot write: Broken pipe$' epipe.err
empty_dir "closed pipe: TMPDIR left empty" tmp
# Under valgrind its log file takes the closed descriptor 1 itself.
if [ -n "${PARDOT_VALGRIND:-}" ]; then
	echo "SKIP -o - to a closed descriptor: valgrind's log takes fd 1"
else
	expect "-o - to a closed descriptor" 1 \
	    '^pardot: -: cannot write: Bad file descriptor$' \
	    closed "$P" mul A.npy B.npy -o -
fi

# --- Standard input ----------------------------------------------------
expect "A from standard input" 0 '' piped A.npy "$P" mul - B.npy -o C1.npy
same_file "A from standard input: same product" C1.npy C.npy
expect "B from standard input" 0 '' piped B.npy "$P" mul A.npy - -o C2.npy
same_file "B from standard input: same product" C2.npy C.npy
expect "standard input to standard output" 0 '' piped A.npy "$P" mul - B.npy -o -
same_file "standard input to standard output: same product" out C.npy
"$P" gen 30x20 --seed 1 --format raw -o A.raw
expect "raw from standard input" 0 '' piped A.raw "$P" mul --raw-a 30x20 --dtype f8 - B.npy -o C3.npy
same_file "raw from standard input: same product" C3.npy C.npy
expect "A and B both standard input" 2 '^pardot: mul: A and B cannot both be standard input' \
    "$P" mul - - -o C4.npy
expect "empty standard input" 1 '^pardot: -: file is empty$' piped /dev/null "$P" mul - B.npy -o C4.npy
echo 1,2 >text.csv
expect "text on standard input" 1 '^pardot: -: text such as CSV, not a \.npy file' piped text.csv "$P" mul - B.npy -o C4.npy
absent "failed runs write nothing" C4.npy
empty_dir "standard input: TMPDIR left empty" tmp

# --- --stats=json --------------------------------------------------------
run "$P" mul -j 2 --stats=json A.npy B.npy -o C5.npy
if [ "$status" = 0 ] && [ "$(wc -l <err)" = 1 ] && python3 -c 'import json; json.loads(open("err").read())'; then
	ok "--stats=json: one line of valid JSON"
else
	fail "--stats=json: one line of valid JSON" "status $status: $(head -c 300 err)"
fi
is "--stats: command" "$(jget command)" '"mul"'
is "--stats: input shape" "$(jget inputs 0 shape)" '[30, 20]'
is "--stats: input path" "$(jget inputs 1 path)" '"B.npy"'
is "--stats: output" "$(jget output shape) $(jget output dtype)" '[30, 10] "float64"'
is "--stats: threads" "$(jget threads)" 2
is "--stats: bytes read" "$(jget bytes_read)" "$(($(wc -c <A.npy) + $(wc -c <B.npy)))"
is "--stats: bytes written" "$(jget bytes_written)" "$(wc -c <C5.npy)"
has "--stats: a kernel and its ISA" '"kernel":\{"name":"[a-z0-9_]+","isa":"[a-z0-9]+","exact_int64_route":false\}' err
has "--stats: seconds by phase" '"seconds":\{"map":[0-9.]+,"check":[0-9.]+,"compute":[0-9.]+,"commit":[0-9.]+,"total":[0-9.]+\}' err
has "--stats: memory" '"peak_private_bytes":[0-9]+,.*"peak_rss_bytes":[0-9]+' err
run "$P" mul --stats json A.npy v.npy -o - 
is "--stats: the vector path" "$(jget kernel name) $(jget output path)" '"matrix-vector loops" "-"'
run piped A.npy "$P" mul --stats=json - B.npy -o C6.npy
is "--stats: standard input" "$(jget inputs 0 path) $(jget bytes_read)" "\"-\" $(($(wc -c <A.npy) + $(wc -c <B.npy)))"
expect "--stats=xml" 2 '^pardot: --stats: unknown format' "$P" mul --stats=xml A.npy B.npy -o C7.npy

# --- Progress ----------------------------------------------------------
expect "no bar when standard error is a file" 0 '' "$P" mul A.npy B.npy -o C8.npy
run "$P" mul --progress A.npy B.npy -o C8.npy
tr '\r' '\n' <err >err.lines
has "--progress into a file: the last state" '^mul 100% \[#{24}\] [0-9.]+ GFLOP/s, in [0-9.]+ s$' err.lines
# A slow machine may also show intermediate states; it finishes once.
is "--progress into a file: one finished line" "$(grep -c ', in [0-9.]* s$' err.lines)" 1
is "--progress into a file: finished last" "$(grep . err.lines | tail -n 1 | grep -c ', in [0-9.]* s$')" 1
expect "--progress then -q" 0 '' "$P" mul --progress -q A.npy B.npy -o C8.npy
expect "--progress then --no-progress" 0 '' "$P" mul --progress --no-progress A.npy B.npy -o C8.npy
"$P" gen 40x40 --dtype int64 -o I.npy
run "$P" mul --progress I.npy I.npy -o C8.npy
has "integers: GOP/s" 'GOP/s, in' err
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
	script -qec "'$P' mul A.npy B.npy -o C9.npy; echo status=\$?" /dev/null >tty.out 2>&1
	if grep -q 'mul .*%' tty.out; then fail "a terminal, short work: no bar" "$(cat -v tty.out)"; else ok "a terminal, short work: no bar"; fi
	# Long work: the bar is drawn exactly when the multiply took over a
	# second, as --stats says (on a fast machine it may not).
	"$P" gen 1800x1800 -o L.npy
	script -qec "PARDOT_ARCH=generic '$P' mul -j 1 --stats=json L.npy L.npy -o LL.npy" /dev/null >tty.out 2>&1
	tr '\r' '\n' <tty.out | grep '^{' >err
	secs=$(jget seconds compute)
	tr '\r' '\n' <tty.out >tty.lines
	if python3 -c "import sys; sys.exit(not $secs > 1.2)"; then
		has "a terminal, long work: a bar with a time left" '^mul +[0-9]+% \[#*\.+\] [0-9.]+ GFLOP/s, [0-9:]+( s)? left' tty.lines
		has "a terminal, long work: finished" '^mul 100% \[#{24}\] [0-9.]+ GFLOP/s, in [0-9.]+ s *$' tty.lines
		script -qec "PARDOT_ARCH=generic '$P' mul -q -j 1 L.npy L.npy -o LL.npy" /dev/null >tty.out 2>&1
		if [ -s tty.out ]; then fail "a terminal, -q: no bar" "$(head -c 200 tty.out | cat -v)"; else ok "a terminal, -q: no bar"; fi
	elif python3 -c "import sys; sys.exit(not $secs < 0.8)"; then
		if grep -q '%' tty.out; then fail "a terminal, under a second: no bar" "$(cat -v tty.out)"; else ok "a terminal, under a second: no bar"; fi
	else
		echo "SKIP a terminal, long work: took $secs s, too near a second to judge"
	fi
	script -qec "'$P' mul --progress A.npy B.npy -o C9.npy" /dev/null >tty.out 2>&1
	has "a terminal, --progress: drawn at once" 'mul 100%' tty.out
	script -qec "'$P' mul A.npy B.npy -o -; echo status=\$?" /dev/null >tty.out 2>&1
	has "binary to a terminal: refused" '^pardot: -: refusing to write binary data to a terminal' tty.out
	has "binary to a terminal: status 1" 'status=1' tty.out
	script -qec "'$P' mul - B.npy -o C10.npy; echo status=\$?" /dev/null >tty.out 2>&1 </dev/null
	has "binary from a terminal: refused" '^pardot: -: refusing to read binary data from a terminal' tty.out
	has "binary from a terminal: status 1" 'status=1' tty.out
else
	echo "SKIP progress on a terminal: script(1) not usable"
fi

# --- --overflow ----------------------------------------------------------
MAX=9223372036854775807
MIN=-9223372036854775808
I32MAX=2147483647
I32MIN=-2147483648
mknpy ones.npy '<i8' '(2, 1)' 1 1
mknpy at-max.npy '<i8' '(1, 2)' $((MAX - 1)) 1
mknpy past-max.npy '<i8' '(1, 2)' $MAX 1
mknpy at-min.npy '<i8' '(1, 2)' $((MIN + 1)) -1
mknpy past-min.npy '<i8' '(1, 2)' $MIN -1
expect "int64: INT64_MAX exactly" 0 '' "$P" mul --overflow=error at-max.npy ones.npy -o o1.npy
expect "int64: INT64_MAX + 1" 1 '^pardot: mul: C\[0, 0\] overflows int64 \(its exact value is 9223372036854775808, above 9223372036854775807\)$' \
    "$P" mul --overflow=error past-max.npy ones.npy -o o2.npy
expect "int64: INT64_MIN exactly" 0 '' "$P" mul --overflow=error at-min.npy ones.npy -o o3.npy
expect "int64: INT64_MIN - 1" 1 '^pardot: mul: C\[0, 0\] overflows int64 \(its exact value is -9223372036854775809, below -9223372036854775808\)$' \
    "$P" mul --overflow=error past-min.npy ones.npy -o o4.npy
absent "overflow: nothing written" o2.npy o4.npy
expect "wrap is the default" 0 '' "$P" mul past-max.npy ones.npy -o o5.npy
expect "--overflow=wrap" 0 '' "$P" mul --overflow=wrap past-max.npy ones.npy -o o6.npy
same_file "wrap: as NumPy, INT64_MIN" o5.npy o6.npy
is "wrap: the value" "$(npy_data o5.npy | od -An -t d8 | tr -d ' ')" "$MIN"
mknpy ones4.npy '<i4' '(2, 1)' 1 1
mknpy at-max4.npy '<i4' '(1, 2)' $((I32MAX - 1)) 1
mknpy past-max4.npy '<i4' '(1, 2)' $I32MAX 1
mknpy at-min4.npy '<i4' '(1, 2)' $I32MIN 0
mknpy past-min4.npy '<i4' '(1, 2)' $I32MIN -1
expect "int32: INT32_MAX exactly" 0 '' "$P" mul --overflow=error at-max4.npy ones4.npy -o o7.npy
expect "int32: INT32_MAX + 1" 1 '^pardot: mul: C\[0, 0\] overflows int32 \(its exact value is 2147483648, above 2147483647\)$' \
    "$P" mul --overflow=error past-max4.npy ones4.npy -o o8.npy
expect "int32: INT32_MIN exactly (past the bound, exact)" 0 '' "$P" mul --overflow=error at-min4.npy ones4.npy -o o9.npy
expect "int32: INT32_MIN - 1" 1 '^pardot: mul: C\[0, 0\] overflows int32 \(its exact value is -2147483649, below -2147483648\)$' \
    "$P" mul --overflow=error past-min4.npy ones4.npy -o o10.npy
expect "int32 x int64 is int64: no overflow" 0 '' "$P" mul --overflow=error past-max4.npy ones.npy -o o11.npy
# Past the bound, and first in row-major order for any -j: C[1, 2] and
# C[2, 0] overflow, not the elements before them.
mknpy A3.npy '<i8' '(3, 2)' $MAX $MAX 0 $MAX $MAX -$MAX
mknpy B3.npy '<i8' '(2, 3)' 1 0 -1 -1 0 2
for j in 1 2 3; do
	expect "the first overflowing element, -j $j" 1 '^pardot: mul: C\[1, 2\] overflows int64 \(its exact value is 18446744073709551614, above' \
	    "$P" mul -j $j --overflow=error A3.npy B3.npy -o o12.npy
done
mknpy safe.npy '<i8' '(2, 2)' $MAX $MAX 1 1
mknpy B4.npy '<i8' '(2, 2)' 1 0 -1 0
run "$P" mul --overflow=error --stats=json safe.npy B4.npy -o o13.npy
is "past the bound, proven exactly" "$status $(jget overflow)" '0 {"mode": "error", "proof": "exact"}'
run "$P" mul --overflow=error --stats=json at-max.npy ones.npy -o o14.npy
is "within the bound" "$(jget overflow proof)" '"bound"'
mknpy vec.npy '<i8' '(2,)' $MAX 1
mknpy M.npy '<i8' '(2, 2)' 0 1 0 1
expect "a vector result: C[j]" 1 '^pardot: mul: C\[1\] overflows int64' \
    "$P" mul --overflow=error vec.npy M.npy -o o15.npy
expect "a scalar result: C" 1 '^pardot: mul: C overflows int64' \
    "$P" mul --overflow=error vec.npy vec.npy -o o16.npy
mknpy f.npy '<f8' '(1, 2)' 1e308 1e308
expect "floats: --overflow=error is accepted" 0 '' "$P" mul --overflow=error f.npy ones.npy -o o17.npy
expect "--overflow=saturate" 2 '^pardot: --overflow: unknown mode' "$P" mul --overflow=saturate A.npy B.npy -o o18.npy
no_temporaries "no temporaries left"

# --no-sync: the same bytes, renamed into place; and, where strace is
# here to see it, no msync, fsync or fdatasync on the way.
"$P" gen 9x7 -o ns_a.npy
"$P" gen 7x5 -s 2 -o ns_b.npy
"$P" mul ns_a.npy ns_b.npy -o ns_synced.npy
echo old >ns_c.npy
expect "--no-sync" 0 '' "$P" mul --no-sync ns_a.npy ns_b.npy -o ns_c.npy
same_file "--no-sync: the bytes of a synced run" ns_synced.npy ns_c.npy
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
	strace -f -e trace=msync,fsync,fdatasync,rename -o ns_trace "$P" mul \
	    --no-sync ns_a.npy ns_b.npy -o ns_c2.npy
	if grep -Eq 'msync|fsync|fdatasync' ns_trace || ! grep -q 'rename' ns_trace; then
		fail "--no-sync: renamed, never synced" "$(tr '\n' ' ' <ns_trace)"
	else
		ok "--no-sync: renamed, never synced"
	fi
	# The output is unmapped before its sync (output.c says why): two
	# fsyncs, the file's after the munmap, then the directory's.
	strace -f -e trace=munmap,fsync,rename -o ns_trace2 "$P" mul ns_a.npy ns_b.npy -o ns_c3.npy
	if [ "$(grep -c fsync ns_trace2)" -ge 2 ] &&
	    grep -A1000 munmap ns_trace2 | grep -A1000 fsync | grep -A1000 rename | grep -q fsync; then
		ok "without --no-sync: the data and the directory synced"
	else
		fail "without --no-sync: the data and the directory synced" "$(tr '\n' ' ' <ns_trace2)"
	fi
else
	echo "SKIP --no-sync system calls: strace not usable here"
fi
no_temporaries "--no-sync: no temporaries left"
