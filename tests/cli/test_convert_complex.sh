#!/bin/sh
# shellcheck disable=SC2154 # $status is set by lib.sh's run
#
# pardot convert reading complex text: its own CSV, TSV, .txt and Matrix
# Market back to the same values for complex64 and complex128; the type
# that complex text gives; Matrix Market's complex symmetries against
# dense results worked out by hand; malformed complex fields named by
# FILE:LINE; and NumPy's savetxt and loadtxt on the other side when NumPy
# is installed.

# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"

P=$PARDOT

# conv ARGS...: pardot convert ARGS must succeed silently.
conv() { expect "convert $*" 0 '' "$P" convert "$@"; }

# bad NAME PATTERN ARGS...: convert ARGS -o out.npy fails with status 1
# and one message; out.npy, which exists, is left unchanged.
bad() {
	bname=$1 bpat=$2
	shift 2
	cp keep.npy out.npy
	expect "$bname" 1 "$bpat" timeout 10 "$P" convert "$@" -o out.npy
	same_file "$bname: existing output unchanged" out.npy keep.npy
}

# dtype_of FILE: the dtype that pardot info reports.
dtype_of() {
	"$P" info "$1" | sed -n 's/^[^:]*: shape [^,]*, \([a-z0-9]*\),.*/\1/p'
}

# dense FILE: FILE converted to CSV with %g, its lines joined by spaces.
dense() {
	"$P" convert "$1" --fmt %g -o - | tr '\n' ' '
}

if ! "$P" gen 2x2 --seed 99 -o keep.npy; then
	fail "setup" "pardot gen failed"
	exit 1
fi

# ---- pardot's own text, back to the same values -----------------------------

for t in complex64 complex128; do
	"$P" gen 7x5 --dtype $t --seed 11 --fill normal -o z-$t.npy
	for ext in csv tsv txt mtx; do
		conv z-$t.npy -o z-$t.$ext
		conv z-$t.$ext --dtype $t -o z-$t-$ext.npy
		same_file "$t npy -> $ext -> npy --dtype $t: bitwise" \
		    z-$t-$ext.npy z-$t.npy
		conv z-$t.$ext -o z-$t-$ext-auto.npy
		is "$t through $ext: complex128 by default" \
		    "$(dtype_of z-$t-$ext-auto.npy)" complex128
		expect "$t through $ext: values equal" 0 '' \
		    "$P" cmp --rtol 0 --atol 0 z-$t-$ext-auto.npy z-$t.npy
	done
done
# Odd shapes: one row, one column, a prime.
for shape in 1x1 1x7 67x1 3x257; do
	"$P" gen $shape --dtype c16 --seed 2 -o s.npy
	conv s.npy -o s.csv
	conv s.csv -o s-back.npy
	same_file "complex128 $shape through csv: bitwise" s-back.npy s.npy
	conv s.npy -o s.mtx
	conv s.mtx -o s-mtx.npy
	same_file "complex128 $shape through mtx: bitwise" s-mtx.npy s.npy
done

# Special parts: signed zeros, infinities, NaN, the extremes.
cat >special.csv <<'EOF'
(-0-0j), (inf-infj), (nan+1j)
(5e-324+1.7976931348623157e308j), (-1.5e-3+4e2j), (1-nanj)
EOF
conv special.csv -o special.npy
conv special.npy -o special2.csv
conv special2.csv -o special2.npy
same_file "special parts: csv -> npy -> csv -> npy is stable" special2.npy special.npy
conv special.npy -o special.mtx
conv special.mtx -o special3.npy
same_file "special parts through mtx" special3.npy special.npy
is "special parts: -0-0j keeps both signs" \
    "$(npy_data special.npy | head -c 16 | od -An -t x1 | tr -d ' ')" \
    00000000000000800000000000000080

# Standard input, a byte-order mark and CRLF line ends.
printf '\357\273\277(1+2j),3\r\n4,-5j\r\n' >bom.csv
# shellcheck disable=SC2016 # $1 is expanded by the inner shell
expect "complex csv on standard input" 0 '' sh -c '"$1" convert - --fmt %g -o - <bom.csv' sh "$P"
is "complex csv on standard input: values" "$(tr '\n' ' ' <out)" " (1+2j), (3+0j)  (4+0j), (0-5j) "

# ---- the type complex text gives ---------------------------------------------

printf '1,2\n3,4j\n' >mixed.csv
conv mixed.csv -o mixed.npy
is "one complex field makes complex128" "$(dtype_of mixed.npy)" complex128
is "the real values get imaginary part 0" "$(dense mixed.csv)" \
    " (1+0j), (2+0j)  (3+0j), (0+4j) "
