#!/bin/sh
# shellcheck disable=SC2154 # $status is set by lib.sh's run
# shellcheck disable=SC2016 # sh -c scripts expand their own arguments
#
# Faults from outside: signals, inputs truncated while mapped, a full disk,
# a file size limit, a memory limit, files of the wrong kind, and two runs
# racing for one output. Whatever happens, the output path holds either the
# complete result or what it held before, and no temporary file is left
# (except after SIGKILL, which nothing can catch).

LEAKS=1
# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"

P=$PARDOT
pid=
mounts=

# Unmounts what the tests mounted, stops a run still going, then lets
# lib.sh's cleanup remove the scratch directory.
cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	for m in $mounts; do
		umount "$m" 2>/dev/null
	done
	cd / && rm -rf "$SCRATCH"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# A shell starts background jobs with SIGINT ignored, and pardot leaves an
# ignored signal ignored; env puts them back to their defaults.
if env --default-signal=INT true 2>/dev/null; then
	defsig=yes
else
	defsig=
fi

# start CMD...: runs CMD in the background, its stdout and stderr in bg.out
# and bg.err, and its process id in $pid.
start() {
	if [ -n "$defsig" ]; then
		env --default-signal=INT,TERM,HUP "$@" >bg.out 2>bg.err &
	else
		"$@" >bg.out 2>bg.err &
	fi
	pid=$!
}

# finish: waits for the background run; its status in $status.
finish() {
	wait "$pid"
	status=$?
	pid=
}

# alive: the background run has not ended (a zombie has ended).
alive() {
	[ -r "/proc/$pid/stat" ] &&
	    ! grep -q '^[0-9]* (.*) Z' "/proc/$pid/stat" 2>/dev/null
}

# A failed case may have left temporary files; the next must not mistake
# one for its own.
clear_tmp() {
	rm -f ./.*.pardot-*
}

# await_tmp TARGET [full]: waits until the background run has created the
# temporary file of TARGET (with "full", until it has its whole size
# reserved) and sets $tmp to its name; fails if the run ended first or a
# minute passed (valgrind is slow to start).
await_tmp() {
	i=0
	while [ "$i" -lt 1200 ]; do
		for tmp in ."$1".pardot-*; do
			if [ -e "$tmp" ] && { [ "$2" != full ] || [ -s "$tmp" ]; }; then
				return 0
			fi
		done
		alive || break
		sleep 0.05
		i=$((i + 1))
	done
	tmp=
	return 1
}

# err_is NAME PATTERN: bg.err is one line matching PATTERN.
err_is() {
	if [ "$(wc -l <bg.err)" = 1 ] && grep -Eq -- "$2" bg.err; then
		ok "$1"
	else
		fail "$1" "stderr is not one line matching /$2/: $(head -c 300 bg.err)"
	fi
}

# status_is NAME WANT: $status is WANT.
status_is() {
	if [ "$status" = "$2" ]; then
		ok "$1"
	else
		fail "$1" "status $status, wanted $2; stderr: $(head -c 300 bg.err)"
	fi
}

# The slow generic kernels on one thread keep a 2000^3 multiply busy for
# seconds; each test below ends it much sooner.
long_mul() {
	start env PARDOT_ARCH=generic "$P" mul -j 1 "$@"
}

if ! { "$P" gen 2000x2000 -o K1.npy && "$P" gen 2000x2000 --seed 2 -o K2.npy &&
    "$P" gen 1000x1000 -o M1.npy && "$P" gen 1000x1000 --seed 2 -o M2.npy &&
    "$P" gen 2x2 --seed 99 -o keep.npy; }; then
	fail "setup" "pardot gen failed"
	exit 1
fi

# ---- signals -----------------------------------------------------------------
# The signal is sent once the temporary file exists, which is after the
# handlers are in place.

