#!/bin/sh
# make bench, out of core: files several times a memory cgroup's limit,
# multiplied in the cgroup and with no limit, alternated, the page cache
# dropped before each run: n = 6144 float32 under 96 MiB and n = 8192
# float64 under 384 MiB (A, B and C 4.5 times the limit). For each, the
# seconds and their ratio, and bytes read from disk (/proc/PID/io
# read_bytes) against the model pardot reports and the I/O lower bound:
# 2 n^3 / sqrt(S) elements for S elements of memory (Hong and Kung; Smith
# et al. 2017), plus one read of the inputs. Then, for n = 8192 float64,
# the same over several limits; and NumPy's np.dot on memory-mapped arrays
# in the 384 MiB cgroup.
#
# usage: outofcore.sh PARDOT OUTDIR. Needs root, a memory cgroup and a
# writable /proc/sys/vm/drop_caches; says why and stops otherwise.
P=$1 out=$2
dir=$out/ooc

skip() { echo "out of core: skipped: $1"; exit 0; }

[ "$(id -u)" = 0 ] || skip "needs root (a cgroup, and dropping the page cache)"
[ -w /proc/sys/vm/drop_caches ] || skip "/proc/sys/vm/drop_caches is not writable"

# make_cgroup NAME MIB: a memory cgroup of that limit; prints its directory.
make_cgroup() {
	v1=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { print $2; exit }' /proc/mounts)
	if [ -n "$v1" ]; then
		mkdir -p "$v1/$1" && echo $(($2 << 20)) >"$v1/$1/memory.limit_in_bytes" &&
		    echo "$v1/$1"
		return
	fi
	v2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	[ -n "$v2" ] || return 1
	echo +memory >"$v2/cgroup.subtree_control" 2>/dev/null
	mkdir -p "$v2/$1" && echo $(($2 << 20)) >"$v2/$1/memory.max" &&
	    echo 0 >"$v2/$1/memory.swap.max" 2>/dev/null
	echo "$v2/$1"
}

# measure CGROUP CMD...: runs CMD (in CGROUP unless it is -) from a cold
# page cache; prints "SECONDS READ_BYTES STATUS".
measure() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	# shellcheck disable=SC2016 # $$ and $s are the inner shell's
	sh -c '[ "$1" = - ] || echo $$ >"$1/cgroup.procs"; shift
	    t0=$(date +%s.%N); "$@" >/dev/null 2>"$ERRFILE"; s=$?
	    t1=$(date +%s.%N)
	    echo "$t0 $t1 $(sed -n "s/read_bytes: //p" /proc/$$/io) $s"' \
	    sh "$@" | awk '{ printf "%.2f %.0f %d\n", $2 - $1, $3, $4 }'
}
export ERRFILE="$dir/stderr"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
gib() { awk -v b="$1" 'BEGIN { printf "%.2f GiB", b / 2^30 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
json() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" "$ERRFILE"; }

# lower N SIZE MIB: the I/O lower bound for S = MIB MiB of SIZE-byte
# elements, plus one read of both inputs, in bytes.
lower() {
	awk -v n="$1" -v s="$2" -v m="$3" 'BEGIN {
	    S = m * 2^20 / s; printf "%.0f", (2 * n^3 / sqrt(S) + 2 * n^2) * s }'
}

# inputs N DTYPE: A.npy and B.npy in $dir.
inputs() {
	"$P" gen "$1x$1" --dtype "$2" --seed 1 -o "$dir/A.npy" &&
	    "$P" gen "$1x$1" --dtype "$2" --seed 2 -o "$dir/B.npy"
}

