#!/bin/sh
# shellcheck disable=SC2154 # $status is set by lib.sh's run
#
# What each command does when used right: gen, info, cmp, help, and mul
# on every layout, format, type, shape, thread count and kernel set.

# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"

P=$PARDOT

# npy_data FILE: the data bytes of a version 1.0 .npy file.
npy_data() {
	[ -f "$1" ] || return 1
	set -- "$1" "$(od -An -v -t u1 -j 8 -N 2 "$1")"
	# shellcheck disable=SC2086 # splits the two length bytes
	set -- "$1" $2
	tail -c +$((10 + $2 + 256 * $3 + 1)) "$1"
}

# vals FILE OD-TYPE: the elements of a .npy file as one line of numbers.
vals() {
	npy_data "$1" | od -An -v -t "$2" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//'
}

# is NAME GOT WANT: string equality.
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "got '$2', wanted '$3'"; fi
}

# has NAME REGEX [FILE]: the last run's stdout (or FILE) matches REGEX.
has() {
	if grep -Eq -- "$2" "${3:-out}"; then ok "$1"; else fail "$1" "no /$2/ in: $(head -c 300 "${3:-out}")"; fi
}

# differ NAME A B: the files' bytes differ.
differ() {
	if cmp -s "$2" "$3"; then fail "$1" "$2 and $3 are identical"; else ok "$1"; fi
}

# same NAME X Y [CMP-OPTIONS]: pardot cmp finds X and Y equal.
same() {
	sname=$1 sx=$2 sy=$3
	shift 3
	expect "$sname" 0 '' "$P" cmp "$@" "$sx" "$sy"
	if [ "$status" = 0 ] && [ -s out ]; then fail "$sname: silent" "$(cat out)"; fi
}

# gen/mul that must succeed silently (their failure is a test failure).
gen() { expect "gen $*" 0 '' "$P" gen "$@"; }
mul() { expect "mul $*" 0 '' "$P" mul "$@"; }
lmul() { mlabel=$1; shift; expect "$mlabel: mul $*" 0 '' "$P" mul "$@"; }

# ---- gen -------------------------------------------------------------------

for t in f8 f4 i8 i4; do
	gen 50x40 --dtype $t --seed 7 -o s7a-$t.npy
	gen 50x40 --dtype $t --seed 7 -o s7b-$t.npy
	gen 50x40 --dtype $t --seed 8 -o s8-$t.npy
	gen 50x40 --dtype $t -o sdef-$t.npy
	gen 50x40 --dtype $t --seed 1 -o s1-$t.npy
	same_file "gen $t: same seed, same bytes" s7a-$t.npy s7b-$t.npy
	differ "gen $t: another seed, other values" s7a-$t.npy s8-$t.npy
	same_file "gen $t: the default seed is 1" sdef-$t.npy s1-$t.npy
done
OMP_NUM_THREADS=1 "$P" gen 50x40 --seed 7 -o s7-1thread.npy
same_file "gen: same bytes on one thread" s7-1thread.npy s7a-f8.npy