for sig in INT:2 TERM:15 HUP:1; do
	name=${sig%:*} num=${sig#*:}
	t="SIG$name during a multiply"
	if [ -z "$defsig" ] && [ "$name" = INT ]; then
		echo "SKIP $t: env cannot reset SIGINT, which a shell ignores in background jobs"
		continue
	fi
	cp keep.npy out.npy
	clear_tmp
	long_mul K1.npy K2.npy -o out.npy
	if ! await_tmp out.npy; then
		finish
		fail "$t" "no temporary file appeared; status $status: $(head -c 300 bg.err)"
		continue
	fi
	kill -s "$name" "$pid"
	finish
	if [ "$status" = 0 ]; then
		echo "SKIP $t: the multiply finished before the signal"
		continue
	fi
	status_is "$t: status $((128 + num))" $((128 + num))
	same_file "$t: existing output unchanged" out.npy keep.npy
	no_temporaries "$t: no temporaries left"
done

# A signal ignored when pardot starts (nohup) stays ignored: the run goes
# on. If the temporary file still exists after kill has returned, the
# signal came before the rename, so the test means something; if not, try
# again.
t="SIGHUP ignored at start (nohup)"
if env --ignore-signal=HUP true 2>/dev/null; then
	"$P" mul M1.npy M2.npy -o want.npy
	done_=no
	for try in 1 2 3; do
		rm -f out.npy
		clear_tmp
		start env --ignore-signal=HUP PARDOT_ARCH=generic "$P" mul -j 1 \
		    M1.npy M2.npy -o out.npy
		await_tmp out.npy
		kill -s HUP "$pid"
		landed=no
		[ -n "$tmp" ] && [ -e "$tmp" ] && landed=yes
		finish
		if [ "$landed" = yes ]; then
			done_=yes
			break
		fi
	done
	if [ "$done_" = no ]; then
		echo "SKIP $t: the signal never arrived while the multiply ran ($try tries)"
	else
		status_is "$t: the run completes" 0
		expect "$t: the result is whole" 0 '' "$P" cmp out.npy want.npy
		no_temporaries "$t: no temporaries left"
	fi
else
	echo "SKIP $t: env has no --ignore-signal"
fi

# SIGKILL cannot be caught: the target is untouched, and the only trace is
# one temporary file, named after the target, that a later run ignores.
t="SIGKILL during a multiply"
cp keep.npy out.npy
clear_tmp
long_mul K1.npy K2.npy -o out.npy
if await_tmp out.npy; then
	kill -s KILL "$pid"
	finish
	status_is "$t: killed" 137
	same_file "$t: existing output unchanged" out.npy keep.npy
	left=$(find . -name '.*.pardot-*')
	case $left in
	./.out.npy.pardot-??????)
		ok "$t: only .out.npy.pardot-XXXXXX is left" ;;
	*)
		fail "$t: only .out.npy.pardot-XXXXXX is left" "found: $left" ;;
	esac
	expect "$t: a later run writes the target all the same" 0 '' \
	    "$P" mul keep.npy keep.npy -o out.npy
	if [ -n "$left" ] && [ -e "$left" ]; then ok "$t: the later run leaves the stale file alone"; else fail "$t: the later run leaves the stale file alone" "$left is gone"; fi
	rm -f ./.out.npy.pardot-*
else
	finish
	fail "$t" "no temporary file appeared; status $status: $(head -c 300 bg.err)"
fi

# ---- files that change under the tool ---------------------------------------
# Truncating a mapped file makes the pages past its new end vanish: the
# next read of one raises SIGBUS. pardot names the file and exits 1.

# truncated NAME VICTIM SIZE PATTERN A B [OPTION]: multiplies copies of A
# and B (with OPTION, if given) while another process truncates VICTIM
# (A.npy, B.npy or the temporary file, "tmp") to SIZE bytes; expects status
# 1 and PATTERN on stderr. The race is lost only if the multiply ends
# first: then try again.
truncated() {
	t=$1 victim=$2 size=$3 pat=$4
	for try in 1 2 3; do
		cp "$5" A.npy && cp "$6" B.npy && cp keep.npy out.npy
		clear_tmp
		long_mul A.npy B.npy -o out.npy ${7:+"$7"}
		if ! await_tmp out.npy full; then
			finish
			fail "$t" "no temporary file appeared; status $status: $(head -c 300 bg.err)"
			return
		fi
		[ "$victim" = tmp ] && victim=$tmp
		truncate -s "$size" "$victim"
		finish
		[ "$status" != 0 ] && break
		victim=$2
	done
	if [ "$status" = 0 ]; then
		echo "SKIP $t: the multiply finished before the truncation ($try tries)"
		return
	fi
	status_is "$t: status 1" 1
	err_is "$t: message" "$pat"
	same_file "$t: existing output unchanged" out.npy keep.npy
	no_temporaries "$t: no temporaries left"
}

