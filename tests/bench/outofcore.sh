#!/bin/sh
# make bench, out of core: n x n float64 (n = 8192: A, B and C 1.5 GiB in
# all) under a memory cgroup of 384 MiB, four times smaller, against the
# same multiply with no limit; bytes read from disk (/proc/PID/io
# read_bytes, the page cache dropped before each run) against the model
# pardot reports; the model and the reads over several budgets; and NumPy's
# np.dot on memory-mapped arrays in the same cgroup.
#
# usage: outofcore.sh PARDOT OUTDIR [N]. Needs root, a memory cgroup and a
# writable /proc/sys/vm/drop_caches; says why and stops otherwise.
P=$1 out=$2 n=${3:-8192}
limit_mib=384
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

cg=$(make_cgroup pardot-bench $limit_mib) || skip "no memory cgroup could be made"

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

mkdir -p "$dir"
"$P" gen "${n}x$n" --seed 1 -o "$dir/A.npy" || exit 1
"$P" gen "${n}x$n" --seed 2 -o "$dir/B.npy" || exit 1
echo "out of core: ${n}x$n float64, A, B and C $(gib $((3 * n * n * 8))); cgroup of $limit_mib MiB"

# The in-memory run and the cgroup run, alternated, three times each.
: >"$dir/mem.txt"
: >"$dir/ooc.txt"
for i in 1 2 3; do
	measure - "$P" mul "$dir/A.npy" "$dir/B.npy" -o "$dir/Cmem.npy" >>"$dir/mem.txt"
	measure "$cg" "$P" mul "$dir/A.npy" "$dir/B.npy" -o "$dir/C.npy" \
	    --stats=json >>"$dir/ooc.txt"
done
model=$(sed -n 's/.*"model_read_bytes":\([0-9]*\).*/\1/p' "$ERRFILE")
budget=$(sed -n 's/.*"budget_bytes":\([0-9]*\).*/\1/p' "$ERRFILE")
tmem=$(cut -d' ' -f1 "$dir/mem.txt" | median)
tooc=$(cut -d' ' -f1 "$dir/ooc.txt" | median)
rmem=$(cut -d' ' -f2 "$dir/mem.txt" | median)
rooc=$(cut -d' ' -f2 "$dir/ooc.txt" | median)
if cmp -s "$dir/C.npy" "$dir/Cmem.npy"; then same="the same bytes"; else same="DIFFERENT BYTES"; fi
if grep -qv ' 0$' "$dir/ooc.txt"; then same="$same; a run FAILED"; fi
echo "  no limit:        $tmem s (median of 3), $(gib "$rmem") read"
echo "  $limit_mib MiB cgroup:  $tooc s, $(awk -v a="$tooc" -v b="$tmem" 'BEGIN { printf "%.2fx", a / b }') the time, $(gib "$rooc") read, model $(gib "$model") ($same)"
echo "  budget $(gib "$budget") of the cgroup's $limit_mib MiB"

# Budget against reads: the model and the measure, one run each, each in a
# cgroup of its limit.
echo
echo "| cgroup limit | bands | model read | measured read | seconds |"
echo "| ---: | ---: | ---: | ---: | ---: |"
for mib in 192 384 768 1536; do
	c=$(make_cgroup "pardot-bench-$mib" "$mib") || continue
	set -- $(measure "$c" "$P" mul "$dir/A.npy" "$dir/B.npy" -o "$dir/C.npy" --stats=json)
	bands=$(sed -n 's/.*"bands":\([0-9]*\).*/\1/p' "$ERRFILE")
	m=$(sed -n 's/.*"model_read_bytes":\([0-9]*\).*/\1/p' "$ERRFILE")
	echo "| $mib MiB | ${bands:-in memory} | $([ -n "$m" ] && gib "$m") | $(gib "$2") | $1 |"
	rmdir "$c" 2>/dev/null
done

# NumPy on memory-mapped arrays in the same cgroup: np.dot keeps C in
# private memory, which the cgroup cannot hold.
echo
if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
	set -- $(measure "$cg" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
	    timeout 900 /usr/bin/python3 -c '
import sys, numpy as np
a = np.load(sys.argv[1], mmap_mode="r")
b = np.load(sys.argv[2], mmap_mode="r")
np.save(sys.argv[3], np.dot(a, b))' "$dir/A.npy" "$dir/B.npy" "$dir/Cnp.npy")
	case $3 in
	0) echo "  NumPy np.dot on memmaps, $limit_mib MiB cgroup: $1 s, $(gib "$2") read" ;;
	137) echo "  NumPy np.dot on memmaps, $limit_mib MiB cgroup: killed (out of memory) after $1 s" ;;
	124) echo "  NumPy np.dot on memmaps, $limit_mib MiB cgroup: stopped after $1 s (timeout)" ;;
	*) echo "  NumPy np.dot on memmaps, $limit_mib MiB cgroup: failed with status $3 after $1 s" ;;
	esac
else
	echo "  NumPy: not installed, left out"
fi
rmdir "$cg" 2>/dev/null
rm -f "$dir"/*.npy