# Every dtype name and alias.
for pair in float64:float64 f8:float64 f64:float64 float32:float32 f4:float32 \
    f32:float32 int64:int64 i8:int64 i64:int64 int32:int32 i4:int32 i32:int32; do
	dn=${pair%%:*} dw=${pair#*:}
	gen 2x3 --dtype "$dn" -o "dt-$dn.npy"
	expect "info of gen --dtype $dn" 0 '' "$P" info "dt-$dn.npy"
	has "gen --dtype $dn writes $dw" ", $dw, "
done

gen 3x3 --fill identity -o I3.npy
is "gen --fill identity f8" "$(vals I3.npy f8)" "1 0 0 0 1 0 0 0 1"
gen 3x3 --fill identity --dtype i4 -o I3-i4.npy
is "gen --fill identity i4" "$(vals I3-i4.npy d4)" "1 0 0 0 1 0 0 0 1"
gen 2x4 --fill identity --dtype i8 -o I24.npy
is "gen --fill identity, not square" "$(vals I24.npy d8)" "1 0 0 0 0 1 0 0"
gen 2x3 --fill arange -o ar.npy
is "gen --fill arange f8, row-major" "$(vals ar.npy f8)" "0 1 2 3 4 5"
gen 2x3 --fill arange --dtype f4 -o ar4.npy
is "gen --fill arange f4" "$(vals ar4.npy f4)" "0 1 2 3 4 5"
gen 7 --fill arange --dtype i8 -o ar7.npy
is "gen --fill arange, 1-D" "$(vals ar7.npy d8)" "0 1 2 3 4 5 6"
gen 2x3 --fill ones --dtype i4 -o ones-i4.npy
is "gen --fill ones i4" "$(vals ones-i4.npy d4)" "1 1 1 1 1 1"
gen 2x3 --fill zeros --dtype f4 -o zeros-f4.npy
is "gen --fill zeros f4" "$(vals zeros-f4.npy f4)" "0 0 0 0 0 0"
gen 2x3 --fill zeros -o zeros-f8.npy
gen 2x3 --fill ones -o ones-f8.npy
same "gen --fill ones f8 equals ones i4 (cmp)" ones-f8.npy ones-i4.npy
same "gen --fill zeros f8 equals zeros f4 (cmp)" zeros-f8.npy zeros-f4.npy
expect "gen --fill ones differs from zeros (cmp)" 1 '' "$P" cmp ones-f8.npy zeros-f8.npy
gen 2x3 --fill arange --format raw -o ar.raw
npy_data ar.npy >ar-data
same_file "gen --format raw is the .npy file's data" ar.raw ar-data
gen 0x4 -o empty-rows.npy
expect "gen 0x4: info" 0 '' "$P" info empty-rows.npy
has "gen 0x4: shape 0x4, no data" 'shape 0x4, .*data size 0 bytes'
is "gen 0x4: no data bytes" "$(npy_data empty-rows.npy | wc -c | tr -d ' ')" 0

py=$(find_numpy)
if [ -z "$py" ]; then
	echo "SKIP gen value ranges: python3-numpy not installed"
else
	for t in f8 f4 i8 i4; do gen 100x100 --dtype $t --seed 3 -o range-$t.npy; done
	"$py" - <<'EOF' || fail "gen value ranges" "python failed"
import numpy as np
for t in ("f8", "f4", "i8", "i4"):
    a = np.load("range-%s.npy" % t)
    name = "gen random %s values" % t
    if t[0] == "f":
        why = None if 0 <= a.min() and a.max() < 1 else "outside [0, 1)"
        why = why or (None if abs(a.mean() - 0.5) < 0.02 else "mean %g" % a.mean())
        why = why or (None if len(np.unique(a)) > 9000 else "few distinct values")
        name += " uniform in [0, 1)"
    else:
        counts = np.bincount(a.ravel().astype(np.int64), minlength=10)
        why = None if a.min() >= 0 and a.max() <= 9 else "outside [0, 10)"
        why = why or (None if counts.min() > 800 else "not uniform: %s" % counts)
        name += " uniform over 0..9"
    print("ok " + name if why is None else "FAIL %s: %s" % (name, why))
EOF
fi

# ---- info --------------------------------------------------------------------

expect "info data/A.npy" 0 '' "$P" info "$DATA/A.npy"
has "info: every field" "^$DATA/A\\.npy: shape 3x4, float64, little-endian, C order, npy 1\\.0, data offset 128, data size 96 bytes\$"
expect "info: several files" 0 '' "$P" info "$DATA/A.npy" "$DATA/B.npy" "$DATA/AB.npy"
is "info: one line per file" "$(wc -l <out | tr -d ' ')" 3
has "info: B's shape" 'B\.npy: shape 4x2,'
gen 7 --dtype i4 -o v7.npy
expect "info 1-D int32" 0 '' "$P" info v7.npy
has "info 1-D int32: fields" '^v7\.npy: shape 7, int32, little-endian, C order, npy 1\.0, data offset 128, data size 28 bytes$'
# A Fortran-order file of shape 4x3 holding A's bytes is A's transpose.
gen 3x4 --fill arange -o A34.npy
{ npyhead 1 "{'descr': '<f8', 'fortran_order': True, 'shape': (4, 3), }"; npy_data A34.npy; } >AT-fortran.npy
# [[1, 2], [3, 4]] as big-endian float64, in a version 2.0 file.
{
	npyhead 2 "{'descr': '>f8', 'fortran_order': False, 'shape': (2, 2), }"
	printf '\077\360\0\0\0\0\0\0\100\0\0\0\0\0\0\0\100\010\0\0\0\0\0\0\100\020\0\0\0\0\0\0'
} >big.npy
expect "info Fortran order" 0 '' "$P" info AT-fortran.npy
has "info Fortran order: fields" '^AT-fortran\.npy: shape 4x3, float64, little-endian, Fortran order, npy 1\.0, data offset 128, data size 96 bytes$'
expect "info big-endian v2.0" 0 '' "$P" info big.npy
has "info big-endian v2.0: fields" '^big\.npy: shape 2x2, float64, big-endian, C order, npy 2\.0, data offset 128, data size 32 bytes$'

# ---- cmp ---------------------------------------------------------------------

gen 2x2 --fill ones -o ones22.npy
mul ones22.npy ones22.npy -o twos22.npy
gen 3x3 --fill ones -o ones33.npy
same "cmp: a file with itself: 0, silent" s7a-f8.npy s7a-f8.npy
same "cmp: equal files: 0, silent" s7a-f8.npy s7b-f8.npy
expect "cmp: other seeds differ: 1" 1 '' "$P" cmp s7a-f8.npy s8-f8.npy
has "cmp: summary counts the differences" 'differ.* [0-9]+ of 2000 elements'
expect "cmp ones twos: 1" 1 '' "$P" cmp ones22.npy twos22.npy
has "cmp ones twos: 4 of 4 differ, first at [0, 0]" '4 of 4 .*\[0, 0\]'
has "cmp ones twos: largest absolute difference 1" 'absolute difference 1([^0-9.]|$)'
has "cmp ones twos: largest relative difference 0.5" 'relative difference 0\.5([^0-9]|$)'
is "cmp: the summary is one line" "$(wc -l <out | tr -d ' ')" 1
expect "cmp identity ones: 1" 1 '' "$P" cmp I3.npy ones33.npy
has "cmp identity ones: 6 of 9, first at [0, 1]" '6 of 9 .*\[0, 1\]'
expect "cmp 1-D: 1" 1 '' "$P" cmp ar7.npy v7.npy
has "cmp 1-D: first index has one coordinate" 'of 7 elements.*\[[0-9]+\]'
same "cmp --rtol 1: |1-2| <= 1*|1|" twos22.npy ones22.npy --rtol 1
expect "cmp --rtol 0.9: |1-2| > 0.9*|1|" 1 '' "$P" cmp --rtol 0.9 twos22.npy ones22.npy
same "cmp --rtol 0.5 is relative to the second file" ones22.npy twos22.npy --rtol 0.5
expect "cmp --rtol 0.49 relative to the second file" 1 '' "$P" cmp --rtol 0.49 ones22.npy twos22.npy
same "cmp --atol 1 accepts a difference of 1" I3.npy ones33.npy --atol 1 --rtol 0
expect "cmp --atol 0.5 refuses a difference of 1" 1 '' "$P" cmp --atol 0.5 --rtol 0 I3.npy ones33.npy
gen 50x40 --seed 7 --dtype f4 -o s7-f4.npy
same "cmp: f4 and f8 of one seed agree within the default rtol" s7-f4.npy s7a-f8.npy
expect "cmp --rtol 0 --atol 0: f4 rounding is a difference" 1 '' "$P" cmp --rtol 0 --atol 0 s7-f4.npy s7a-f8.npy
expect "cmp: shapes differ: 1" 1 '' "$P" cmp A34.npy AT-fortran.npy
has "cmp: shapes differ: names both shapes" '3x4.*4x3'
gen 1x7 --fill arange --dtype i8 -o ar17.npy
expect "cmp: shape 7 vs 1x7 differ" 1 '' "$P" cmp ar7.npy ar17.npy
# 2^53 and 2^53 + 1 are one double but two int64s.
{ npyhead 1 "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }"; printf '\0\0\0\0\0\0\040\0'; } >p53.npy
{ npyhead 1 "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }"; printf '\001\0\0\0\0\0\040\0'; } >p53p1.npy
expect "cmp: integers exactly (2^53 vs 2^53+1)" 1 '' "$P" cmp p53.npy p53p1.npy
mul --format npy ones-i4.npy I3-i4.npy -o ones23-i4.npy
gen 2x3 --fill zeros --dtype i8 -o zeros23-i8.npy
expect "cmp: integers ignore tolerances" 1 '' "$P" cmp --rtol 10 --atol 10 ones23-i4.npy zeros23-i8.npy
same "cmp: int and float of equal values" ones-i4.npy ones-f8.npy
same "cmp: Fortran order read as such" AT-fortran.npy AT-fortran.npy
mul --transpose-a A34.npy I3.npy -o AT-c.npy
same "cmp: Fortran file equals the C-order transpose" AT-fortran.npy AT-c.npy --rtol 0 --atol 0

# ---- help and version ------------------------------------------------------------

expect "--help: 0, nothing on stderr" 0 '' "$P" --help
for c in mul gen info cmp; do has "--help lists $c" "^ *(usage:)? *pardot $c "; done
has "--help mentions help CMD" 'pardot help'
expect "-h: 0" 0 '' "$P" -h
has "-h: usage" '^usage: pardot'
expect "help: 0" 0 '' "$P" help
has "help: usage" '^usage: pardot'
expect "--version: 0" 0 '' "$P" --version
has "--version: name and number" '^pardot [0-9]+\.[0-9]+'
for c in mul gen info cmp; do
	expect "help $c: 0" 0 '' "$P" help $c
	has "help $c: its usage" "^usage: pardot $c"
	cp out help-$c
	expect "$c --help: 0" 0 '' "$P" $c --help
	same_file "$c --help is help $c" out help-$c
	expect "$c -h: 0" 0 '' "$P" $c -h
done
for o in '-o, --output' '-j, --jobs' --transpose-a --transpose-b --raw-a --raw-b \
    --dtype --format '-v, --verbose'; do
	has "help mul lists $o" "$o" help-mul
done
for o in --output --dtype --seed --fill random zeros ones identity arange; do
	has "help gen lists $o" "$o" help-gen
done
has "help cmp lists --rtol" --rtol help-cmp
has "help cmp lists --atol" --atol help-cmp

# ---- mul: the samples and the design example ---------------------------------

mul "$DATA/A.npy" "$DATA/B.npy" -o AB.npy
same "mul data/A.npy data/B.npy equals data/AB.npy" AB.npy "$DATA/AB.npy" --rtol 1e-12
expect "mul -v reports on stderr" 0 '3x4 float64 x 4x2 float64 -> 3x2 float64' \
    "$P" mul -v "$DATA/A.npy" "$DATA/B.npy" -o ABv.npy
has "mul -v reports the kernel set" 'kernel .*(generic|avx2|avx512)' err
is "mul -v prints nothing on stdout" "$(wc -c <out | tr -d ' ')" 0
same_file "mul -v writes the same result" ABv.npy AB.npy
mul "$DATA/A.npy" "$DATA/B.npy" -o AB.out
same_file "mul: the output's extension does not matter" AB.out AB.npy

expect "design: pardot gen 2000x2000 -o A.bin" 0 '' "$P" gen 2000x2000 -o A.bin
expect "design: pardot gen 2000x2000 -o B.bin" 0 '' "$P" gen 2000x2000 -o B.bin
expect "design: pardot mul A.bin B.bin -o C.bin -j 4" 0 '' "$P" mul A.bin B.bin -o C.bin -j 4
expect "design: info C.bin" 0 '' "$P" info C.bin
has "design: C.bin is a 2000x2000 float64 .npy" '^C\.bin: shape 2000x2000, float64, little-endian, C order, npy 1\.0, data offset 128, data size 32000000 bytes$'
is "design: C.bin has no trailing bytes" "$(wc -c <C.bin | tr -d ' ')" 32000128
expect "design: pardot mul ... -j 1" 0 '' "$P" mul A.bin B.bin -o C1.bin -j 1
same_file "design: -j 4 and -j 1 give identical bytes" C.bin C1.bin
gen 2000x2000 --fill identity -o I2000.npy
mul A.bin I2000.npy -o AI.npy
same "design: A.bin times identity is A.bin exactly" AI.npy A.bin --rtol 0 --atol 0
no_temporaries "design: no temporaries left"

for t in f8 f4 i8 i4; do
	gen 300x257 --dtype $t --seed 11 -o J-a-$t.npy
	gen 257x301 --dtype $t --seed 12 -o J-b-$t.npy
	for j in 1 2 3 7; do
		mul -j $j J-a-$t.npy J-b-$t.npy -o J-c$j-$t.npy
	done
	for j in 2 3 7; do
		same_file "$t 300x257 x 257x301: -j $j same bytes as -j 1" J-c$j-$t.npy J-c1-$t.npy
	done
	OMP_NUM_THREADS=2 "$P" mul J-a-$t.npy J-b-$t.npy -o J-omp-$t.npy
	same_file "$t: OMP_NUM_THREADS=2 same bytes as -j 1" J-omp-$t.npy J-c1-$t.npy
done

# ---- mul: -o naming an input --------------------------------------------------

gen 6x5 --seed 21 -o OA.npy
gen 5x6 --seed 22 -o OB.npy
mul OA.npy OB.npy -o OC.npy
cp OA.npy self-a.npy
cp OB.npy self-b.npy
mul self-a.npy OB.npy -o self-a.npy
same_file "-o naming input A: the product replaces it" self-a.npy OC.npy
mul OA.npy self-b.npy -o self-b.npy
same_file "-o naming input B: the product replaces it" self-b.npy OC.npy
cp OA.npy sq.npy
gen 6x6 --seed 23 -o S6.npy
mul S6.npy S6.npy -o S6S6.npy
cp S6.npy sq.npy
mul sq.npy sq.npy -o sq.npy
same_file "-o naming both inputs" sq.npy S6S6.npy
no_temporaries "-o naming an input: no temporaries left"

# ---- mul: raw input and output -------------------------------------------------

for t in f8 f4 i8 i4; do
	gen 5x7 --dtype $t --seed 31 -o RA-$t.npy
	gen 7x3 --dtype $t --seed 32 -o RB-$t.npy
	npy_data RA-$t.npy >RA-$t.raw
	npy_data RB-$t.npy >RB-$t.raw
	mul RA-$t.npy RB-$t.npy -o RC-$t.npy
	npy_data RC-$t.npy >RC-$t.data
	mul --raw-a 5x7 --raw-b 7x3 --dtype $t RA-$t.raw RB-$t.raw -o RC-$t.npy2
	same_file "raw $t: --raw-a --raw-b gives the .npy result" RC-$t.npy2 RC-$t.npy
	mul --raw-a 5x7 --raw-b 7x3 --dtype $t --format raw RA-$t.raw RB-$t.raw -o RC-$t.raw
	same_file "raw $t: --format raw is the .npy result's data" RC-$t.raw RC-$t.data
	mul --raw-a 5x7 --dtype $t RA-$t.raw RB-$t.npy -o RC-a-$t.npy
	same_file "raw $t: raw A, .npy B" RC-a-$t.npy RC-$t.npy
	mul --raw-b 7x3 --dtype $t RA-$t.npy RB-$t.raw -o RC-b-$t.npy
	same_file "raw $t: .npy A, raw B" RC-b-$t.npy RC-$t.npy
	mul --format raw RA-$t.npy RB-$t.npy -o RC-f-$t.raw
	same_file "raw $t: --format raw from .npy inputs" RC-f-$t.raw RC-$t.data
done
mul --raw-a 5x7 --raw-b 7x3 --dtype float64 RA-f8.raw RB-f8.raw -o RC-long.npy
same_file "raw: --dtype float64 same as f8" RC-long.npy RC-f8.npy
mul --raw-a 5x7 --raw-b 7x3 --dtype f64 RA-f8.raw RB-f8.raw -o RC-f64.npy
same_file "raw: --dtype f64 same as f8" RC-f64.npy RC-f8.npy
gen 7 --seed 33 -o RV.npy
npy_data RV.npy >RV.raw
mul RA-f8.npy RV.npy -o RAV.npy
mul --raw-b 7 --dtype f8 RA-f8.npy RV.raw -o RAV2.npy
same_file "raw: 1-D shape N for --raw-b" RAV2.npy RAV.npy
cp RA-f8.raw RA.npy
mul --raw-a 5x7 --dtype f8 RA.npy RB-f8.npy -o RC-ext.npy
same_file "raw: a raw file named .npy is read as raw with --raw-a" RC-ext.npy RC-f8.npy
cp RA-f8.npy npy-as.bin
mul npy-as.bin RB-f8.npy -o RC-bin.npy
same_file ".npy data in a .bin file is read as .npy (magic, not extension)" RC-bin.npy RC-f8.npy

# Integer overflow wraps around as NumPy's does (two's complement).
printf '\005\265\0\0' >i4one.raw
printf '\005\265\0\0\005\265\0\0\005\265\0\0' >i4three.raw
printf '\064\363\004\265\0\0\0\0' >i8one.raw
printf '\064\363\004\265\0\0\0\0\064\363\004\265\0\0\0\0\064\363\004\265\0\0\0\0' >i8three.raw
for arch in "" generic avx2 avx512 avx512vnni; do
	if [ -n "$arch" ] && ! PARDOT_ARCH=$arch "$P" --version | grep -q "kernels: $arch\$"; then
		continue
	fi
	label=${arch:-default}
	if [ -n "$arch" ]; then export PARDOT_ARCH="$arch"; else unset PARDOT_ARCH; fi
	lmul "$label" --raw-a 1x1 --raw-b 1x1 --dtype i4 --format raw i4one.raw i4one.raw -o "ov1-$label.raw"
	is "int32 46341*46341 wraps ($label kernels)" "$(od -An -t d4 "ov1-$label.raw" | tr -d ' ')" -2147479015
	lmul "$label" --raw-a 1x3 --raw-b 3x1 --dtype i4 --format raw i4three.raw i4three.raw -o "ov3-$label.raw"
	is "int32 sum of 3 overflowing products wraps ($label kernels)" "$(od -An -t d4 "ov3-$label.raw" | tr -d ' ')" -2147469749
	lmul "$label" --raw-a 1x1 --raw-b 1x1 --dtype i8 --format raw i8one.raw i8one.raw -o "ov1-$label.raw"
	is "int64 3037000500^2 wraps ($label kernels)" "$(od -An -t d8 "ov1-$label.raw" | tr -d ' ')" -9223372036709301616
	lmul "$label" --raw-a 1x3 --raw-b 3x1 --dtype i8 --format raw i8three.raw i8three.raw -o "ov3-$label.raw"
	is "int64 sum of 3 overflowing products wraps ($label kernels)" "$(od -An -t d8 "ov3-$label.raw" | tr -d ' ')" -9223372036418353232
	unset PARDOT_ARCH
done

# ---- mul: layouts and transposes -------------------------------------------------

gen 3x4 --seed 41 -o TA.npy
gen 4x2 --seed 42 -o TB.npy
mul TA.npy TB.npy -o TC.npy
mul --transpose-a A34.npy I3.npy -o A34T.npy
is "--transpose-a: arange 3x4 transposed" "$(vals A34T.npy f8)" "0 4 8 1 5 9 2 6 10 3 7 11"
expect "--transpose-a: shape" 0 '' "$P" info A34T.npy
has "--transpose-a: result is 4x3" 'shape 4x3,'
gen 4x4 --fill identity -o I4.npy
gen 2x2 --fill identity -o I2.npy
mul --transpose-a TA.npy I3.npy -o TAt.npy
mul --transpose-a TB.npy I4.npy -o TBt.npy
mul I4.npy --transpose-b A34.npy -o A34T-b.npy
same_file "--transpose-b: I x A^T is A^T" A34T-b.npy A34T.npy
mul --transpose-a TAt.npy TB.npy -o TC-a.npy
same "--transpose-a of A^T gives A.B" TC-a.npy TC.npy
mul --transpose-b TA.npy TBt.npy -o TC-b.npy
same "--transpose-b of B^T gives A.B" TC-b.npy TC.npy
mul --transpose-a --transpose-b TAt.npy TBt.npy -o TC-ab.npy
same "--transpose-a --transpose-b gives A.B" TC-ab.npy TC.npy
mul --transpose-b --transpose-a TB.npy TA.npy -o TCt.npy
mul --transpose-a TCt.npy I2.npy -o TCtt.npy
same "(B^T A^T)^T is A.B" TCtt.npy TC.npy
mul --transpose-a AT-fortran.npy TB.npy -o TF.npy
mul A34.npy TB.npy -o TF-ref.npy
same "Fortran-order input with --transpose-a" TF.npy TF-ref.npy
mul AT-fortran.npy I3.npy -o ATF-I.npy
same_file "Fortran-order input is read in Fortran order" ATF-I.npy A34T.npy
mul big.npy big.npy -o big2.npy
is "big-endian input: [[1,2],[3,4]] squared" "$(vals big2.npy f8)" "7 10 15 22"
expect "big-endian input: result is little-endian" 0 '' "$P" info big2.npy
has "big-endian input: result header" 'shape 2x2, float64, little-endian, C order, npy 1\.0'

# ---- mul: 1-D operands -------------------------------------------------------------

gen 4 --fill arange -o v4.npy
mul v4.npy A34T.npy -o vA.npy
expect "1-D left operand: info" 0 '' "$P" info vA.npy
has "1-D left operand is a row; result 1-D" '^vA\.npy: shape 3, '
is "1-D left operand: values" "$(vals vA.npy f8)" "14 38 62"
mul A34.npy v4.npy -o Av.npy
expect "1-D right operand: info" 0 '' "$P" info Av.npy
has "1-D right operand is a column; result 1-D" '^Av\.npy: shape 3, '
is "1-D right operand: values" "$(vals Av.npy f8)" "14 38 62"
mul --transpose-b A34.npy v4.npy -o Av-t.npy
same_file "transposing a 1-D operand changes nothing" Av-t.npy Av.npy
expect "1-D x 1-D: status 0" 0 '' "$P" mul v4.npy v4.npy -o vv.npy
head -c 128 vv.npy | tail -c +11 >vv-header
has "1-D x 1-D: a .npy header" '^\{.*\}' vv-header
has "1-D x 1-D: 0-d float64 scalar" "'descr': '<f8', 'fortran_order': False, 'shape': \\(\\)" vv-header
is "1-D x 1-D: file size" "$(wc -c <vv.npy | tr -d ' ')" 136
is "1-D x 1-D: value 0+1+4+9" "$(vals vv.npy f8)" "14"

# ---- mul: mixed dtypes -------------------------------------------------------------

gen 4x2 --fill arange -o ar42-f8.npy
gen 3x4 --fill ones -o ones34-f8.npy
mul ones34-f8.npy ar42-f8.npy -o mixref.npy
for ta in f8 f4 i8 i4; do
	gen 3x4 --fill ones --dtype $ta -o mx-a-$ta.npy
	for tb in f8 f4 i8 i4; do
		gen 4x2 --fill arange --dtype $tb -o mx-b-$tb.npy
		case $ta$tb in
		f8*|*f8|i8f4|f4i8|i4f4|f4i4) wdt=float64 ;;
		f4f4) wdt=float32 ;;
		i4i4) wdt=int32 ;;
		*) wdt=int64 ;;
		esac
		mul mx-a-$ta.npy mx-b-$tb.npy -o mx-$ta$tb.npy
		expect "mixed $ta x $tb: info" 0 '' "$P" info mx-$ta$tb.npy
		has "mixed $ta x $tb gives $wdt" ", $wdt, little-endian, C order"
		same "mixed $ta x $tb: values" mx-$ta$tb.npy mixref.npy --rtol 0 --atol 0
	done
