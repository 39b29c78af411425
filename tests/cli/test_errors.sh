#!/bin/sh
# shellcheck disable=SC2154 # $status is set by lib.sh's run
#
# Errors: usage errors exit 2, run-time errors exit 1, each with one line
# "pardot: NAME: what is wrong" on stderr; a failed run leaves no temporary
# file and leaves an existing output file byte for byte as it was.

LEAKS=1
# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"

# mknpy FILE MAJOR DICT NDATA [HLEN]: a .npy file written by hand, with
# NDATA zero bytes of data (see npyhead).
mknpy() {
	{ npyhead "$2" "$3" "$5"; head -c "$4" /dev/zero; } >"$1"
}

# d DESCR SHAPE [FORTRAN]: a header dict as NumPy writes it.
d() {
	echo "{'descr': $1, 'fortran_order': ${3:-False}, 'shape': $2, }"
}

# fails NAME PATTERN CMD...: CMD -o out.npy, where out.npy exists, must exit
# 1 with a one-line message matching PATTERN, leave out.npy unchanged and
# leave no temporary file. A hang is cut short by timeout (status 124).
fails() {
	fname=$1 fpat=$2
	shift 2
	cp keep.npy out.npy
	expect "$fname" 1 "$fpat" timeout 10 "$@" -o out.npy
	same_file "$fname: existing output unchanged" out.npy keep.npy
	no_temporaries "$fname: no temporaries left"
}

# usage NAME PATTERN ARGS...: pardot ARGS must exit 2 with the message.
usage() {
	uname_=$1 upat=$2
	shift 2
	expect "$uname_" 2 "$upat" timeout 10 "$PARDOT" "$@"
}

P=$PARDOT
if ! { "$P" gen 3x4 -o A.npy && "$P" gen 4x2 -o B.npy &&
    "$P" gen 5x2 -o B5.npy && "$P" gen 5 -o v5.npy &&
    "$P" gen 2x2 --seed 99 -o keep.npy; }; then
	fail "setup" "pardot gen failed"
	exit 1
fi
tail -c 96 A.npy >A.raw

# ---- usage errors: status 2 ----------------------------------------------

usage "no command" 'pardot --help'
usage "unknown command" '^pardot: frob: .*command' frob A.npy
usage "unknown top-level option" '^pardot: --frob: .*option' --frob
usage "mul: unknown long option" '^pardot: mul: .*--frob' mul --frob A.npy B.npy -o C.npy
usage "mul: unknown short option" '^pardot: mul: .*-x' mul -x A.npy B.npy -o C.npy
usage "mul: missing -o" '^pardot: mul: .*(-o|output)' mul A.npy B.npy
usage "mul: -o without a value" '^pardot: (-o|--output): ' mul A.npy B.npy -o
usage "mul: --output without a value" '^pardot: (-o|--output): ' mul A.npy B.npy --output
usage "mul: no inputs" '^pardot: mul: .*input' mul -o C.npy
usage "mul: one input" '^pardot: mul: .*input' mul A.npy -o C.npy
usage "mul: three inputs" '^pardot: mul: .*(too many|argument)' mul A.npy B.npy A.npy -o C.npy
for j in 0 -3 abc 99999999999999999999 '' 2.5 4x 4097; do
	usage "mul: -j '$j'" "^pardot: (-j|--jobs): .*'?$j'?" \
	    mul -j "$j" A.npy B.npy -o C.npy
done
usage "mul: --jobs=0" '^pardot: (-j|--jobs): .*0' mul --jobs=0 A.npy B.npy -o C.npy
usage "mul: -j without a value" '^pardot: (-j|--jobs): ' mul A.npy B.npy -o C.npy -j
for t in f16 int7 float complex256 F8 ''; do
	usage "mul: --dtype '$t'" "^pardot: --dtype: .*'$t'" \
	    mul --raw-a 3x4 --dtype "$t" A.raw B.npy -o C.npy
done
for s in 3xx4 x4 3x 3x4x -3x4 3X4 abc '' ' 3x4' 3x4.0 99999999999999999999x1; do
	usage "mul: --raw-a '$s'" "^pardot: --raw-a: .*'$s'" \
	    mul --raw-a "$s" --dtype f8 A.raw B.npy -o C.npy
