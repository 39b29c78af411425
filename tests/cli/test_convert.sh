#!/bin/sh
# shellcheck disable=SC2154 # $status is set by lib.sh's run
#
# pardot convert: round trips between .npy, raw, CSV and Matrix Market for
# every dtype, what each text format looks like, the type each input gives,
# errors that name FILE:LINE and leave the target alone, and NumPy's
# savetxt and loadtxt on the other side when NumPy is installed.

# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"

P=$PARDOT

# conv ARGS...: pardot convert ARGS must succeed silently.
conv() { expect "convert $*" 0 '' "$P" convert "$@"; }

# bad NAME STATUS PATTERN ARGS...: convert ARGS -o out.npy (or the -o in
# ARGS) fails with one message; out.npy, which exists, is left unchanged.
bad() {
	bname=$1 bstatus=$2 bpat=$3
	shift 3
	cp keep.npy out.npy
	expect "$bname" "$bstatus" "$bpat" timeout 10 "$P" convert "$@"
	same_file "$bname: existing output unchanged" out.npy keep.npy
}

# dtype_of FILE: the dtype that pardot info reports.
dtype_of() {
	"$P" info "$1" | sed -n 's/^[^:]*: shape [^,]*, \([a-z0-9]*\),.*/\1/p'
}

# shape_of FILE: the shape that pardot info reports.
shape_of() {
	"$P" info "$1" | sed -n 's/^[^:]*: shape \([^,]*\),.*/\1/p'
}

if ! "$P" gen 2x2 --seed 99 -o keep.npy; then
	fail "setup" "pardot gen failed"
	exit 1
fi

# ---- round trips: every dtype, every format --------------------------------

for t in f8 f4 i8 i4; do
	"$P" gen 7x5 --dtype $t --seed 3 --range -1000:1000 -o rt-$t.npy
	for fmt in csv mtx; do
		conv rt-$t.npy -o rt-$t.$fmt
		conv rt-$t.$fmt --dtype $t -o rt-$t-$fmt.npy
		same_file "$t npy -> $fmt -> npy: bitwise" rt-$t-$fmt.npy rt-$t.npy
	done
	conv rt-$t.npy -o rt-$t.raw
	npy_data rt-$t.npy >rt-$t.data
	same_file "$t npy -> raw: the .npy file's data" rt-$t.raw rt-$t.data
	conv --raw 7x5 --dtype $t rt-$t.raw -o rt-$t-raw.npy
	same_file "$t raw -> npy: bitwise" rt-$t-raw.npy rt-$t.npy
	conv rt-$t.npy -o rt-$t-npy.npy
	same_file "$t npy -> npy: unchanged" rt-$t-npy.npy rt-$t.npy
done
for fmt in csv mtx; do
	"$P" gen 6x4 --seed 5 --fill normal -o g.npy
	conv g.npy --fmt %.17g -o g17.$fmt
	conv g17.$fmt -o g17-$fmt.npy
	same_file "f8 npy -> $fmt with %.17g -> npy: bitwise" g17-$fmt.npy g.npy
	"$P" gen 6x4 --seed 5 --dtype i8 --range -9223372036854775808:9223372036854775807 -o big.npy
	conv big.npy -o big.$fmt
	conv big.$fmt -o big-$fmt.npy
	same_file "int64 extremes through $fmt: bitwise, int64 by default" big-$fmt.npy big.npy
done

# Special values: signed zeros, infinities, NaN, the smallest subnormal.
printf '%s\n' '-0,inf,-inf' 'nan,5e-324,1.7976931348623157e308' >special.csv
conv special.csv -o special.npy
conv special.npy -o special2.csv
conv special2.csv -o special2.npy
same_file "special values: csv -> npy -> csv -> npy is stable" special2.npy special.npy
conv special.npy -o special.mtx
conv special.mtx -o special3.npy
same_file "special values through mtx" special3.npy special.npy
is "special values: -0 keeps its sign" "$(npy_data special.npy | head -c 8 | od -An -t x1 | tr -d ' ')" 0000000000000080