truncated "B truncated while mapped" B.npy 100 \
    '^pardot: B\.npy: file changed while reading$' K1.npy K2.npy
truncated "A truncated while mapped" A.npy 100 \
    '^pardot: A\.npy: file changed while reading$' K1.npy K2.npy
truncated "A truncated to nothing while mapped" A.npy 0 \
    '^pardot: A\.npy: file changed while reading$' K1.npy K2.npy
truncated "temporary output truncated while mapped" tmp 0 \
    '^pardot: out\.npy: cannot write \(no space\?\)$' K1.npy K2.npy
# Out of core, tile by tile: the same faults, the same messages.
truncated "B truncated out of core" B.npy 100 \
    '^pardot: B\.npy: file changed while reading$' K1.npy K2.npy --mem-limit=16M
truncated "temporary output truncated out of core" tmp 0 \
    '^pardot: out\.npy: cannot write' K1.npy K2.npy --mem-limit=16M

# ---- a full disk -------------------------------------------------------------
# posix_fallocate reserves the whole output before a byte is written, so
# a full disk is an error message, not a SIGBUS half-way.

"$P" gen 400x400 -o F1.npy && "$P" gen 400x400 -o F2.npy &&
    "$P" gen 100x100 -o S1.npy
if [ "$(id -u)" != 0 ]; then
	echo "SKIP full disk: mounting a small tmpfs needs root"
elif ! { mkdir small && mount -t tmpfs -o size=1m tmpfs small; }; then
	echo "SKIP full disk: cannot mount a tmpfs here"
else
	mounts="$mounts $SCRATCH/small"
	expect "full disk: a result that fits is written (control)" 0 '' \
	    "$P" mul S1.npy S1.npy -o small/fits.npy
	cp keep.npy small/C.npy
	# 400 x 400 float64 and a 128-byte header: more than the 1 MiB there is.
	expect "full disk: mul" 1 \
	    '^pardot: small/C\.npy: cannot reserve 1280128 bytes: No space left on device$' \
	    "$P" mul F1.npy F2.npy -o small/C.npy
	same_file "full disk: mul: existing output unchanged" small/C.npy keep.npy
	expect "full disk: gen" 1 \
	    '^pardot: small/G\.npy: cannot reserve 8000128 bytes: No space left on device$' \
	    "$P" gen 1000x1000 -o small/G.npy
	if [ -e small/G.npy ]; then fail "full disk: gen: no output" "small/G.npy exists"; else ok "full disk: gen: no output"; fi
	left=$(find small -name '.*.pardot-*')
	if [ -z "$left" ]; then ok "full disk: no temporaries left"; else fail "full disk: no temporaries left" "$left"; fi
	expect "full disk: space is given back (a fitting result after the failures)" 0 '' \
	    "$P" mul S1.npy S1.npy -o small/fits2.npy

	# Root ignores permissions, but not a read-only file system.
	if mount -o remount,ro small; then
		expect "output directory not writable (read-only file system)" 1 \
		    '^pardot: small/C\.npy: cannot create a file in small: Read-only file system$' \
		    "$P" mul S1.npy S1.npy -o small/C.npy
		same_file "output directory not writable: existing output unchanged" small/C.npy keep.npy
	else
		echo "SKIP output directory not writable: cannot remount read-only"
	fi
fi

# A file size limit (ulimit -f, in 512-byte blocks): posix_fallocate fails
# with EFBIG, since pardot ignores SIGXFSZ rather than die of it.
cp keep.npy out.npy
expect "file size limit: a small result is written (control)" 0 '' \
    sh -c 'ulimit -f 100 && exec "$0" gen 10x10 -o small.npy' "$P"
expect "file size limit: gen" 1 \
    '^pardot: out\.npy: cannot reserve 8000128 bytes: File too large$' \
    sh -c 'ulimit -f 100 && exec "$0" gen 1000x1000 -o out.npy' "$P"
same_file "file size limit: gen: existing output unchanged" out.npy keep.npy
expect "file size limit: mul" 1 \
    '^pardot: out\.npy: cannot reserve 8000128 bytes: File too large$' \
    sh -c 'ulimit -f 100 && exec "$0" mul M1.npy M2.npy -o out.npy' "$P"
