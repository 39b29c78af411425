#!/bin/sh
# The source tree is the architecture: each folder of src/ is a layer, and
# a file includes only from its own layer and the layers below it. From the
# bottom: core (with core/kernels), codec, io, mpi, cli. Every quoted
# #include names its header from src/ ("core/gemm.h"), so the layer of
# both ends is the first part of a path.

# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"

SRC=$TESTS/../src

rank() {
	case $1 in
	core) echo 0 ;;
	codec) echo 1 ;;
	io) echo 2 ;;
	mpi) echo 3 ;;
	cli) echo 4 ;;
	*) echo 99 ;;
	esac
}

# violations DIR: the includes under DIR that point up, or to no layer.
violations() {
	for f in $(cd "$1" && find . -name '*.[ch]' | sed 's|^\./||' | sort); do
		rf=$(rank "${f%%/*}")
		if [ "$rf" = 99 ]; then
			echo "$f:not-in-a-layer"
			continue
		fi
		for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$1/$f"); do
			rt=$(rank "${inc%%/*}")
			if [ "${inc%%/*}" = "$inc" ] || [ "$rt" = 99 ]; then
				echo "$f:$inc(not-a-layer-path)"
			elif [ "$rt" -gt "$rf" ]; then
				echo "$f:$inc"
			fi
		done
	done
}

nfiles=$(find "$SRC" -name '*.[ch]' | wc -l)
bad=$(violations "$SRC" | tr '\n' ' ')
if [ -n "$bad" ]; then
	fail "includes point down the layers" "$bad"
elif [ "$nfiles" -lt 20 ]; then
	fail "includes point down the layers" "only $nfiles files found under $SRC"
else
	ok "includes point down the layers ($nfiles files)"
fi

# The check itself catches an include up the layers, and a file outside them.
mkdir -p fake/core fake/codec
printf '#include "core/matrix.h"\n#include "cli/cli.h"\n' >fake/core/x.c
printf '#include "core/matrix.h"\n' >fake/codec/y.c
printf '#include "matrix.h"\n' >fake/z.c
if [ "$(violations fake | tr '\n' ' ')" = "core/x.c:cli/cli.h z.c:not-in-a-layer " ]; then
	ok "an include up the layers, and a file outside them, are caught"
else
	fail "an include up the layers, and a file outside them, are caught" "$(violations fake | tr '\n' ' ')"
fi