# Layouts: a Fortran-order, big-endian file comes out C order, little-endian.
"$P" gen 3x4 --fill arange -o A34.npy
{ npyhead 1 "{'descr': '<f8', 'fortran_order': True, 'shape': (4, 3), }"; npy_data A34.npy; } >AT.npy
conv AT.npy -o AT.csv
is "Fortran order is read as such" "$(head -n 2 AT.csv | cut -c 1-5 | tr '\n' ' ')" "0.000 1.000 "
conv AT.npy --to mtx -o - --fmt %g
is "Fortran order to mtx, column after column" "$(sed -n '3,6p' out | tr '\n' ' ')" "0 1 2 3 "
{
	npyhead 2 "{'descr': '>i4', 'fortran_order': False, 'shape': (2, 2), }"
	printf '\0\0\0\001\0\0\0\002\0\0\0\003\377\377\377\374'
} >big-i4.npy
conv big-i4.npy -o -
is "big-endian int32 to csv" "$(tr '\n' ' ' <out)" "1,2 3,-4 "
conv big-i4.npy -o le-i4.npy
expect "big-endian input: info of the result" 0 '' "$P" info le-i4.npy
has "big-endian input: the result is little-endian int32, npy 1.0" ', int32, little-endian, C order, npy 1\.0'

# ---- what the text looks like ---------------------------------------------------

"$P" gen 2x3 --fill arange -o ar.npy
conv ar.npy -o ar.csv
is "csv: savetxt's %.18e, commas" "$(head -n 1 ar.csv)" \
    "0.000000000000000000e+00,1.000000000000000000e+00,2.000000000000000000e+00"
is "csv: one line per row" "$(wc -l <ar.csv | tr -d ' ')" 2
"$P" gen 2x3 --fill arange --dtype i4 -o ar-i4.npy
conv ar-i4.npy -o ar-i4.tsv
is ".tsv: integers as integers, tabs" "$(cat ar-i4.tsv)" "$(printf '0\t1\t2\n3\t4\t5')"
conv ar-i4.npy -o ar-i4.txt
is ".txt: spaces, as savetxt's default" "$(cat ar-i4.txt)" "$(printf '0 1 2\n3 4 5')"
conv ar-i4.npy --delimiter ';' -o ar-semi.csv
is "--delimiter ';'" "$(head -n 1 ar-semi.csv)" "0;1;2"
conv ar-i4.npy --delimiter '\t' -o ar-tab.csv
same_file "--delimiter '\\t' is a tab" ar-tab.csv ar-i4.tsv
conv ar.npy --fmt '%.3f' -o ar3.csv
is "--fmt %.3f" "$(tail -n 1 ar3.csv)" "3.000,4.000,5.000"
conv ar-i4.npy -o ar-i4.mtx
is "mtx: array integer general, size, values by column" "$(tr '\n' ' ' <ar-i4.mtx)" \
    "%%MatrixMarket matrix array integer general 2 3 0 3 1 4 2 5 "
conv ar.npy -o ar.mtx
has "mtx: real for floats" '^%%MatrixMarket matrix array real general$' ar.mtx
conv ar.npy --to csv -o -
same_file "-o -: csv on standard output" out ar.csv
conv ar.npy --to npy -o - --dtype f8
same_file "-o - --to npy: the .npy bytes through a pipe" out ar.npy
conv ar.npy -o -
same_file "-o - without --to is csv" out ar.csv
conv ar.npy -o AR.CSV
same_file "extensions in any case" AR.CSV ar.csv
conv ar.npy --to csv -o ar.data
same_file "--to for a name without a known extension" ar.data ar.csv
conv ar.npy --to mtx -o ar-to.csv
same_file "--to wins over the extension" ar-to.csv ar.mtx

"$P" gen 4 --fill arange --dtype i8 -o v4.npy
conv v4.npy -o v4.csv
is "1-D to csv: a column, as savetxt writes it" "$(tr '\n' ' ' <v4.csv)" "0 1 2 3 "
conv v4.csv -o v4b.npy
is "1-D: text reads back as a 4x1 matrix" "$(shape_of v4b.npy)" 4x1
"$P" mul v4.npy v4.npy -o vv.npy
conv vv.npy -o vv.csv
is "0-d to csv: one value" "$(cat vv.csv)" 14

# ---- the types text gives -------------------------------------------------------

