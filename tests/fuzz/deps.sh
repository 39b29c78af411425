#!/bin/sh
# Run by 'make fuzz' before it builds: the fuzz targets need clang with
# libFuzzer, the sanitizer runtimes and OpenMP (libomp). As root with apt-get, what is
# missing is installed (clang, then the runtime package of its version,
# libclang-rt-N-dev, where that is a package of its own); otherwise this
# prints what to install.
cc=${1:-clang}

# The option target links src/cli/cli.c, which sets OpenMP's thread count.
probe() {
	printf '#include <omp.h>\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ omp_set_num_threads(1); return d == 0 && n == 1; }\n' |
	    "$cc" -fsanitize=fuzzer,address,undefined -fopenmp -x c -o /dev/null - 2>/dev/null
}

install() {
	echo "make fuzz: installing $*"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

probe && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	apt-get update -qq >/dev/null
	command -v "$cc" >/dev/null 2>&1 || install clang
	probe && exit 0
	major=$("$cc" -dumpversion 2>/dev/null | cut -d. -f1)
	[ -n "$major" ] && install "libclang-rt-$major-dev"
	probe && exit 0
	install libomp-dev
	probe && exit 0
fi
echo "make fuzz: $cc cannot build a libFuzzer target; install clang and its" >&2
echo "runtime, on Debian 12:" >&2
echo "    sudo apt-get install clang libclang-rt-14-dev libomp-dev" >&2
exit 1