done
usage "mul: --raw-b bad shape" "^pardot: --raw-b: .*'4by2'" \
    mul --raw-b 4by2 --dtype f8 A.npy B.npy -o C.npy
usage "mul: --dtype without --raw-a/--raw-b" '^pardot: (--dtype|mul): .*raw' \
    mul --dtype f8 A.npy B.npy -o C.npy
usage "mul: --raw-a without --dtype" '^pardot: (mul|--raw-a|--dtype): .*dtype' \
    mul --raw-a 3x4 A.raw B.npy -o C.npy
usage "mul: --format csv" "^pardot: --format: .*'csv'" \
    mul --format csv A.npy B.npy -o C.npy
usage "mul: --format NPY" "^pardot: --format: .*'NPY'" \
    mul --format NPY A.npy B.npy -o C.npy
usage "gen: no shape" '^pardot: gen: .*shape' gen -o G.npy
usage "gen: two shapes" '^pardot: gen: .*shape' gen 2x2 3x3 -o G.npy
for s in 3y3 3x x 2x2x abc 1e3; do
	usage "gen: shape '$s'" "^pardot: gen: .*'$s'" gen "$s" -o G.npy
done
usage "gen: shape -5 (read as an option)" '^pardot: gen: .*-5' gen -5 -o G.npy
usage "gen: missing -o" '^pardot: gen: .*(-o|output)' gen 2x2
usage "gen: --fill pi" "^pardot: --fill: .*'pi'" gen 2x2 --fill pi -o G.npy
usage "gen: --fill empty" "^pardot: --fill: .*''" gen 2x2 --fill '' -o G.npy
usage "gen: --dtype int7" "^pardot: --dtype: .*'int7'" gen 2x2 --dtype int7 -o G.npy
usage "gen: --seed -1" '^pardot: --seed: .*-1' gen 2x2 --seed -1 -o G.npy
usage "gen: --seed abc" '^pardot: --seed: .*abc' gen 2x2 --seed abc -o G.npy
usage "gen: --format csv" "^pardot: --format: .*'csv'" gen 2x2 --format csv -o G.npy
usage "gen: unknown option" '^pardot: gen: .*--frob' gen 2x2 --frob -o G.npy
usage "cmp: one file" '^pardot: cmp: .*files' cmp A.npy
usage "cmp: no file" '^pardot: cmp: .*files' cmp
usage "cmp: three files" '^pardot: cmp: .*files' cmp A.npy A.npy A.npy
usage "cmp: --rtol -1" '^pardot: --rtol: .*-1' cmp --rtol -1 A.npy A.npy
usage "cmp: --atol abc" '^pardot: --atol: .*abc' cmp --atol abc A.npy A.npy
usage "cmp: --rtol nan" '^pardot: --rtol: .*nan' cmp --rtol nan A.npy A.npy
usage "cmp: unknown option" '^pardot: cmp: .*--frob' cmp --frob A.npy A.npy
usage "info: no file" '^pardot: info: ' info
usage "info: unknown option" '^pardot: info: .*--frob' info --frob A.npy
usage "help: unknown command" '^pardot: frob: .*command' help frob
usage "help: two commands" '^pardot: help: ' help mul gen
if [ -e C.npy ] || [ -e G.npy ]; then fail "usage errors create no output" "C.npy or G.npy exists"; else ok "usage errors create no output"; fi
no_temporaries "usage errors leave no temporaries"

# A usage error leaves an existing output alone.
cp keep.npy out.npy
usage "mul: -j 0 with an existing output" '^pardot: (-j|--jobs): ' \
    mul -j 0 A.npy B.npy -o out.npy
same_file "mul: -j 0: existing output unchanged" out.npy keep.npy
usage "gen: --fill pi with an existing output" '^pardot: --fill: ' \
    gen 2x2 --fill pi -o out.npy
same_file "gen: --fill pi: existing output unchanged" out.npy keep.npy

# ---- run-time errors: status 1, existing output intact --------------------

