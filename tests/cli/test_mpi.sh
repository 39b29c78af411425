#!/bin/sh
# shellcheck disable=SC2154 # $status is set by lib.sh's run
# shellcheck disable=SC2086 # $MPIRUN is a command with its options
#
# pardot mul under mpirun: the MPI build (make MPI=1, built here into
# build/mpi/, never over ./pardot) on 1 to 6 ranks, on the row plan and on
# grids forced or chosen, must write the same bytes as the plain binary
# under test, $PARDOT, for every type, layout and shape, in particular
# when C is smaller than the grid or not a multiple of it; a rank on a
# grid must hold no more than its tile and panels; a failure on any one
# rank must end the run with one message and the target untouched; and
# without mpirun the MPI build must behave as the plain one.

# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"

P=$PARDOT
TOP=$(cd "$TESTS/.." && pwd)
MB=$TOP/build/mpi/pardot

if [ -n "$PARDOT_VALGRIND" ]; then
	echo "SKIP MPI: not run under valgrind (it builds its own binary)"
	exit 0
fi
if [ -n "$PARDOT_SANITIZED" ]; then
	echo "SKIP MPI: the MPI binary is built without sanitizers; make check ran these tests"
	exit 0
fi
if ! command -v mpicc >/dev/null 2>&1 || ! command -v mpirun >/dev/null 2>&1
then
	echo "SKIP MPI: mpicc or mpirun missing (apt-get install openmpi-bin libopenmpi-dev)"
	exit 0
fi
if mpi_build build.log; then
	ok "make MPI=1 build/mpi/pardot"
else
	fail "make MPI=1 build/mpi/pardot" "$(tail -n 5 build.log)"
	exit 0
fi
if grep -q 'warning:' build.log; then
	fail "MPI build without warnings" "$(grep -m 3 'warning:' build.log)"
else
	ok "MPI build without warnings"
fi

# Open MPI on one machine, as root, in a sandbox: shared memory between
# ranks and nothing else (no network probing, no InfiniBand or UCX
# warnings), and no single-copy mechanism, which needs ptrace rights that
# containers often withhold.
export OMPI_MCA_btl=self,vader OMPI_MCA_pml=ob1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
MPIRUN="mpirun --oversubscribe --allow-run-as-root"

# pm NAME NP ARGS...: 'mul ARGS' on NP ranks writes what the plain binary
# writes, byte for byte, and says nothing.
pm() {
	pname=$1 np=$2
	shift 2
	rm -f plain.out mpi.out
	if ! "$P" mul "$@" -o plain.out 2>plain.err; then
		fail "$pname" "the plain binary failed: $(head -c 300 plain.err)"
		return
	fi
	run $MPIRUN -n "$np" "$MB" mul "$@" -o mpi.out
	if [ "$status" != 0 ]; then
		fail "$pname" "status $status: $(head -c 300 err)"
	elif [ -s err ]; then
		fail "$pname" "unexpected stderr: $(head -c 300 err)"
	elif ! cmp -s plain.out mpi.out; then
		fail "$pname" "not the plain binary's bytes"
	else
		ok "$pname"
	fi
}