printf '1,2\n3,4\n' >ints.csv
conv ints.csv -o ints.npy
is "csv of integers gives int64" "$(dtype_of ints.npy)" int64
printf '1,2\n3,4.5\n' >floats.csv
conv floats.csv -o floats.npy
is "csv with one float gives float64" "$(dtype_of floats.npy)" float64
conv ar.csv -o ar-back.npy
is "csv of savetxt's floats gives float64" "$(dtype_of ar-back.npy)" float64
conv ints.csv --dtype f4 -o ints-f4.npy
is "--dtype float32 from csv" "$(dtype_of ints-f4.npy)" float32
conv floats.csv --dtype f4 -o floats-f4.npy
conv floats-f4.npy -o -
is "--dtype f4 values" "$(tr '\n' ' ' <out)" "1.000000000000000000e+00,2.000000000000000000e+00 3.000000000000000000e+00,4.500000000000000000e+00 "
conv ar.csv --dtype i4 -o ar-csv-i4.npy
same_file "floats that are whole numbers convert to int32" ar-csv-i4.npy ar-i4.npy

# ---- input formats: by content, or as told --------------------------------------

printf '# a comment\n1 2  3\n\n4\t5 6 # trailing\n' >ws.dat
conv ws.dat -o ws.npy
is "blank-separated text with comments" "$(shape_of ws.npy)" 2x3
printf '1,2\r\n3,4\r\n' >crlf.csv
conv crlf.csv -o crlf.npy
same_file "CRLF line ends" crlf.npy ints.npy
printf '1;2\n3;4\n' >semi.txt
conv semi.txt --delimiter ';' -o semi.npy
same_file "--delimiter reading" semi.npy ints.npy
cp ints.csv ints.mtx
conv ints.mtx -o ints-named-mtx.npy
same_file "the content decides, not the name (.mtx holding csv)" ints-named-mtx.npy ints.npy
cp ar.npy ar-npy.csv
conv ar-npy.csv -o ar-npy.npy
same_file "a .npy file named .csv is read as .npy" ar-npy.npy ar.npy
conv --from csv ints.csv -o ints-from.npy
same_file "--from csv" ints-from.npy ints.npy
conv --from npy ar.npy -o ar-from.npy
same_file "--from npy" ar-from.npy ar.npy
"$P" gen 2x3 --fill arange --format raw -o ar.raw
conv --from raw --raw 2x3 --dtype f8 ar.raw -o ar-from-raw.npy
same_file "--from raw --raw --dtype" ar-from-raw.npy ar.npy
conv --raw 6 --dtype f8 ar.raw -o ar6.npy
is "--raw N: a vector" "$(shape_of ar6.npy)" 6

# Matrix Market files written by hand, as SciPy's mmwrite and the public
# collections write them.
cat >sym.mtx <<'EOF'
%%MatrixMarket matrix coordinate real symmetric
% a comment
%
3 3 5
1 1 2.5
2 1 -1
3 2 4
3 3 1e1
3 2 0.5
EOF
conv sym.mtx --fmt %g -o sym.csv
is "coordinate symmetric: mirrored, duplicates summed, zeros elsewhere" \
    "$(tr '\n' ' ' <sym.csv)" "2.5,-1,0 -1,0,4.5 0,4.5,10 "
cat >skew.mtx <<'EOF'
%%MatrixMarket matrix array integer skew-symmetric
3 3
1
2
3
EOF
conv skew.mtx -o skew.csv
is "array skew-symmetric integer" "$(tr '\n' ' ' <skew.csv)" "0,-1,-2 1,0,-3 2,3,0 "
conv skew.mtx -o skew.npy
is "integer field gives int64" "$(dtype_of skew.npy)" int64
printf '%s\n' '%%MatrixMarket matrix coordinate pattern general' '2 3 2' '1 3' '2 1' >pat.mtx
conv pat.mtx -o pat.csv --fmt %g
is "pattern: ones where listed" "$(tr '\n' ' ' <pat.csv)" "0,0,1 1,0,0 "
conv pat.mtx -o pat.npy
is "pattern gives float64, as SciPy's mmread" "$(dtype_of pat.npy)" float64
printf '%s\n' '%%MatrixMarket matrix array real general' '2 2' '1' '2' '3' '4' >gen.mtx
conv gen.mtx --fmt %g -o gen.csv
is "array general: column after column" "$(tr '\n' ' ' <gen.csv)" "1,3 2,4 "
conv --from mtx gen.mtx -o gen-from.npy
conv gen.mtx -o gen.npy
same_file "--from mtx" gen-from.npy gen.npy