mkdir adir
mkfifo fifo.npy
: >empty.npy
printf 'just some text, not a matrix\n' >notes.txt
mknpy ok1.npy 1 "$(d "'<f8'" '(3, 4)')" 96
mknpy ok2.npy 2 "$(d "'<f8'" '(3, 4)')" 96
mknpy ok3.npy 3 "$(d "'<f8'" '(3, 4)')" 96
mknpy trunc.npy 1 "$(d "'<f8'" '(3, 4)')" 50
mknpy nodata.npy 1 "$(d "'<f8'" '(3, 4)')" 0
printf '\223NUMPY\001\000' >trunc-prefix.npy
head -c 40 ok1.npy >trunc-header.npy
{ printf '\223NUMPX'; tail -c +7 ok1.npy; } >badmagic.npy
{ printf '\223NUMPY\004\000'; tail -c +9 ok1.npy; } >v4.npy
{ printf '\223NUMPY\001\001'; tail -c +9 ok1.npy; } >v11.npy
{ printf '\223NUMPY\000\000'; tail -c +9 ok1.npy; } >v0.npy
mknpy hlen-beyond.npy 1 "$(d "'<f8'" '(3, 4)')" 96 60000
mknpy hlen-beyond2.npy 2 "$(d "'<f8'" '(3, 4)')" 96 4000000000
# A stack is a good input now; 65 dimensions are more than NumPy allows.
mknpy 3d.npy 1 "$(d "'<f8'" "($(printf '1, %.0s' $(seq 65)))")" 8
mknpy 0d.npy 1 "$(d "'<f8'" '()')" 8
mknpy structured.npy 1 "$(d "[('a', '<f8'), ('b', '<i4')]" '(3, 4)')" 144
mknpy object.npy 1 "$(d "'|O'" '(3, 4)')" 96
mknpy complex.npy 1 "$(d "'<c16'" '(3, 4)')" 192
mknpy int8.npy 1 "$(d "'|i1'" '(3, 4)')" 12
mknpy float16.npy 1 "$(d "'<f2'" '(3, 4)')" 24
mknpy unicode.npy 1 "$(d "'<U3'" '(3, 4)')" 144
mknpy uint32.npy 1 "$(d "'<u4'" '(3, 4)')" 48
mknpy negdim.npy 1 "$(d "'<f8'" '(-3, 4)')" 96
mknpy bigdims.npy 1 "$(d "'<f8'" '(4294967296, 4294967296)')" 96
mknpy hugedim.npy 1 "$(d "'<f8'" '(99999999999999999999, 1)')" 96
mknpy noshape.npy 1 "{'descr': '<f8', 'fortran_order': False, }" 96
mknpy notdict.npy 1 "hello" 96
mknpy badorder.npy 1 "$(d "'<f8'" '(3, 4)' Maybe)" 96

# The hand-made files above are right except for what each case breaks.
for v in 1 2 3; do
	expect "hand-made v$v.0 header is accepted (control)" 0 '' \
	    "$P" mul ok$v.npy B.npy -o ok-out$v.npy
done

fails "missing input A" '^pardot: nothere\.npy: ' "$P" mul nothere.npy B.npy
fails "missing input B" '^pardot: nothere\.npy: ' "$P" mul A.npy nothere.npy
fails "input is a directory" '^pardot: adir: .*director' "$P" mul adir B.npy
fails "input is a FIFO (no hang)" '^pardot: fifo\.npy: ' "$P" mul fifo.npy B.npy
fails "input B is a FIFO (no hang)" '^pardot: fifo\.npy: ' "$P" mul A.npy fifo.npy
fails "input is an empty file" '^pardot: empty\.npy: .*empty' "$P" mul empty.npy B.npy
fails "text file without --raw-a" '^pardot: notes\.txt: .*npy' "$P" mul notes.txt B.npy
fails "truncated .npy: data short" '^pardot: trunc\.npy: .*(short|trunc)' "$P" mul trunc.npy B.npy
fails "truncated .npy: no data at all" '^pardot: nodata\.npy: ' "$P" mul nodata.npy B.npy
fails "truncated .npy: magic and version only" '^pardot: trunc-prefix\.npy: ' "$P" mul trunc-prefix.npy B.npy
fails "truncated .npy: half a header" '^pardot: trunc-header\.npy: ' "$P" mul trunc-header.npy B.npy
fails "hostile header: bad magic" '^pardot: badmagic\.npy: ' "$P" mul badmagic.npy B.npy
fails "hostile header: version 4.0" '^pardot: v4\.npy: .*version' "$P" mul v4.npy B.npy
fails "hostile header: version 1.1" '^pardot: v11\.npy: .*version' "$P" mul v11.npy B.npy
fails "hostile header: version 0.0" '^pardot: v0\.npy: .*version' "$P" mul v0.npy B.npy
fails "hostile header: v1 length beyond the file" '^pardot: hlen-beyond\.npy: .*header' "$P" mul hlen-beyond.npy B.npy
fails "hostile header: v2 length of 4e9" '^pardot: hlen-beyond2\.npy: .*header' "$P" mul hlen-beyond2.npy B.npy
fails "hostile header: 65 dimensions" '^pardot: 3d\.npy: .*64 dimensions' "$P" mul 3d.npy B.npy
fails "hostile header: 0-d array" '^pardot: 0d\.npy: .*(0-d|scalar|dimension)' "$P" mul 0d.npy B.npy
fails "hostile header: structured dtype" '^pardot: structured\.npy: .*structured' "$P" mul structured.npy B.npy
fails "hostile header: object dtype" '^pardot: object\.npy: .*object' "$P" mul object.npy B.npy
# Every numeric dtype multiplies (tests/cli/test_dtypes.sh checks values).
for t in complex int8 float16 uint32; do
	expect "hand-made $t header multiplies" 0 '' \
	    "$P" mul $t.npy B.npy -o $t-out.npy