printf '1 (2)\n' >paren.txt
conv paren.txt -o paren.npy
is "a real in parentheses is complex" "$(dtype_of paren.npy)" complex128
printf '1,2\n3,4\n' >ints.csv
conv ints.csv -o ints.npy
is "integers alone stay int64" "$(dtype_of ints.npy)" int64
conv mixed.csv --dtype c8 -o mixed-c8.npy
is "--dtype complex64 from complex text" "$(dtype_of mixed-c8.npy)" complex64
printf '1+0j,-2.5\n' >zero-im.csv
conv zero-im.csv --dtype f8 -o zero-im.npy
is "--dtype float64 when every imaginary part is 0" "$(dense zero-im.npy)" "1,-2.5 "
bad "--dtype float64 with an imaginary part" \
    '^pardot: mixed\.csv: element \[1, 1\] is \(0\+4j\), which float64 cannot hold \(its imaginary part is not zero\)$' \
    mixed.csv --dtype f8
bad "--dtype int64 with an imaginary part" \
    'which int64 cannot hold \(its imaginary part is not zero\)$' mixed.csv --dtype i8
# Each part is rounded once to float64, then to float32 for complex64.
printf '(0.1+0.2j)\n' >tenth.csv
conv tenth.csv --dtype c8 -o tenth.npy
is "complex64 parts: float32 of the nearest double" \
    "$(npy_data tenth.npy | od -An -t x1 | tr -d ' ')" cdcccc3dcdcc4c3e

# ---- Matrix Market's complex field ----------------------------------------------

cat >herm.mtx <<'EOF'
%%MatrixMarket matrix coordinate complex hermitian
% the lower triangle, mirrored as its conjugate
3 3 4
1 1 2 0
2 1 1 1
3 2 0 -2
3 3 5 0
EOF
is "coordinate hermitian: conjugate mirror" "$(dense herm.mtx)" \
    " (2+0j), (1-1j), (0+0j)  (1+1j), (0+0j), (0+2j)  (0+0j), (0-2j), (5+0j) "
conv herm.mtx -o herm.npy
is "field complex gives complex128" "$(dtype_of herm.npy)" complex128
cat >skew.mtx <<'EOF'
%%MatrixMarket matrix array complex skew-symmetric
3 3
1 1
2 2
3 -3
EOF
is "array skew-symmetric complex: negated mirror" "$(dense skew.mtx)" \
    " (0+0j), (-1-1j), (-2-2j)  (1+1j), (0+0j), (-3+3j)  (2+2j), (3-3j), (0+0j) "
cat >sym.mtx <<'EOF'
%%MatrixMarket matrix coordinate complex symmetric
2 2 3
2 1 1 -2
2 1 1 1
2 2 0 4
EOF
is "coordinate symmetric complex: mirror, duplicates summed" "$(dense sym.mtx)" \
    " (0+0j), (2-1j)  (2-1j), (0+4j) "
cat >gen.mtx <<'EOF'
%%MatrixMarket matrix array complex general
2 3
1 2
3 4
5 6
7 8
9 10
11 12
EOF
is "array general complex: column after column" "$(dense gen.mtx)" \
    " (1+2j), (5+6j), (9+10j)  (3+4j), (7+8j), (11+12j) "
cat >coord.mtx <<'EOF'
%%MatrixMarket matrix coordinate complex general
2 3 2
1 3 -1.5 0.5
2 2 0 -1
EOF
is "coordinate general complex: zeros elsewhere" "$(dense coord.mtx)" \
    " (0+0j), (0+0j), (-1.5+0.5j)  (0+0j), (0-1j), (0+0j) "
cat >hermarr.mtx <<'EOF'
%%MatrixMarket matrix array complex hermitian
2 2
1 0
2 3
4 0
EOF
is "array hermitian" "$(dense hermarr.mtx)" " (1+0j), (2-3j)  (2+3j), (4+0j) "

# ---- errors -----------------------------------------------------------------------

printf '(1+2j),(3-4j)\n(1+2j,5\n' >open.csv
bad "unclosed parenthesis: FILE:LINE, column" \
    "^pardot: open\\.csv:2: '\\(1\\+2j' is not a number \\(column 1\\)$" open.csv
printf '1,2j\n3,1+j\n' >noim.csv
bad "an imaginary unit without digits" \
    "^pardot: noim\\.csv:2: '1\\+j' is not a number \\(column 2\\)$" noim.csv