# ---- errors ----------------------------------------------------------------------

printf '1,2\n3,x\n' >badnum.csv
bad "bad number: FILE:LINE" 1 "^pardot: badnum\\.csv:2: 'x' is not a number" badnum.csv -o out.npy
printf '1,2\n3,4\n5,6,7\n' >ragged.csv
bad "ragged rows: FILE:LINE" 1 '^pardot: ragged\.csv:3: 3 values, but line 1 has 2$' ragged.csv -o out.npy
printf '1,,2\n' >empty-field.csv
bad "empty field: FILE:LINE" 1 '^pardot: empty-field\.csv:1: empty field in column 2$' empty-field.csv -o out.npy
printf '# nothing\n' >nothing.csv
bad "no numbers" 1 '^pardot: nothing\.csv: holds no numbers$' nothing.csv -o out.npy
: >empty.csv
bad "empty file" 1 '^pardot: empty\.csv: file is empty$' empty.csv -o out.npy
bad "missing input" 1 '^pardot: nosuch\.csv: No such file' nosuch.csv -o out.npy
mkdir adir
bad "a directory as input" 1 '^pardot: adir: is a directory' adir -o out.npy
head -c 100 /dev/urandom >noise.bin
printf '\0' >>noise.bin
bad "binary noise" 1 '^pardot: noise\.bin:[0-9]+: ' noise.bin -o out.npy
printf '%s\n' '%%MatrixMarket matrix coordinate pattern hermitian' '1 1 1' '1 1' >pherm.mtx
bad "hermitian pattern Matrix Market refused" 1 '^pardot: pherm\.mtx:1: a hermitian matrix must have the field complex' pherm.mtx -o out.npy
printf '%s\n' '%%MatrixMarket matrix coordinate real general' '2 2 1' '3 1 1' >oob.mtx
bad "Matrix Market index out of range: FILE:LINE" 1 '^pardot: oob\.mtx:3: row 3 is out of range \(1 to 2\)$' oob.mtx -o out.npy
printf '%s\n' '%%MatrixMarket matrix array real general' '2 2' '1' '2' '3' >short.mtx
bad "Matrix Market too few entries" 1 '^pardot: short\.mtx:5: the file ends after 3 of its 4 entries$' short.mtx -o out.npy
bad "--from mtx on csv" 1 '^pardot: ints\.csv:1: no .%%MatrixMarket. banner' --from mtx ints.csv -o out.npy
bad "--from npy on csv" 1 '^pardot: ints\.csv: text such as CSV, not a \.npy file' --from npy ints.csv -o out.npy
bad "raw size mismatch" 1 '^pardot: ar\.raw: file is 48 bytes but 3x3 float64 needs 72$' --raw 3x3 --dtype f8 ar.raw -o out.npy
bad "1.5 to int32" 1 '^pardot: floats\.csv: element \[1, 1\] is 4\.5, which int32 cannot hold$' floats.csv --dtype i4 -o out.npy
printf '1\n3000000000\n' >wide.csv
bad "3e9 to int32" 1 '^pardot: wide\.csv: element \[1, 0\] is 3000000000, which int32 cannot hold$' wide.csv --dtype int32 -o out.npy
printf 'nan\n' >nan.csv
bad "NaN to int64" 1 '^pardot: nan\.csv: element \[0, 0\] is nan, which int64 cannot hold$' nan.csv --dtype i8 -o out.npy
cp keep.npy out.csv
expect "a value that does not fit, to csv" 1 'int32 cannot hold' "$P" convert floats.csv --dtype i4 -o out.csv
same_file "a value that does not fit, to csv: existing output unchanged" out.csv keep.npy
"$P" gen 5 --fill normal -o v5.npy
bad "a vector's element: one index" 1 '^pardot: v5\.npy: element \[0\] is -?[0-9.]+, which int32' v5.npy --dtype i4 -o out.npy
no_temporaries "errors leave no temporaries"