same_file "file size limit: mul: existing output unchanged" out.npy keep.npy
no_temporaries "file size limit: no temporaries left"

# ---- two runs, one output ----------------------------------------------------
# Each run writes its own temporary file and renames it over the target:
# the last rename wins and the target is one whole result, never a mix.

"$P" gen 500x500 -o W1.npy && "$P" gen 500x500 --seed 2 -o W2.npy &&
    PARDOT_ARCH=generic "$P" mul -j 1 W1.npy W2.npy -o r12.npy &&
    PARDOT_ARCH=generic "$P" mul -j 1 W2.npy W1.npy -o r21.npy
if cmp -s r12.npy r21.npy; then
	fail "concurrent writers: setup" "the two results are the same"
fi
mixed=0
for round in 1 2 3; do
	rm -f out.npy
	PARDOT_ARCH=generic "$P" mul -j 1 W1.npy W2.npy -o out.npy 2>err1 &
	p1=$!
	PARDOT_ARCH=generic "$P" mul -j 1 W2.npy W1.npy -o out.npy 2>err2 &
	p2=$!
	wait "$p1"
	s1=$?
	wait "$p2"
	s2=$?
	if [ "$s1" != 0 ] || [ "$s2" != 0 ]; then
		fail "concurrent writers: round $round: both succeed" "status $s1 and $s2: $(cat err1 err2)"
	elif ! cmp -s out.npy r12.npy && ! cmp -s out.npy r21.npy; then
		mixed=$((mixed + 1))
	fi
done
if [ "$mixed" = 0 ]; then
	ok "concurrent writers: the output is always one whole result"
else
	fail "concurrent writers: the output is always one whole result" "$mixed of 3 rounds left something else"
fi
no_temporaries "concurrent writers: no temporaries left"

# ---- durability --------------------------------------------------------------
# On success the data is synced before the rename and the directory after.