done
fails "hostile header: unicode" '^pardot: unicode\.npy: ' "$P" mul unicode.npy B.npy
fails "hostile header: negative dimension" '^pardot: negdim\.npy: .*negative' "$P" mul negdim.npy B.npy
fails "hostile header: dims overflow 64 bits" '^pardot: bigdims\.npy: ' "$P" mul bigdims.npy B.npy
fails "hostile header: 20-digit dimension" '^pardot: hugedim\.npy: ' "$P" mul hugedim.npy B.npy
fails "hostile header: no shape key" '^pardot: noshape\.npy: .*shape' "$P" mul noshape.npy B.npy
fails "hostile header: not a dict" '^pardot: notdict\.npy: ' "$P" mul notdict.npy B.npy
fails "hostile header: fortran_order Maybe" '^pardot: badorder\.npy: .*fortran' "$P" mul badorder.npy B.npy
fails "inner dimensions differ (message names both shapes)" \
    '^pardot: mul: .*A\.npy.*3x4.*B5\.npy.*5x2' "$P" mul A.npy B5.npy
fails "inner dimensions differ after --transpose-b" \
    '^pardot: mul: .*3x4.*4x2' "$P" mul --transpose-b A.npy B.npy
fails "inner dimensions differ after --transpose-a" \
    '^pardot: mul: .*3x4.*4x2' "$P" mul --transpose-a A.npy B.npy
fails "inner dimensions differ, 1-D on the left" \
    '^pardot: mul: .*v5\.npy.*5.*B\.npy.*4x2' "$P" mul v5.npy B.npy
fails "raw size mismatch" '^pardot: A\.raw: .*(96|120)' \
    "$P" mul --raw-a 3x5 --dtype f8 A.raw B.npy
fails "raw size mismatch for the dtype" '^pardot: A\.raw: .*(96|48)' \
    "$P" mul --raw-a 3x4 --dtype f4 A.raw B.npy
fails "raw size mismatch, 1-D shape" '^pardot: A\.raw: ' \
    "$P" mul --raw-a 13 --dtype f8 A.raw B.npy
fails "raw shape too large" '^pardot: A\.raw: .*large' \
    "$P" mul --raw-a 4611686018427387904x4611686018427387904 --dtype f8 A.raw B.npy
fails "raw-b on a .npy file of another size" '^pardot: B\.npy: ' \
    "$P" mul --raw-b 4x2 --dtype f8 A.npy B.npy
fails "unknown PARDOT_ARCH" '^pardot: PARDOT_ARCH' \
    env PARDOT_ARCH=bogus "$P" mul A.npy B.npy
fails "gen: result too large" '^pardot: out\.npy: .*large' \
    "$P" gen 4611686018427387904x4
fails "gen: 2^62 x 2^62 int32 result too large" '^pardot: out\.npy: .*large' \
    "$P" gen 4611686018427387904x4611686018427387904 --dtype i4

# -o naming an input that the failed multiply could not use.
cp A.npy self.npy
expect "-o naming input A, inner dimensions differ" 1 '^pardot: mul: ' \
    "$P" mul self.npy self.npy -o self.npy