# pg NAME GRID ARGS...: the same on the ranks of --grid GRID.
pg() {
	gname=$1 grid=$2
	shift 2
	rm -f plain.out mpi.out
	if ! "$P" mul "$@" -o plain.out 2>plain.err; then
		fail "$gname" "the plain binary failed: $(head -c 300 plain.err)"
		return
	fi
	run $MPIRUN -n $((${grid%x*} * ${grid#*x})) "$MB" mul --grid "$grid" \
	    "$@" -o mpi.out
	if [ "$status" != 0 ]; then
		fail "$gname" "status $status: $(head -c 300 err)"
	elif [ -s err ]; then
		fail "$gname" "unexpected stderr: $(head -c 300 err)"
	elif ! cmp -s plain.out mpi.out; then
		fail "$gname" "not the plain binary's bytes"
	else
		ok "$gname"
	fi
}

# one_message NAME: the last run failed with status 1 and exactly one
# 'pardot:' line on stderr (mpirun adds its own notice of the status).
one_message() {
	n=$(grep -c '^pardot: ' err)
	if [ "$status" != 1 ]; then
		fail "$1" "status $status, wanted 1: $(head -c 300 err)"
	elif [ "$n" != 1 ]; then
		fail "$1" "$n 'pardot:' lines: $(grep '^pardot: ' err | head -c 400)"
	else
		ok "$1"
	fi
}

# untouched NAME: the target still holds what it held, nothing is left.
untouched() {
	same_file "$1: target untouched" keep.npy target.npy
	no_temporaries "$1: no temporary file"
}

# ---- every rank count, type and shape --------------------------------------
# M below, equal to, just above and not a multiple of the rank count:
# shares of two and three rows, and ranks without any.
t=0
for np in 1 2 3 5; do
	for m in 1 $((np + 1)) $((2 * np - 1)) $np 37; do
		case $t in 0) a=f8 b=f8 ;; 1) a=f4 b=f4 ;; 2) a=i8 b=i8 ;;
		    3) a=i4 b=i4 ;; 4) a=f4 b=i8 ;; esac
		t=$(((t + 1) % 5))
		"$P" gen "${m}x23" --dtype "$a" --seed "$m" -o A.npy
		"$P" gen 23x19 --dtype "$b" --seed 5 -o B.npy
		pm "-n $np: ${m}x23 $a by 23x19 $b" "$np" A.npy B.npy
	done
done

# Sizes past the cache blocks (K beyond kc, M beyond mc) on every type.
for t in f8 f4 i8 i4; do
	"$P" gen 301x530 --dtype $t --seed 1 -o A.npy
	"$P" gen 530x97 --dtype $t --seed 2 -o B.npy
	pm "-n 3 -j 2: 301x530 by 530x97 $t" 3 -j 2 A.npy B.npy
done
"$P" gen 301x530 --dtype i4 --seed 3 -o Ai4.npy
"$P" gen 530x97 --dtype f4 --seed 4 -o Bf4.npy
pm "-n 5 -j 1: mixed int32 by float32" 5 -j 1 Ai4.npy Bf4.npy
pm "-n 2 -j 2: mixed float32 by int32" 2 -j 2 B.npy Ai4.npy --transpose-a \
    --transpose-b

# int64 past 2^53: one row too large for the exact route on float64, which
# the ranks without it take; exact either way, so the same bytes.
"$P" gen 1x40 --dtype i8 --range -3000000000:3000000000 --format raw -o big.raw
"$P" gen 29x40 --dtype i8 --range -100:100 --format raw -o small.raw
{ npyhead 1 "{'descr': '<i8', 'fortran_order': False, 'shape': (30, 40), }"
  cat small.raw big.raw; } >Abig.npy
"$P" gen 40x17 --dtype i8 --range -1000000:1000000 -o Bbig.npy
pm "-n 3: int64 with one row past the exact route" 3 Abig.npy Bbig.npy

# Layouts: transposes, Fortran order, raw files in and out, 1-D operands.
"$P" gen 26x31 --seed 7 -o A.npy
"$P" gen 31x12 --seed 8 -o B.npy
"$P" gen 31x26 --seed 9 -o AT.npy
pm "-n 3: --transpose-a" 3 --transpose-a AT.npy B.npy
pm "-n 2: --transpose-b" 2 --transpose-b A.npy A.npy
"$P" gen 31x26 --seed 7 --format raw -o AF.raw
{ npyhead 1 "{'descr': '<f8', 'fortran_order': True, 'shape': (26, 31), }"
  cat AF.raw; } >AF.npy
pm "-n 5: Fortran-order A" 5 AF.npy B.npy
pm "-n 3: raw in, --format raw out" 3 --raw-a 26x31 --dtype f8 \
    --format raw AF.raw B.npy
"$P" gen 31 --seed 3 -o v.npy
pm "-n 3: 1-D B (matrix-vector)" 3 A.npy v.npy
pm "-n 3: 1-D A (one row)" 3 v.npy B.npy
"$P" gen 0x31 -o E.npy
pm "-n 2: M = 0" 2 -j 2 E.npy B.npy