printf '1+2i\n' >eye.csv
bad "i for j" "^pardot: eye\\.csv:1: '1\\+2i' is not a number \\(column 1\\)$" eye.csv
printf '(1+2j) (3 -4j)\n' >split.txt
bad "blanks inside a value split it" "^pardot: split\\.txt:1: '\\(3' is not a number \\(column 2\\)$" split.txt
printf '1,2j\n3\n' >short.csv
bad "complex rows must be as long as the first" '^pardot: short\.csv:2: 1 value, but line 1 has 2$' short.csv
printf '%s\n' '%%MatrixMarket matrix array real hermitian' '1 1' '1' >realherm.mtx
bad "hermitian needs the field complex" '^pardot: realherm\.mtx:1: a hermitian matrix must have the field complex' realherm.mtx
printf '%s\n' '%%MatrixMarket matrix array complex hermitian' '2 2' '1 0' '2 3' '4 1' >diag.mtx
bad "hermitian diagonal must be real" '^pardot: diag\.mtx:5: entry \(2, 2\) is on the diagonal of a hermitian matrix, which must be real' diag.mtx
printf '%s\n' '%%MatrixMarket matrix coordinate complex general' '2 2 1' '1 1 1' >words.mtx
bad "complex coordinate entry needs RE IM" '^pardot: words\.mtx:3: expected ROW COL RE IM, found 3 words$' words.mtx
printf '%s\n' '%%MatrixMarket matrix array complex general' '1 1' '1 2j' >mtxj.mtx
bad "Matrix Market parts are real numbers" "^pardot: mtxj\\.mtx:3: '2j' is not a number$" mtxj.mtx
printf '%s\n' '%%MatrixMarket matrix array quaternion general' '1 1' '1' >quat.mtx
bad "unknown field" "^pardot: quat\\.mtx:1: unknown field 'quaternion' \\(real, integer, complex, pattern\\)$" quat.mtx
no_temporaries "errors leave no temporaries"

# Only convert reads text; the others still send it there.
"$P" gen 2x2 --dtype c16 -o z22.npy
conv z22.npy -o z22.csv
expect "info of complex csv: convert it first" 1 \
    "^pardot: z22\\.csv: text such as CSV, not a \\.npy file" "$P" info z22.csv
expect "mul of complex csv: convert it first" 1 \
    "^pardot: z22\\.csv: text such as CSV, not a \\.npy file" "$P" mul z22.npy z22.csv -o m.npy
expect "cmp of complex csv: trouble, convert it first" 2 \
    "^pardot: z22\\.csv: text such as CSV, not a \\.npy file" "$P" cmp z22.npy z22.csv

# ---- NumPy on the other side ---------------------------------------------------------

py=$(find_numpy)
if [ -z "$py" ]; then
	echo "SKIP convert complex interop: python3-numpy not installed"
	exit 0
fi
"$py" - <<'EOF' || fail "numpy writes the inputs" "python failed"
import numpy as np
rng = np.random.default_rng(5)
z = rng.standard_normal((9, 4)) + 1j * rng.standard_normal((9, 4))
z[0, 0], z[1, 1], z[2, 2] = complex(np.inf, -0.0), complex(-0.0, 1e-310), -2j
np.save("np-z.npy", z)
np.savetxt("np-z.txt", z)
np.savetxt("np-z.csv", z, delimiter=",")
np.savetxt("np-z.tsv", z, delimiter="\t", fmt="%.17g", header="h")
c = (rng.standard_normal((5, 3)) + 1j * rng.standard_normal((5, 3))).astype(np.complex64)
np.save("np-c.npy", c)
np.savetxt("np-c.csv", c, delimiter=",")
EOF
for f in np-z.txt np-z.csv np-z.tsv; do
	conv $f -o $f.npy
	same_file "np.savetxt complex $f -> pardot: np.save's bytes" $f.npy np-z.npy
done
conv np-c.csv --dtype c8 -o np-c.csv.npy
same_file "np.savetxt complex64 -> pardot --dtype c8: np.save's bytes" np-c.csv.npy np-c.npy
conv np-z.npy -o pd-z.csv
conv np-z.npy -o pd-z.txt
conv np-z.npy -o pd-z.mtx
conv np-c.npy -o pd-c.csv
conv herm.mtx -o pd-herm.csv
PYTHONPATH="$TESTS/cli" "$py" - <<'EOF' || fail "numpy reads the outputs" "python failed"
import numpy as np
from npcheck import check


z, c = np.load("np-z.npy"), np.load("np-c.npy")
check("np.loadtxt dtype=complex reads pardot's complex csv", np.loadtxt("pd-z.csv", delimiter=",", dtype=complex), z)
check("np.loadtxt dtype=complex reads pardot's complex .txt", np.loadtxt("pd-z.txt", dtype=complex), z)
check("np.loadtxt reads pardot's complex64 csv", np.loadtxt("pd-c.csv", delimiter=",", dtype=np.complex64), c)
lines = [l.split() for l in open("pd-z.mtx") if not l.startswith("%")]
rows, cols = map(int, lines[0])
mm = np.array([complex(float(a), float(b)) for a, b in lines[1:]]).reshape((cols, rows)).T
check("pardot's complex mtx: column after column, two parts", mm, z)
h = np.loadtxt("pd-herm.csv", delimiter=",", dtype=complex)
same = np.array_equal(h, h.conj().T)
print(("ok " if same else "FAIL ") + "a hermitian mtx is hermitian")
EOF