# against N DTYPE SIZE MIB: the cgroup run against the free one, three
# of each alternated; medians.
against() {
	n=$1 t=$2 s=$3 mib=$4
	cg=$(make_cgroup "pardot-bench-$mib" "$mib") || skip "no memory cgroup could be made"
	inputs "$n" "$t" || exit 1
	: >"$dir/mem.txt"
	: >"$dir/ooc.txt"
	for _ in 1 2 3; do
		measure - "$P" mul "$dir/A.npy" "$dir/B.npy" -o "$dir/Cmem.npy" >>"$dir/mem.txt"
		measure "$cg" "$P" mul "$dir/A.npy" "$dir/B.npy" -o "$dir/C.npy" \
		    --stats=json >>"$dir/ooc.txt"
	done
	model=$(json model_read_bytes) bands=$(json bands) tiles=$(json tiles_per_band)
	tmem=$(cut -d' ' -f1 "$dir/mem.txt" | median)
	free_s=$tmem
	tooc=$(cut -d' ' -f1 "$dir/ooc.txt" | median)
	rooc=$(cut -d' ' -f2 "$dir/ooc.txt" | median)
	low=$(lower "$n" "$s" "$mib")
	if cmp -s "$dir/C.npy" "$dir/Cmem.npy"; then same="the same bytes"; else same="DIFFERENT BYTES"; fi
	if grep -qv ' 0$' "$dir/ooc.txt" "$dir/mem.txt"; then same="$same; a run FAILED"; fi
	echo "| $n $t | $mib MiB | $tmem | $tooc | $(ratio "$tooc" "$tmem") | $bands x $tiles | $(gib "$model") | $(gib "$rooc") | $(gib "$low") | $(ratio "$rooc" "$low") | $same |"
	rmdir "$cg" 2>/dev/null
}

mkdir -p "$dir"
echo "out of core: medians of 3, cold page cache, cgroup run against the free run, alternated"
echo
echo "| files | cgroup | free s | cgroup s | ratio | bands x tiles | model read | measured read | lower bound + inputs | read / bound | result |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
against 6144 float32 4 96
against 8192 float64 8 384

# Budget against reads, n = 8192 float64: one run a limit, against the
# median free run above.
echo
echo "| cgroup limit | bands x tiles | model read | measured read | lower bound + inputs | seconds | to the free run |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for mib in 192 384 768 1536; do
	c=$(make_cgroup "pardot-bench-$mib" "$mib") || continue
	# shellcheck disable=SC2046 # three words: seconds, bytes, status
	set -- $(measure "$c" "$P" mul "$dir/A.npy" "$dir/B.npy" -o "$dir/C.npy" --stats=json)
	m=$(json model_read_bytes)
	plan=$([ -n "$m" ] && echo "$(json bands) x $(json tiles_per_band)" || echo "in memory")
	echo "| $mib MiB | $plan | $([ -n "$m" ] && gib "$m") | $(gib "$2") | $(gib "$(lower 8192 8 "$mib")") | $1 | $(ratio "$1" "$free_s") |"
	rmdir "$c" 2>/dev/null
done

# NumPy on memory-mapped arrays in the same cgroup: np.dot keeps C in
# private memory, which the cgroup cannot hold.
echo
if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
	cg=$(make_cgroup pardot-bench-384 384) || skip "no memory cgroup could be made"
	set -- $(measure "$cg" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
	    timeout 900 /usr/bin/python3 -c '
import sys, numpy as np
a = np.load(sys.argv[1], mmap_mode="r")
b = np.load(sys.argv[2], mmap_mode="r")
np.save(sys.argv[3], np.dot(a, b))' "$dir/A.npy" "$dir/B.npy" "$dir/Cnp.npy")
	case $3 in
	0) echo "  NumPy np.dot on memmaps, 384 MiB cgroup: $1 s, $(gib "$2") read" ;;
	137) echo "  NumPy np.dot on memmaps, 384 MiB cgroup: killed (out of memory) after $1 s" ;;
	124) echo "  NumPy np.dot on memmaps, 384 MiB cgroup: stopped after $1 s (timeout)" ;;
	*) echo "  NumPy np.dot on memmaps, 384 MiB cgroup: failed with status $3 after $1 s" ;;
	esac
	rmdir "$cg" 2>/dev/null
else
	echo "  NumPy: not installed, left out"
fi
rm -f "$dir"/*.npy
