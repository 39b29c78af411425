#!/bin/sh
# shellcheck disable=SC2154 # $status is set by lib.sh's run
#
# Multiplies larger than memory: --mem-limit and its usage errors; results
# bitwise those of the in-memory run for every type, transpose, shape, plan
# and -j; the budget and plan that -v and --stats report; and, as root with
# a memory cgroup, files four times the group's 64 MiB limit.

# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"

P=$PARDOT

# ---- --mem-limit ------------------------------------------------------------

"$P" gen 5x4 --seed 1 -o a.npy
"$P" gen 4x3 --seed 2 -o b.npy
for bad in abc 12X -5 1Q 5M5 ''; do
	expect "--mem-limit '$bad' refused" 2 "^pardot: --mem-limit: '$bad' is not a size" \
	    "$P" mul a.npy b.npy -o c.npy --mem-limit "$bad"
done
for zero in 0 0K 000M; do
	expect "--mem-limit $zero refused: says zero" 2 "^pardot: --mem-limit: '$zero' is zero" \
	    "$P" mul a.npy b.npy -o c.npy --mem-limit "$zero"
done
for big in 5000000T 99999999T 99999999999999999999; do
	expect "--mem-limit $big refused: says too large" 2 "^pardot: --mem-limit: '$big' is too large" \
	    "$P" mul a.npy b.npy -o c.npy --mem-limit "$big"
done
for good in 4096 1k 1K 1KB 1KiB 512M 8G 2T; do
	expect "--mem-limit $good accepted" 0 '' \
	    "$P" mul a.npy b.npy -o c.npy --mem-limit "$good"
done
[ -e c.npy ] || fail "--mem-limit runs write C" "no c.npy"

# ---- the same bytes, whatever the budget ------------------------------------

# gen_pair T M K N RANGE: A (M x K) and B (K x N) of type T.
gen_pair() {
	"$P" gen "$2x$3" --dtype "$1" --seed 11 -o A.npy ${5:+--range "$5"} &&
	    "$P" gen "$3x$4" --dtype "$1" --seed 12 -o B.npy ${5:+--range "$5"} &&
	    "$P" gen "$4x$3" --dtype "$1" --seed 13 -o Bt.npy ${5:+--range "$5"} &&
	    "$P" gen "$3x$2" --dtype "$1" --seed 14 -o At.npy ${5:+--range "$5"}
}

# tiled NAME ARGS...: mul ARGS without a limit, then under limits that
# give a plan of several bands or none that fits (small tiles), on one and
# two threads: every result the same bytes.
tiled() {
	name=$1
	shift
	"$P" mul "$@" -o ref.npy -j 2 || { fail "$name" "reference run failed"; return; }
	for lim in 1M 4M; do
		for j in 1 2; do
			[ $lim:$j = 4M:1 ] && continue
			run "$P" mul "$@" -o t.npy --mem-limit $lim -j $j -v
			if [ "$status" != 0 ]; then
				fail "$name, --mem-limit $lim -j $j" "status $status: $(cat err)"
			elif ! cmp -s t.npy ref.npy; then
				fail "$name, --mem-limit $lim -j $j" "differs from the in-memory result"
			else
				ok "$name, --mem-limit $lim -j $j"
			fi
		done
		grep -q 'out of core' err && tiles=yes
	done
}

for t in float64 float32 int64 int32; do
	for shape in "67 1031 257" "257 1031 199" "131 2000 7"; do
		# shellcheck disable=SC2086 # the shape is three words
		set -- $shape
		for range in '' '-3000000000:3000000000'; do
			case $t:$range in float*:?* | int32:?*) continue ;; esac
			gen_pair $t "$1" "$2" "$3" "$range"
			tiles=no
			tiled "$t $1x$2 . $2x$3 ${range:+full range}" A.npy B.npy
			is "$t $1x$2 . $2x$3 ${range:+full range} was tiled" $tiles yes
			[ "$1" = 257 ] || continue
			tiled "$t A^T . B" At.npy B.npy --transpose-a
			tiled "$t A . B^T" A.npy Bt.npy --transpose-b
			tiled "$t A^T . B^T" At.npy Bt.npy --transpose-a --transpose-b
		done
	done
done
"$P" gen 400x300 --dtype float32 --seed 5 -o A.npy
"$P" gen 300x500 --dtype int64 --seed 6 -o B.npy
tiled "float32 . int64" A.npy B.npy

# Bools accumulate over slabs of k by or: sparse ones, so that C is not
# all true after a few terms, against NumPy too.
py=$(find_numpy)
if [ -n "$py" ]; then
	"$py" -c 'import numpy as np
r = np.random.default_rng(3)
np.save("A.npy", r.uniform(size=(257, 3000)) < 0.002)
np.save("B.npy", r.uniform(size=(3000, 199)) < 0.002)
np.save("Bt.npy", r.uniform(size=(199, 3000)) < 0.002)'
	tiles=no
	tiled "bool 257x3000 . 3000x199, sparse" A.npy B.npy
	is "bool 257x3000 . 3000x199 was tiled" $tiles yes
	is "bool, sparse: NumPy's result" "$("$py" -c 'import numpy as np
