#!/bin/sh
# Run by 'make check' before it builds the tests. Check, the unit-test
# framework, is required; NumPy is used by the interoperability tests,
# mandoc by the manual's, SIMDe (on x86-64) to test the AVX-512 kernels on
# CPUs without AVX-512, Open MPI to build and test 'make MPI=1', and strace
# to see which system calls a run makes (mul --no-sync): without them,
# those tests say they were skipped. As root with apt-get, whatever is
# missing is installed; otherwise this prints the one command that installs
# it.
need=""
pkg-config --exists check 2>/dev/null || need="check pkg-config"
has_numpy() {
	for py in python3 /usr/bin/python3; do
		"$py" -c 'import numpy' 2>/dev/null && return 0
	done
	return 1
}
has_numpy || need="$need python3-numpy"
has_mpi() {
	command -v mpicc >/dev/null 2>&1 && command -v mpirun >/dev/null 2>&1
}
has_mpi || need="$need openmpi-bin libopenmpi-dev"
command -v strace >/dev/null 2>&1 || need="$need strace"
command -v mandoc >/dev/null 2>&1 || need="$need mandoc"
simde=/usr/include/simde/x86/avx512.h
[ "$(uname -m)" != x86_64 ] || [ -f $simde ] || need="$need libsimde-dev"
[ -z "$need" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "make check: installing $need"
	apt-get update -qq >/dev/null &&
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
fi
if ! pkg-config --exists check 2>/dev/null; then
	echo "make check: the Check unit-test library is missing; install it with:" >&2
	echo "    sudo apt-get install check pkg-config" >&2
	exit 1
fi
has_numpy || echo "make check: NumPy is missing (sudo apt-get install python3-numpy); its tests will be skipped" >&2
command -v mandoc >/dev/null 2>&1 || echo "make check: mandoc is missing (sudo apt-get install mandoc); the manual's tests will be skipped" >&2
has_mpi || echo "make check: Open MPI is missing (sudo apt-get install openmpi-bin libopenmpi-dev); the MPI tests will be skipped" >&2
[ "$(uname -m)" != x86_64 ] || [ -f $simde ] || echo "make check: SIMDe is missing (sudo apt-get install libsimde-dev); the emulated AVX-512 kernel tests will be skipped" >&2
exit 0