# --overflow=error: the first element, in the rows of rank 2 here, named
# as the plain binary names it, once.
{ npyhead 1 "{'descr': '<i4', 'fortran_order': False, 'shape': (9, 2), }"
  for _ in 1 2 3 4 5 6; do le 1 4; le 1 4; done
  le 2147483647 4; le 1 4; le 1 4; le 1 4; le 2147483647 4; le 2147483647 4
} >Aov.npy
{ npyhead 1 "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }"
  le 1 4; le 1 4; le 1 4; le 1 4; } >Bov.npy
"$P" mul --overflow=error Aov.npy Bov.npy -o ov.npy 2>plain.err
run $MPIRUN -n 3 "$MB" mul --overflow=error Aov.npy Bov.npy -o ov.npy
one_message "-n 3 --overflow=error: one message"
is "-n 3 --overflow=error: the plain binary's message" \
    "$(grep '^pardot: ' err)" "$(cat plain.err)"
pm "-n 3 --overflow=error: no overflow, no message" 3 --overflow=error \
    Bov.npy Bov.npy

# ---- reports, options and the other commands -------------------------------
run $MPIRUN -n 2 "$MB" mul -v -j 1 A.npy B.npy -o C.npy
has "-n 2 -v: ranks x threads" '^pardot: mul: 2 ranks x 1 threads' err
is "-n 2 -v: one report" "$(grep -c 'ranks x' err)" 1
run $MPIRUN -n 3 "$MB" mul --stats=json A.npy B.npy -o C.npy
is "-n 3 --stats=json: one line" "$(grep -c '^{"command":"mul"' err)" 1
has "-n 3 --stats=json: ranks" '"ranks":3,' err
run $MPIRUN -n 3 "$MB" mul --help
is "-n 3 mul --help: printed once" "$(grep -c '^usage: pardot mul' out)" 1
run $MPIRUN -n 3 "$MB" info A.npy
is "-n 3 info: rank 0 alone" "$(grep -c 'A.npy' out)" 1
run $MPIRUN -n 2 "$MB" gen 20x20 --seed 4 -o G.npy
"$P" gen 20x20 --seed 4 -o Gplain.npy
same_file "-n 2 gen: rank 0's file" G.npy Gplain.npy
run $MPIRUN -n 2 "$MB" mul A.npy B.npy -o -
if [ "$status" = 2 ] && [ "$(grep -c '^pardot: mul: standard input or output' err)" = 1 ]
then ok "-n 2 -o -: one usage error"
else fail "-n 2 -o -: one usage error" "status $status: $(head -c 300 err)"
fi
run $MPIRUN -n 1 "$MB" mul --mem-limit 1M A.npy B.npy -o C1.npy
"$P" mul A.npy B.npy -o Cplain1.npy
if [ "$status" = 0 ] && cmp -s C1.npy Cplain1.npy
then ok "-n 1 --mem-limit: the plain program, out of core"
else fail "-n 1 --mem-limit: the plain program, out of core" "status $status: $(head -c 300 err)"
fi
run $MPIRUN -n 3 "$MB" mul -j 0 A.npy B.npy -o C.npy
if [ "$status" = 2 ] && [ "$(grep -c '^pardot: ' err)" = 1 ]
then ok "-n 3 -j 0: one usage error"
else fail "-n 3 -j 0: one usage error" "status $status: $(head -c 300 err)"
fi

# ---- the grid ---------------------------------------------------------------
# Every forced grid on a shape not a multiple of it (K past kc, so that
# the tiles sum panels), on one smaller than it (tiles of none) or on one
# equal to it (tiles of two by two), the types in turn.
t=0
for g in 1x2 2x1 1x3 3x1 2x2 1x4 4x1 2x3 3x2; do
	pr=${g%x*} pc=${g#*x}
	case $g in
	2x2|2x3) shapes="$((2 * pr)):7:$((2 * pc)) 37:300:23" ;;
	3x2) shapes="3:5:2 37:300:23" ;;
	2x1|1x3|4x1) shapes=3:5:2 ;;
	*) shapes=37:300:23 ;;
	esac
	for shape in $shapes; do
		m=${shape%%:*} k=${shape#*:} k=${k%:*} n=${shape##*:}
		case $t in 0) a=f8 b=f8 ;; 1) a=f4 b=f4 ;; 2) a=i8 b=i8 ;;
		    3) a=i4 b=i4 ;; 4) a=i4 b=f4 ;; 5) a=f4 b=i8 ;; esac
		t=$(((t + 1) % 6))
		"$P" gen "${m}x$k" --dtype $a --seed "$m" -o A.npy
		"$P" gen "${k}x$n" --dtype $b --seed "$n" -o B.npy
		pg "--grid $g: ${m}x$k $a by ${k}x$n $b" "$g" -j 1 A.npy B.npy
	done