done

# ---- mul: zero-sized shapes ------------------------------------------------------------

gen 0x5 -o z05.npy
gen 5x3 -o z53.npy
mul z05.npy z53.npy -o z03.npy
expect "0x5 x 5x3: info" 0 '' "$P" info z03.npy
has "0x5 x 5x3 is 0x3 with no data" '^z03\.npy: shape 0x3, float64, .*data size 0 bytes$'
is "0x5 x 5x3: header only" "$(wc -c <z03.npy | tr -d ' ')" 128
gen 4x0 -o z40.npy
gen 0x3 -o z03b.npy
gen 4x3 --fill zeros -o zeros43.npy
gen 4x3 --fill ones -o zk.npy
mul z40.npy z03b.npy -o zk.npy
same "4x0 x 0x3 is 4x3 zeros (over an existing file of ones)" zk.npy zeros43.npy --rtol 0 --atol 0
expect "4x0 x 0x3: info" 0 '' "$P" info zk.npy
has "4x0 x 0x3: shape 4x3" 'shape 4x3, float64'
for t in i4 i8 f4; do
	gen 4x0 --dtype $t -o z40-$t.npy
	gen 0x3 --dtype $t -o z03-$t.npy
	mul z40-$t.npy z03-$t.npy -o zk-$t.npy
	same "4x0 x 0x3 $t is zeros" zk-$t.npy zeros43.npy --rtol 0 --atol 0