c = np.load("t.npy")
print(c.dtype, (c == (np.load("A.npy") @ np.load("B.npy"))).all(), 0 < c.mean() < 1)')" "bool True True"
	tiled "bool A . B^T, sparse" A.npy Bt.npy --transpose-b
else
	echo "SKIP out-of-core bools: no NumPy"
fi

# Vector results are never tiled: each element is read once anyway.
"$P" gen 2000 --seed 7 -o v.npy
"$P" gen 2000x300 --seed 8 -o M.npy
"$P" gen 300x2000 --seed 9 -o N.npy
tiled "vector . matrix" v.npy M.npy
tiled "matrix . vector" N.npy v.npy
grep -q 'in memory' err && ok "a vector result is not tiled" ||
    fail "a vector result is not tiled" "$(cat err)"

# ---- what -v and --stats say ------------------------------------------------

"$P" gen 300x300 --seed 1 -o A.npy
"$P" gen 300x300 --seed 2 -o B.npy
run "$P" mul A.npy B.npy -o C.npy -v
has "-v names the budget" '^pardot: mul: memory budget .*(available memory|cgroup limit)' err
has "-v: small files are multiplied in memory" '^pardot: mul: in memory: A, B and C take' err
run "$P" mul A.npy B.npy -o C.npy -v --mem-limit 2M
has "-v names --mem-limit" '^pardot: mul: memory budget 1\.[0-9] MiB: --mem-limit 2\.0 MiB, less a margin of' err
has "-v gives the plan and its model" '^pardot: mul: out of core: A, B and C take 2\.1 MiB; [0-9]+ bands? of up to [0-9]+ rows, each in [0-9]+ tiles? of up to [0-9]+ columns; model: .* held, .* read' err
run "$P" mul A.npy B.npy -o C.npy --stats=json --mem-limit 2M
has "--stats: the budget and the plan" '"budget_bytes":[0-9]+,"budget_source":"--mem-limit","out_of_core":\{"bands":[0-9]+,"tiles_per_band":[0-9]+,"model_resident_bytes":[0-9]+,"model_read_bytes":[0-9]+\}' err
run "$P" mul A.npy B.npy -o C.npy --stats=json
has "--stats: in memory, no plan" '"out_of_core":null' err

# Standard input and output go through temporary files, tiled the same way.
"$P" mul A.npy B.npy -o ref.npy
run sh -c '"$1" mul A.npy B.npy -o - --mem-limit 2M >C.npy' sh "$P"
same_file "out of core to standard output" C.npy ref.npy
run sh -c '"$1" mul - B.npy -o C.npy --mem-limit 2M <A.npy' sh "$P"
same_file "out of core from standard input" C.npy ref.npy
no_temporaries "no temporary files left"

# ---- under a memory cgroup of 64 MiB ----------------------------------------

# A new memory cgroup: v1's memory hierarchy, or v2 with the memory
# controller; prints its directory, or nothing.
make_cgroup() {
	v1=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { print $2; exit }' /proc/mounts)
	if [ -n "$v1" ] && mkdir "$v1/pardot-test-$$" 2>/dev/null; then
		echo $((64 << 20)) >"$v1/pardot-test-$$/memory.limit_in_bytes" &&
		    echo "$v1/pardot-test-$$"
		return
	fi
	v2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	[ -n "$v2" ] && grep -qw memory "$v2/cgroup.controllers" 2>/dev/null || return
	echo +memory >"$v2/cgroup.subtree_control" 2>/dev/null
	mkdir "$v2/pardot-test-$$" 2>/dev/null || return
	if echo $((64 << 20)) >"$v2/pardot-test-$$/memory.max" 2>/dev/null; then
		echo "$v2/pardot-test-$$"
	else
		rmdir "$v2/pardot-test-$$"
	fi
}

if [ -n "$PARDOT_VALGRIND" ]; then
	echo "SKIP out of core under a 64 MiB cgroup: valgrind needs more than that"
elif [ "$(id -u)" != 0 ]; then
	echo "SKIP out of core under a 64 MiB cgroup: needs root"
elif ! cg=$(make_cgroup) || [ -z "$cg" ]; then
	echo "SKIP out of core under a 64 MiB cgroup: no memory cgroup could be made"
else
	# 3 x 88 MiB of files: over four times the limit.
	"$P" gen 4800x4800 --dtype float32 --seed 21 -o A.npy
	"$P" gen 4800x4800 --dtype float32 --seed 22 -o B.npy
	"$P" mul A.npy B.npy -o ref.npy
	# shellcheck disable=SC2016 # $$ is the inner shell's
	run sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" mul A.npy B.npy -o C.npy -v' \
	    sh "$cg" "$P"
	is "4800x4800 float32 under 64 MiB: status" "$status" 0
	same_file "4800x4800 float32 under 64 MiB: the unlimited run's bytes" C.npy ref.npy
	has "under 64 MiB: the budget comes from the cgroup" \
	    'memory budget [0-9]+ MiB: cgroup limit 64 MiB less .* in use \(.*pardot-test-[0-9]+/memory\.(limit_in_bytes|max)\)' err
	has "under 64 MiB: out of core" 'out of core: A, B and C take 264 MiB' err
	rmdir "$cg" 2>/dev/null
	no_temporaries "no temporary files left under the cgroup"
fi