same_file "-o naming input A: input unchanged after the failure" self.npy A.npy
no_temporaries "-o naming input A: no temporaries left"

# ---- output errors ----------------------------------------------------------

expect "output directory missing" 1 '^pardot: nodir/C\.npy: .*nodir' \
    "$P" mul A.npy B.npy -o nodir/C.npy
if [ -e nodir ]; then fail "output directory missing: not created" "nodir exists"; else ok "output directory missing: not created"; fi
expect "gen: output directory missing" 1 '^pardot: nodir/G\.npy: ' \
    "$P" gen 2x2 -o nodir/G.npy
expect "output path is a directory" 1 '^pardot: adir: ' \
    "$P" mul A.npy B.npy -o adir
if [ -d adir ] && [ -z "$(ls -A adir)" ]; then
	ok "output path is a directory: left as it was"
else
	fail "output path is a directory: left as it was" "$(ls -lA adir)"
fi
expect "output path is a directory (trailing slash)" 1 '^pardot: adir/: ' \
    "$P" mul A.npy B.npy -o adir/
mkfifo ofifo
expect "output path is a FIFO (no hang)" 1 '^pardot: ofifo: ' \
    timeout 10 "$P" mul A.npy B.npy -o ofifo
if [ -p ofifo ]; then ok "output path is a FIFO: still a FIFO"; else fail "output path is a FIFO: still a FIFO" "replaced"; fi
no_temporaries "output errors leave no temporaries"

if [ "$(id -u)" = 0 ]; then
	echo "SKIP output directory not writable: running as root, which ignores permissions"
else
	mkdir ro
	cp keep.npy ro/out.npy
	chmod 555 ro
	expect "output directory not writable" 1 '^pardot: ro/out\.npy: ' \
	    "$P" mul A.npy B.npy -o ro/out.npy
	same_file "output directory not writable: existing output unchanged" ro/out.npy keep.npy
	left=$(find ro -name '.*.pardot-*')
	if [ -z "$left" ]; then ok "output directory not writable: no temporaries"; else fail "output directory not writable: no temporaries" "$left"; fi
	chmod 755 ro
fi

# ---- other commands' run-time errors --------------------------------------

expect "info: missing file" 1 '^pardot: nothere\.npy: ' "$P" info nothere.npy
expect "info: a good and a missing file" 1 '^pardot: nothere\.npy: ' \
    "$P" info A.npy nothere.npy
if grep -q '^A\.npy: shape 3x4' out; then ok "info: the good file is still described"; else fail "info: the good file is still described" "$(cat out)"; fi
expect "info: hostile header" 1 '^pardot: structured\.npy: .*structured' \
    "$P" info structured.npy
expect "info: FIFO (no hang)" 1 '^pardot: fifo\.npy: ' timeout 10 "$P" info fifo.npy
expect "cmp: missing file is trouble (2)" 2 '^pardot: nothere\.npy: ' \
    "$P" cmp A.npy nothere.npy
expect "cmp: text file is trouble (2)" 2 '^pardot: notes\.txt: ' \
    "$P" cmp notes.txt A.npy
expect "cmp: hostile header is trouble (2)" 2 '^pardot: negdim\.npy: ' \
    "$P" cmp A.npy negdim.npy

# ---- killed mid-run ----------------------------------------------------------
# A multiply killed by SIGTERM must not leave its temporary file or touch
# the existing output. The slow generic kernels make the run long enough.

"$P" gen 2000x2000 -o K1.npy && "$P" gen 2000x2000 -o K2.npy
cp keep.npy out.npy
PARDOT_ARCH=generic timeout -s TERM 1 "$P" mul -j 1 K1.npy K2.npy -o out.npy 2>err
st=$?
if [ "$st" = 0 ]; then
	echo "SKIP killed mid-run: the multiply finished within 1 s"
elif [ "$st" = 124 ] || [ "$st" = 143 ]; then
	ok "killed mid-run: terminated by SIGTERM"
	same_file "killed mid-run: existing output unchanged" out.npy keep.npy
	no_temporaries "killed mid-run: no temporaries left"
else
	fail "killed mid-run: terminated by SIGTERM" "status $st: $(cat err)"
fi