done
"$P" gen 301x530 --dtype i8 --seed 1 -o A.npy
"$P" gen 530x97 --dtype i8 --seed 2 -o B.npy
pg "--grid 2x3 -j 2: int64, 301x530 by 530x97" 2x3 -j 2 A.npy B.npy
pg "--grid 3x2: int64 with one row past the exact route" 3x2 Abig.npy \
    Bbig.npy
# Sparse bools (C not all true), on a grid's panels of k and on rows.
py=$(find_numpy)
if [ -n "$py" ]; then
	"$py" -c 'import numpy as np
r = np.random.default_rng(4)
np.save("Ab.npy", r.uniform(size=(301, 2100)) < 0.003)
np.save("Bb.npy", r.uniform(size=(2100, 97)) < 0.003)'
	pg "--grid 2x3 -j 2: sparse bools, 301x2100 by 2100x97" 2x3 -j 2 \
	    Ab.npy Bb.npy
	pm "-n 3 -j 2: sparse bools, 301x2100 by 2100x97" 3 -j 2 Ab.npy Bb.npy
	pg "--grid 2x2: sparse bools, B transposed" 2x2 --transpose-b Ab.npy \
	    Ab.npy
else
	echo "SKIP MPI bools: no NumPy"
fi
"$P" gen 530x301 --dtype f4 --seed 3 -o AT.npy
"$P" gen 97x530 --dtype f8 --seed 4 -o BT.npy
pg "--grid 2x2: both transposed, float32 by float64" 2x2 --transpose-a \
    --transpose-b AT.npy BT.npy
"$P" gen 31x12 --seed 8 -o B.npy
"$P" gen 26x31 --seed 7 -o A2.npy
pg "--grid 3x1: Fortran-order A" 3x1 AF.npy B.npy
pg "--grid 1x2: raw A, raw out" 1x2 --raw-a 26x31 --dtype f8 --format raw \
    AF.raw B.npy
"$P" gen 31x26 --seed 9 --dtype f4 --format raw -o AF4.raw
{ npyhead 1 "{'descr': '<f4', 'fortran_order': True, 'shape': (12, 31), }"
  head -c $((12 * 31 * 4)) AF4.raw; } >BF.npy
pg "--grid 2x2: Fortran-order B, transposed" 2x2 --transpose-b A2.npy \
    BF.npy
"$P" gen 6x0 -o K0a.npy
"$P" gen 0x5 -o K0b.npy
pg "--grid 2x2: K = 0" 2x2 K0a.npy K0b.npy
pm "-n 4: 1-D B, the row plan" 4 A2.npy v.npy
pm "-n 4: M = 0" 4 E.npy B.npy

# The plan -v names: the row plan for two ranks on square matrices (every
# plan moves 1.5 n^2 there), a 2x2 grid for four, and the model's bytes
# read and received those the run counted.
"$P" gen 64x64 --seed 1 -o S.npy
run $MPIRUN -n 2 "$MB" mul -v S.npy S.npy -o C.npy
has "-n 2 -v: the row plan on square matrices" '^pardot: mul: row plan' err
run $MPIRUN -n 4 "$MB" mul -v S.npy S.npy -o C.npy
has "-n 4 -v: a 2x2 grid on square matrices" '^pardot: mul: grid 2x2' err
base=$(sed -n 's/.*peak resident, most of any rank: \([0-9]*\) bytes/\1/p' err)
model=$(sed -n 's/^pardot: mul: rank 0, model: read \([0-9]*\) bytes, sent \([0-9]*\), received \([0-9]*\);.*/\1 \2 \3/p' err)
seen=$(sed -n 's/^pardot: mul: rank 0, run: read \([0-9]*\) bytes by read calls, sent \([0-9]*\), received \([0-9]*\);.*/\1 \2 \3/p' err)
if [ -n "$model" ] && [ "${model#* }" = "${seen#* }" ] &&
    [ "${seen%% *}" -ge "${model%% *}" ] &&
    [ "${seen%% *}" -lt $((${model%% *} + 65536)) ]