# Usage errors: status 2, nothing written.
bad "--to xyz" 2 "^pardot: --to: unknown format 'xyz' \\(npy, raw, csv or mtx\\)$" ar.npy --to xyz -o out.npy
bad "--from xyz" 2 "^pardot: --from: unknown format 'xyz'" --from xyz ar.npy -o out.npy
bad "--raw without --dtype" 2 '^pardot: convert: raw input needs --dtype$' --raw 2x3 ar.raw -o out.npy
bad "--from raw without --raw" 2 '^pardot: --from: raw input needs --raw' --from raw --dtype f8 ar.raw -o out.npy
bad "--raw with --from csv" 2 '^pardot: --raw: describes raw input, but --from says csv$' --raw 2x3 --dtype f8 --from csv ar.raw -o out.npy
bad "--raw bad shape" 2 "^pardot: --raw: '2y3' is not a shape" --raw 2y3 --dtype f8 ar.raw -o out.npy
bad "--dtype int7" 2 "^pardot: --dtype: unknown dtype 'int7'" ar.npy --dtype int7 -o out.npy
bad "unknown output extension" 2 '^pardot: convert: cannot tell the format of out\.dat from its name; give --to' ar.npy -o out.dat
bad "--fmt %d" 2 "^pardot: --fmt: '%d' may only convert with %e, %f or %g" ar.npy --fmt %d -o out.csv
bad "--fmt %s" 2 "^pardot: --fmt: '%s'" ar.npy --fmt %s -o out.csv
bad "--fmt two conversions" 2 '^pardot: --fmt: .*exactly one' ar.npy --fmt '%g %g' -o out.csv
bad "--fmt with npy output" 2 '^pardot: --fmt: applies only to text output' ar.npy --fmt %g -o out.npy
bad "--delimiter ab" 2 "^pardot: --delimiter: 'ab' is not one separator character" ar.npy --delimiter ab -o out.csv
bad "--delimiter 1" 2 "^pardot: --delimiter: '1'" ar.npy --delimiter 1 -o out.csv
bad "--delimiter ." 2 "^pardot: --delimiter: '\\.'" ar.npy --delimiter . -o out.csv
bad "--delimiter empty" 2 "^pardot: --delimiter: ''" ar.npy --delimiter '' -o out.csv
bad "--delimiter with neither side csv" 2 '^pardot: --delimiter: applies only to CSV' ar.npy --delimiter ';' -o out.npy
bad "missing -o" 2 '^pardot: convert: missing the output file' ar.npy
bad "no input" 2 '^pardot: convert: needs an input file' -o out.npy
bad "two inputs" 2 '^pardot: convert: takes one input file' ar.npy ar.npy -o out.npy
bad "unknown option" 2 '^pardot: convert: unknown option --frob' ar.npy --frob -o out.npy
bad "-o without a value" 2 '^pardot: (-o|--output): needs a value' ar.npy -o
expect "convert --help" 0 '' "$P" convert --help
for o in --output --to --from --raw --dtype --delimiter --fmt; do
	has "convert --help lists $o" "$o"
done
cp out help-convert
expect "help convert" 0 '' "$P" help convert
same_file "help convert is convert --help" out help-convert
expect "--help lists convert" 0 '' "$P" --help
has "--help lists convert" '^ *(usage:)? *pardot convert '

# Binary data is not written to a terminal; text is.
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
	script -qec "'$P' convert ar.npy -o - --to npy; echo status=\$?" /dev/null >tty.out 2>&1
	has "binary to a terminal: refused" 'pardot: -: refusing to write binary data to a terminal' tty.out
	has "binary to a terminal: status 1" 'status=1' tty.out
	script -qec "'$P' convert ar-i4.npy -o -; echo status=\$?" /dev/null >tty.out 2>&1
	has "text to a terminal: written" '^3,4,5' tty.out
else
	echo "SKIP binary to a terminal: script(1) not usable"
fi
no_temporaries "no temporaries left"

# ---- a full disk ---------------------------------------------------------------

# Text is streamed, not reserved: a full disk shows up as a write error,
# which must still leave the target as it was.
if [ "$(id -u)" != 0 ]; then
	echo "SKIP convert to a full disk: mounting a small tmpfs needs root"
elif ! { mkdir small && mount -t tmpfs -o size=256k tmpfs small; } 2>/dev/null; then
	echo "SKIP convert to a full disk: cannot mount a tmpfs here"