done
gen 5x0 -o z50.npy
mul --transpose-a z53.npy z50.npy -o z30.npy
expect "3x5 x 5x0: info" 0 '' "$P" info z30.npy
has "5x3^T x 5x0 is 3x0" 'shape 3x0,'
gen 0x0 -o z00.npy
mul z00.npy z00.npy -o z00c.npy
expect "0x0 x 0x0: info" 0 '' "$P" info z00c.npy
has "0x0 x 0x0 is 0x0" 'shape 0x0,'
gen 0 -o z0.npy
mul z0.npy z05.npy -o z0r.npy
expect "1-D 0 x 0x5: info" 0 '' "$P" info z0r.npy
has "1-D 0 x 0x5 is 1-D 5" 'shape 5,'
is "1-D 0 x 0x5 is zeros" "$(vals z0r.npy f8)" "0 0 0 0 0"

# ---- kernel sets ----------------------------------------------------------------------

# i1 and u2: the 8- and 16-bit results of the pair kernels.
for t in f8 f4 i8 i4 i1 u2; do
	gen 200x300 --dtype $t --seed 51 -o K-a-$t.npy
	gen 300x150 --dtype $t --seed 52 -o K-b-$t.npy
	PARDOT_ARCH=generic mul K-a-$t.npy K-b-$t.npy -o K-generic-$t.npy