then ok "-n 4 -v: the model's bytes are the run's"
else fail "-n 4 -v: the model's bytes are the run's" "model $model, run $seen"
fi

# --grid refused: another number of ranks (a usage error), a C of one
# column (only the row plan keeps its sums in order), no mpirun.
run $MPIRUN -n 4 "$MB" mul --grid 2x3 S.npy S.npy -o C.npy
if [ "$status" = 2 ] && [ "$(grep -c '^pardot: --grid: 2x3 is 6 ranks, but the run has 4' err)" = 1 ]
then ok "-n 4 --grid 2x3: one usage error"
else fail "-n 4 --grid 2x3: one usage error" "status $status: $(head -c 300 err)"
fi
"$P" gen 7x7 -o keep.npy
cp keep.npy target.npy
run $MPIRUN -n 2 "$MB" mul --grid 1x2 A2.npy v.npy -o target.npy
one_message "--grid 1x2, C of one column: one message"
has "--grid 1x2, C of one column: says so" '^pardot: --grid 1x2: C of 26 x 1 has one row or column' err
untouched "--grid 1x2, C of one column"
run "$MB" mul --grid 2x2 S.npy S.npy -o C.npy
is "--grid 2x2 without mpirun: a usage error" "$status" 2

# A memory budget per rank: too small for any plan on two ranks, with how
# many would do; enough for a grid but not for all of B on every rank.
"$P" gen 2048x16 --seed 1 -o Aw.npy
"$P" gen 16x2048 --seed 2 -o Bw.npy
run $MPIRUN -n 2 "$MB" mul --mem-limit 20M Aw.npy Bw.npy -o target.npy
one_message "-n 2 --mem-limit 20M: one message"
has "-n 2 --mem-limit 20M: the ranks that would do" \
    '^pardot: mul: a rank would hold 16 MiB .*over the budget of .*.--mem-limit.; [3-9] ranks would do' err
untouched "-n 2 --mem-limit 20M"
"$P" gen 16x2048 --seed 1 -o Am.npy
"$P" gen 2048x2048 --seed 2 -o Bm.npy
"$P" mul Am.npy Bm.npy -o plain.out
run $MPIRUN -n 4 "$MB" mul -v --mem-limit 24M Am.npy Bm.npy -o C.npy
has "-n 4 --mem-limit 24M: a grid, not all of B on every rank" \
    '^pardot: mul: grid ' err
same_file "-n 4 --mem-limit 24M: the same bytes" plain.out C.npy

# What a rank holds on a grid: at P = 4 on a B of 256 MiB, its peak
# resident memory (VmHWM, RssFile + RssAnon, the most of any rank) stays
# within that of a tiny run plus its tile of C, its panels and packing
# buffers, far below the quarter of B that is its share to read.
"$P" gen 16x4096 --seed 1 -o Ar.npy
"$P" gen 4096x8192 --seed 2 -o Br.npy
"$P" mul Ar.npy Br.npy -o plain.out
run $MPIRUN -n 4 "$MB" mul -v -j 1 --grid 2x2 Ar.npy Br.npy -o C.npy
peak=$(sed -n 's/.*peak resident, most of any rank: \([0-9]*\) bytes/\1/p' err)
if [ -n "$peak" ] && [ -n "$base" ] &&
    [ "$peak" -lt $((base + 32 * 1048576)) ] && [ "$peak" -lt $((48 * 1048576)) ]
then ok "--grid 2x2, B of 256 MiB: each rank holds its tile and panels"
else fail "--grid 2x2, B of 256 MiB: each rank holds its tile and panels" \
    "peak $peak bytes, a tiny run's $base: $(grep 'model:' err)"
fi
same_file "--grid 2x2, B of 256 MiB: the same bytes" plain.out C.npy
rm -f Br.npy Ar.npy C.npy plain.out mpi.out