else
	trap 'umount "$SCRATCH/small" 2>/dev/null; cd / && rm -rf "$SCRATCH"' EXIT
	"$P" gen 200x200 -o fill.npy
	cp keep.npy small/out.csv
	expect "full disk: csv" 1 '^pardot: small/out\.csv: cannot write: No space left on device$' \
	    "$P" convert fill.npy -o small/out.csv
	same_file "full disk: csv: existing output unchanged" small/out.csv keep.npy
	expect "full disk: mtx" 1 '^pardot: small/out\.mtx: cannot write: No space left on device$' \
	    "$P" convert fill.npy -o small/out.mtx
	if [ -e small/out.mtx ]; then fail "full disk: mtx: no output" "small/out.mtx exists"; else ok "full disk: mtx: no output"; fi
	left=$(find small -name '.*.pardot-*')
	if [ -z "$left" ]; then ok "full disk: no temporaries left"; else fail "full disk: no temporaries left" "$left"; fi
	expect "full disk: space is given back" 0 '' "$P" convert ar.npy -o small/ar.csv
	umount small
fi

# ---- NumPy on the other side -----------------------------------------------------------

py=$(find_numpy)
if [ -z "$py" ]; then
	echo "SKIP convert interop: python3-numpy not installed"
	exit 0
fi
"$py" - <<'EOF' || fail "numpy writes the inputs" "python failed"
import numpy as np
rng = np.random.default_rng(7)
a = rng.standard_normal((9, 4))
a[0, 0], a[1, 1], a[2, 2] = np.inf, -0.0, 1e-310
np.save("np-a.npy", a)
np.savetxt("np-a.csv", a, delimiter=",")
np.savetxt("np-a.txt", a)
np.savetxt("np-a.tsv", a, delimiter="\t", header="a header", fmt="%.17g")
i = rng.integers(-2**62, 2**62, size=(5, 3))
np.save("np-i.npy", i)
np.savetxt("np-i.csv", i, delimiter=",", fmt="%d")
np.save("np-f.npy", np.asfortranarray(rng.standard_normal((4, 6)).astype(np.float32)))
np.savetxt("np-v.txt", np.arange(5.0))
EOF
for f in np-a.csv np-a.txt np-a.tsv; do
	conv $f -o $f.npy
	same_file "np.savetxt $f -> pardot: np.save's bytes" $f.npy np-a.npy
done
conv np-i.csv -o np-i.csv.npy
same_file "np.savetxt fmt=%d -> pardot: int64, exactly" np-i.csv.npy np-i.npy
conv np-v.txt -o np-v.npy
is "np.savetxt of a vector: a column" "$(shape_of np-v.npy)" 5x1
conv np-a.npy -o pd-a.csv
conv np-a.npy -o pd-a.txt
conv np-a.npy -o pd-a.tsv
conv np-i.npy -o pd-i.csv
conv np-f.npy -o pd-f.csv
conv np-a.npy -o pd-a.mtx
conv np-i.npy -o pd-i.mtx
PYTHONPATH="$TESTS/cli" "$py" - <<'EOF' || fail "numpy reads the outputs" "python failed"
import numpy as np
from npcheck import check


def mmread_dense(path, dtype):
    """Matrix Market array files, read the simple way (no SciPy here)."""
    lines = [l for l in open(path) if not l.startswith("%")]
    rows, cols = map(int, lines[0].split())
    vals = np.array([dtype(l) for l in lines[1:]])
    return vals.reshape((cols, rows)).T


a, i = np.load("np-a.npy"), np.load("np-i.npy")
f = np.load("np-f.npy")
check("np.loadtxt reads pardot's csv bit for bit", np.loadtxt("pd-a.csv", delimiter=","), a)
check("np.loadtxt reads pardot's .txt", np.loadtxt("pd-a.txt"), a)
check("np.loadtxt reads pardot's .tsv", np.loadtxt("pd-a.tsv", delimiter="\t"), a)
check("np.loadtxt reads pardot's int csv", np.loadtxt("pd-i.csv", delimiter=",", dtype=np.int64), i)
check("np.loadtxt reads pardot's float32 csv", np.loadtxt("pd-f.csv", delimiter=",", dtype=np.float32), np.ascontiguousarray(f))
check("pardot's mtx, real", mmread_dense("pd-a.mtx", float), a)
check("pardot's mtx, integer", mmread_dense("pd-i.mtx", int), i)
EOF