if command -v strace >/dev/null 2>&1; then
	strace -f -y -o trace -e trace=fsync,fdatasync,msync,rename,renameat,renameat2 \
	    "$P" gen 10x10 -o dur.npy 2>/dev/null
	here=$(pwd -P)
	order=$(awk -v dir="$here" '
	    /rename/ { r = 1; next }
	    /fsync\(/ && !r && /\.dur\.npy\.pardot-/ { before = 1 }
	    /fsync\(/ && r && index($0, "<" dir ">") { after = 1 }
	    END { print before + 0, r + 0, after + 0 }' trace)
	if [ "$order" = "1 1 1" ]; then
		ok "durability: fsync the data, rename, fsync the directory"
	else
		fail "durability: fsync the data, rename, fsync the directory" "$(cat trace)"
	fi
else
	echo "SKIP durability: strace is not installed"
fi

# ---- limits --------------------------------------------------------------------

expect "gen: 99999999999x99999999999 overflows" 1 \
    '^pardot: x: a 99999999999x99999999999 float64 result is too large$' \
    "$P" gen 99999999999x99999999999 -o x
# 8e14 bytes: more than a 47-bit address space; or, where it is not, more
# than any disk here. Either way nothing is created.
expect "gen: result beyond the address space" 1 \
    '^pardot: x: cannot (map a result of|reserve) 800000000000128 bytes' \
    "$P" gen 10000000x10000000 -o x
# Tiny files with an empty inner dimension ask for the same.
"$P" gen 10000000x0 -o z1.npy && "$P" gen 0x10000000 -o z2.npy
expect "mul: empty inner dimension, result beyond the address space" 1 \
    '^pardot: x: cannot (map a result of|reserve) 800000000000128 bytes' \
    "$P" mul z1.npy z2.npy -o x
if [ -e x ]; then fail "limits: nothing created" "x exists"; else ok "limits: nothing created"; fi
no_temporaries "limits: no temporaries left"

# A memory limit (ulimit -v, KiB). Under valgrind (tests/valgrind.sh sets
# PARDOT_VALGRIND) the limit would measure valgrind, and a sanitizer build
# needs far more address space than pardot itself: skip.
if [ -n "${PARDOT_VALGRIND:-}" ]; then
	echo "SKIP memory limit: pardot runs under valgrind, which the limit would measure instead"
elif ! sh -c 'ulimit -v 200000 && exec "$0" --version' "$P" >/dev/null 2>&1; then
	echo "SKIP memory limit: pardot cannot start under ulimit -v (a sanitizer build?)"
else
	expect "memory limit: a result larger than the limit is refused up front" 1 \
	    '^pardot: big\.npy: cannot map a result of 3200000128 bytes: Cannot allocate memory$' \
	    sh -c 'ulimit -v 200000 && exec "$0" gen 20000x20000 -o big.npy' "$P"
	if [ -e big.npy ]; then fail "memory limit: nothing created" "big.npy exists"; else ok "memory limit: nothing created"; fi

	# The smallest limit (to 16 KiB) under which a one-thread multiply
	# succeeds: just below it, the last thing it allocates, the packing
	# buffers, is what fails.
	"$P" gen 300x300 -o V1.npy && "$P" gen 300x300 --seed 3 -o V2.npy &&
	    "$P" mul V1.npy V2.npy -o vwant.npy
	vmul() {
		sh -c 'ulimit -v "$1" && exec "$0" mul -j 1 V1.npy V2.npy -o vout.npy' \
		    "$P" "$1" 2>verr
	}
	lo=1000 hi=400000
	if vmul "$hi"; then
		while [ $((hi - lo)) -gt 16 ]; do
			mid=$(((lo + hi) / 2))
			if vmul "$mid"; then hi=$mid; else lo=$mid; fi
		done
		vmul "$hi"
		same_file "memory limit: at $hi KiB the result is right" vout.npy vwant.npy
		cp keep.npy vout.npy
		vmul "$lo"
		status=$?
		if [ "$status" = 1 ] && [ "$(wc -l <verr)" = 1 ] &&
		    grep -q '^pardot: mul: out of memory for the packing buffers$' verr; then
			ok "memory limit: at $lo KiB, out of memory for the packing buffers"
		else
			fail "memory limit: at $lo KiB, out of memory for the packing buffers" "status $status: $(cat verr)"
		fi
		same_file "memory limit: existing output unchanged" vout.npy keep.npy
	else
		fail "memory limit: a 300x300 multiply runs in $hi KiB" "$(cat verr)"
	fi

	# With threads, the OpenMP runtime may be what fails (it exits with
	# its own message): still one clear line, status 1, nothing left.
	bad=
	for kib in 6000 8000 12000 16000 20000 24000 28000 32000 48000 64000; do
		cp keep.npy vout.npy
		sh -c 'ulimit -v "$1" && exec "$0" mul -j 2 V1.npy V2.npy -o vout.npy' \
		    "$P" "$kib" 2>verr
		s=$?
		lines=$(grep -c . verr)
		if [ "$s" = 0 ] && cmp -s vout.npy vwant.npy && [ "$lines" = 0 ]; then
			continue
		elif [ "$s" = 1 ] && [ "$lines" = 1 ] && cmp -s vout.npy keep.npy &&
		    grep -Eq '^(pardot: [^:]+|libgomp): ' verr; then
			continue
		fi
		bad="$bad $kib KiB: status $s: $(cat verr);"
	done
	if [ -z "$bad" ]; then ok "memory limit with 2 threads: clean at every limit"; else fail "memory limit with 2 threads: clean at every limit" "$bad"; fi
	no_temporaries "memory limit: no temporaries left"
fi

# ---- files of the wrong kind -------------------------------------------------

cp keep.npy out.npy
expect "input is /dev/null" 1 '^pardot: /dev/null: not a regular file$' \
    "$P" mul /dev/null M1.npy -o out.npy
expect "input is /dev/zero" 1 '^pardot: /dev/zero: not a regular file$' \
    "$P" mul M1.npy /dev/zero -o out.npy
expect "input is a pipe" 1 '^pardot: /dev/stdin: not a regular file$' \
    sh -c 'echo x | "$0" mul /dev/stdin M1.npy -o out.npy' "$P"
expect "info: /dev/zero" 1 '^pardot: /dev/zero: not a regular file$' \
    "$P" info /dev/zero
same_file "wrong kinds of input: existing output unchanged" out.npy keep.npy
expect "output is /dev/null" 1 '^pardot: /dev/null: not a regular file' \
    "$P" mul M1.npy M2.npy -o /dev/null
if [ -c /dev/null ]; then ok "output is /dev/null: still a device"; else fail "output is /dev/null: still a device" "$(ls -l /dev/null)"; fi
no_temporaries "wrong kinds: no temporaries left"