# ---- a failure on one rank --------------------------------------------------
# Each rank runs in a directory of its own, r0, r1, ..., so that one rank
# can see another A.npy than the others: as a node would without a shared
# filesystem.
cat >rank.sh <<EOF
cd "$SCRATCH/r\${OMPI_COMM_WORLD_RANK:-\$PMIX_RANK}" || exit 1
[ "\${OMPI_COMM_WORLD_RANK:-\$PMIX_RANK}" != "\${LIMIT_RANK:-x}" ] ||
    ulimit -f 100
exec "$MB" "\$@"
EOF
"$P" gen 50x40 --seed 1 -o A.npy
"$P" gen 40x600 --seed 2 -o B.npy
"$P" gen 7x7 -o keep.npy
for r in 0 1 2; do mkdir r$r && cp A.npy B.npy r$r/; done
cp keep.npy target.npy

echo 'not an array' >r1/A.npy
run $MPIRUN -n 3 sh rank.sh mul A.npy B.npy -o "$SCRATCH/target.npy"
one_message "-n 3, rank 1's A is not .npy"
has "-n 3, rank 1's A is not .npy: says so" '^pardot: A.npy: (text such as CSV, )?not a .npy file' err
untouched "-n 3, rank 1's A is not .npy"

cp A.npy r1/A.npy
"$P" gen 51x40 -o r2/A.npy
run $MPIRUN -n 3 sh rank.sh mul A.npy B.npy -o "$SCRATCH/target.npy"
one_message "-n 3, rank 2's A has another shape"
has "-n 3, rank 2's A has another shape: says so" \
    '^pardot: A.npy: rank 2 reads 51x40 float64 where rank 0 reads 50x40' err
untouched "-n 3, rank 2's A has another shape"
cp A.npy r2/A.npy

# The output's directory seen by rank 0 only.
run $MPIRUN -n 2 sh rank.sh mul A.npy B.npy -o out.npy
one_message "-n 2, output directory not shared"
has "-n 2, output directory not shared: says so" \
    '^pardot: out.npy: rank 1 cannot open .*filesystem every rank sees' err
no_temporaries "-n 2, output directory not shared: no temporary file"

# A write that fails on rank 1 alone: its file size limit (51200 bytes,
# where its rows start at 80128: a small B, the row plan, whose writes
# are each rank's own; on a grid, collective buffering has aggregators
# write for the others). TCP between the ranks, since the shared-memory
# transport's own file would exceed the limit first.
"$P" gen 600x40 --seed 1 -o Arow.npy
"$P" gen 40x50 --seed 2 -o Brow.npy
for r in 0 1 2; do cp Arow.npy Brow.npy r$r/; done
run env LIMIT_RANK=1 OMPI_MCA_btl=self,tcp $MPIRUN -x LIMIT_RANK -n 3 \
    sh rank.sh mul Arow.npy Brow.npy -o "$SCRATCH/target.npy"
one_message "-n 3, a write fails on rank 1"
has "-n 3, a write fails on rank 1: says so" '^pardot: .*target.npy: cannot write' err
untouched "-n 3, a write fails on rank 1"

# mpirun -q keeps its own notice back: one line in all.
run $MPIRUN -q -n 2 "$MB" mul A.npy missing.npy -o "$SCRATCH/target.npy"
is "-q -n 2, a missing input: one line in all" "$(cat err)" \
    "pardot: missing.npy: No such file or directory"
untouched "-q -n 2, a missing input"

# ---- the MPI build without mpirun ------------------------------------------
"$P" mul -j 2 A.npy B.npy -o plain.npy
run "$MB" mul -j 2 A.npy B.npy -o single.npy
same_file "MPI build, no mpirun: the same bytes" plain.npy single.npy
is "MPI build, no mpirun: silent" "$(cat err)" ""
"$P" mul A.npy r0/missing.npy -o x.npy 2>plain.err
run "$MB" mul A.npy r0/missing.npy -o x.npy
is "MPI build, no mpirun: the same message" "$(cat err)" "$(cat plain.err)"
run "$MB" mul A.npy B.npy -o -
is "MPI build, no mpirun: standard output allowed" "$status" 0
