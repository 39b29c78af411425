#!/bin/sh
# make bench: pardot against OpenBLAS (floating point) and NumPy (integers),
# measured in one run on this machine. Results go to stdout and build/bench/.
set -e
cd "$(dirname "$0")/../.."
out=build/bench
mkdir -p "$out"

# The references are benchmark tools, never build requirements of pardot:
# install them here when running as root, else say what is missing.
need=""
pkg-config --exists openblas 2>/dev/null || need="$need libopenblas-dev"
command -v gnuplot >/dev/null 2>&1 || need="$need gnuplot-nox"
/usr/bin/python3 -c 'import numpy' 2>/dev/null || need="$need python3-numpy"
/usr/bin/python3 -c 'import threadpoolctl' 2>/dev/null ||
    need="$need python3-threadpoolctl"
if [ -n "$need" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "bench: installing$need"
		apt-get update -qq >/dev/null
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
	else
		echo "bench: missing$need (sudo apt-get install$need); those columns are left out"
	fi
fi
make -s build/plain/bench

echo "CPU:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(nproc) cores"
echo

# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, set on some machines here, slow
# OpenBLAS down: unset them for the benchmark process, the reference side.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE build/plain/bench "$@" |
    tee "$out/gemm.md"
echo
python3 tests/bench/e2e.py "$(pwd)/pardot" "$out" | tee "$out/e2e.txt"
echo
python3 tests/bench/oneliner.py "$(pwd)/pardot" build/plain/bench "$out" |
    tee "$out/oneliner.txt"
echo
python3 tests/bench/dtypes.py "$(pwd)/pardot" "$out" | tee "$out/dtypes.txt"
echo
python3 tests/bench/stacks.py "$(pwd)/pardot" "$out" | tee "$out/stacks.txt"
echo
sh tests/bench/outofcore.sh "$(pwd)/pardot" "$out" | tee "$out/outofcore.txt"

# Ranks against threads on this machine, when Open MPI is here to build
# the MPI binary (into build/mpi/, leaving ./pardot as it is).
if command -v mpicc >/dev/null 2>&1 && command -v mpirun >/dev/null 2>&1 &&
    make -s MPI=1 build/mpi/pardot; then
	echo
	sh tests/bench/mpi.sh build/plain/pardot build/mpi/pardot "$out" |
	    tee "$out/mpi.txt"
else
	echo "bench: no Open MPI (apt-get install openmpi-bin libopenmpi-dev); MPI scaling left out"
fi

if command -v gnuplot >/dev/null 2>&1; then
	sh tests/bench/chart.sh "$out/gemm.md" "$out/gemm.svg" &&
	    echo "chart: $out/gemm.svg"
fi