done
for arch in generic avx2 avx512 avx512vnni; do
	expect "PARDOT_ARCH=$arch --version: 0" 0 '' env PARDOT_ARCH=$arch "$P" --version
	if ! grep -q "^kernels: $arch\$" out; then
		echo "SKIP kernel set $arch: $(sed -n 's/^kernels: //p' out)"
		continue
	fi
	for t in f8 f4 i8 i4 i1 u2; do
		expect "PARDOT_ARCH=$arch mul -v $t: -v names the kernel set" 0 "kernel .*\\($arch\\)" \
		    env PARDOT_ARCH=$arch "$P" mul -v -j 2 K-a-$t.npy K-b-$t.npy -o K-$arch-$t.npy
		case $t in
		i* | u*) same_file "$arch $t: same as generic, exactly" K-$arch-$t.npy K-generic-$t.npy ;;
		f4) same "$arch $t: within 1e-4 of generic" K-$arch-$t.npy K-generic-$t.npy --rtol 1e-4 ;;
		f8) same "$arch $t: within 1e-10 of generic" K-$arch-$t.npy K-generic-$t.npy --rtol 1e-10 ;;
		esac
		PARDOT_ARCH=$arch mul -j 3 K-a-$t.npy K-b-$t.npy -o K-$arch-$t-j3.npy
		same_file "$arch $t: -j 3 same bytes as -j 2" K-$arch-$t-j3.npy K-$arch-$t.npy
	done
	PARDOT_ARCH=$arch mul "$DATA/A.npy" "$DATA/B.npy" -o AB-$arch.npy
	same "$arch: data/A x data/B equals data/AB" AB-$arch.npy "$DATA/AB.npy" --rtol 1e-12
done
expect "PARDOT_ARCH=bogus --version names the problem" 0 '' env PARDOT_ARCH=bogus "$P" --version
has "PARDOT_ARCH=bogus --version: says unknown" '^kernels: .*unknown'
no_temporaries "no temporaries left after all runs"
