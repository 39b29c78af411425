#!/bin/sh
# make bench, MPI section: end-to-end 'pardot mul' of two n x n float64
# files, on one process with -j 1 and -j 2, and under mpirun on 1 and 2
# ranks of one thread each, on the row plan (the model's pick for two
# ranks) and on a 2x1 grid; medians of 3 runs and their ratios to -j 1.
# Run by tests/bench/run.sh when Open MPI is installed.
#
# usage: sh tests/bench/mpi.sh PLAIN-PARDOT MPI-PARDOT DIR [N]
plain=$1 mpi=$2 dir=$3 n=${4:-4096}

# As in tests/cli/test_mpi.sh: shared memory only, quiet in a sandbox.
export OMPI_MCA_btl=self,vader OMPI_MCA_pml=ob1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
mpirun="mpirun --oversubscribe --allow-run-as-root --bind-to none"

"$plain" gen "${n}x$n" --seed 1 -o "$dir/mpiA.npy" &&
    "$plain" gen "${n}x$n" --seed 2 -o "$dir/mpiB.npy" || exit 1

# median3 CMD...: the median wall time of three runs, in seconds.
median3() {
	for _ in 1 2 3; do
		s=$(date +%s.%N)
		"$@" "$dir/mpiA.npy" "$dir/mpiB.npy" -o "$dir/mpiC.npy" || exit 1
		e=$(date +%s.%N)
		awk "BEGIN { print $e - $s }"
	done | sort -n | sed -n 2p
}

echo "MPI scaling, end to end: ${n}x$n float64 by ${n}x$n (median of 3)"
base=$(median3 "$plain" mul -j 1)
for row in "plain -j 1:$base" \
    "plain -j 2:$(median3 "$plain" mul -j 2)" \
    "mpirun -n 1 -j 1:$(median3 $mpirun -n 1 "$mpi" mul -j 1)" \
    "mpirun -n 2 -j 1:$(median3 $mpirun -n 2 "$mpi" mul -j 1)" \
    "  --grid 2x1:$(median3 $mpirun -n 2 "$mpi" mul -j 1 --grid 2x1)"; do
	t=${row##*:}
	awk -v w="${row%%:*}" -v t="$t" -v b="$base" \
	    'BEGIN { printf "  %-18s %7.2f s  %5.2fx\n", w, t, b / t }'
done
rm -f "$dir/mpiA.npy" "$dir/mpiB.npy" "$dir/mpiC.npy"
