#!/bin/sh
# shellcheck disable=SC2154 # $status is set by lib.sh's run
#
# Issue 15, "What a new user ran into": wrong answers, crashes and
# misleading messages, each case as the user met it.

# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"

P=$PARDOT

# f8 FILE SHAPE BYTES: a little-endian float64 .npy file of the given
# shape (a tuple such as "(1, 2)"), its data given as printf %b escapes.
f8() {
	{ npyhead 1 "{'descr': '<f8', 'fortran_order': False, 'shape': $2, }"
	    printf '%b' "$3"; } >"$1"
}
INF='\0\0\0\0\0\0\0360\0177'
NINF='\0\0\0\0\0\0\0360\0377'
NAN='\0\0\0\0\0\0\0370\0177'
ONE='\0\0\0\0\0\0\0360\077'
FIVE='\0\0\0\0\0\0\024\0100'

# ---- cmp is NumPy's isclose ------------------------------------------------

f8 one-five.npy '(1, 2)' "$ONE$FIVE"
f8 inf-ninf.npy '(1, 2)' "$INF$NINF"
f8 inf.npy '(1, 1)' "$INF"
f8 ninf.npy '(1, 1)' "$NINF"
f8 nan.npy '(1,)' "$NAN"
f8 one.npy '(1,)' "$ONE"
expect "cmp: finite against infinities differs" 1 '' "$P" cmp one-five.npy inf-ninf.npy
expect "cmp: infinities against finite differs" 1 '' "$P" cmp inf-ninf.npy one-five.npy
expect "cmp: inf against -inf differs" 1 '' "$P" cmp inf.npy ninf.npy
expect "cmp: inf against inf matches" 0 '' "$P" cmp inf.npy inf.npy
expect "cmp: 1 against NaN with a huge rtol differs" 1 '' "$P" cmp --rtol 1e300 one.npy nan.npy
expect "cmp: NaN against NaN differs by default" 1 '' "$P" cmp nan.npy nan.npy
expect "cmp --equal-nan: NaN matches NaN" 0 '' "$P" cmp --equal-nan nan.npy nan.npy
expect "cmp --equal-nan: NaN against 1 still differs" 1 '' "$P" cmp --equal-nan nan.npy one.npy
expect "cmp: inf vs -inf summary" 1 '' "$P" cmp inf.npy ninf.npy
has "cmp: inf vs -inf: relative difference inf, not nan" 'relative difference inf$'
if [ -n "$(find_numpy)" ]; then
	"$(find_numpy)" - <<'PY' >numpy-isclose
import numpy as np
vals = [0.0, 1.0, -1.0, 1e-9, 1.00001, 1e300, np.inf, -np.inf, np.nan]
x, y = np.meshgrid(vals, vals)
np.save('gx.npy', x.ravel()[:, None])
np.save('gy.npy', y.ravel()[:, None])
print(int((~np.isclose(x, y)).sum()), int((~np.isclose(x, y, equal_nan=True)).sum()))
PY
	read -r want want_nan <numpy-isclose
	run "$P" cmp gx.npy gy.npy
	is "cmp: as many differences as np.isclose" "$(sed -n 's/.*differ: \([0-9]*\) of.*/\1/p' out)" "$want"
	run "$P" cmp --equal-nan gx.npy gy.npy
	is "cmp --equal-nan: as many as np.isclose(equal_nan=True)" "$(sed -n 's/.*differ: \([0-9]*\) of.*/\1/p' out)" "$want_nan"
else
	echo "SKIP cmp against np.isclose: NumPy not installed"
fi

# ---- cmp shows integers as integers ---------------------------------------

{ npyhead 1 "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }"
    printf '%b' '\0\0\0\0\0\0\0\0100'; } >p62.npy
{ npyhead 1 "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }"
    printf '%b' '\01\0\0\0\0\0\0\0100'; } >p62p1.npy
expect "cmp: 2^62 and 2^62 + 1 differ" 1 '' "$P" cmp p62.npy p62p1.npy
has "cmp: both values shown exactly" '\(4611686018427387904 vs 4611686018427387905\)'
has "cmp: the difference is 1" 'absolute difference 1,'

# ---- thread counts are bounded in one place --------------------------------

expect "gen: OMP_NUM_THREADS=99999 is lowered, said" 0 'OMP_NUM_THREADS: 99999 .*4096' \
    env OMP_NUM_THREADS=99999 "$P" gen 10x10 -o g.npy
"$P" gen 10x10 -o g1.npy
same_file "gen: the same matrix with the lowered count" g.npy g1.npy
no_temporaries "gen: OMP_NUM_THREADS=99999 leaves no temporary"
expect "mul: OMP_NUM_THREADS=99999 is lowered, said" 0 'OMP_NUM_THREADS: 99999 .*4096' \
    env OMP_NUM_THREADS=99999 "$P" mul g.npy g.npy -o m.npy
expect "mul: -j beats OMP_NUM_THREADS=99999, nothing said" 0 '' \
    env OMP_NUM_THREADS=99999 "$P" mul -j 2 g.npy g.npy -o m.npy
expect "mul -q: the lowering is not said" 0 '' \
    env OMP_NUM_THREADS=99999 "$P" mul -q g.npy g.npy -o m.npy
expect "OMP_NUM_THREADS=99999999999999999999999 is lowered" 0 'OMP_NUM_THREADS: .*4096' \
    env OMP_NUM_THREADS=99999999999999999999999 "$P" gen 3x3 -o g3.npy
# libgomp has its own word on a negative count; pardot lowers nothing.
run env OMP_NUM_THREADS=-99999999999999999999999 "$P" gen 3x3 -o g3.npy
if [ "$status" = 0 ] && ! grep -q 'too many' err; then
	ok "OMP_NUM_THREADS=-99999999999999999999999: not lowered"
else
	fail "OMP_NUM_THREADS=-99999999999999999999999: not lowered" "status $status: $(cat err)"
fi

# ---- an option given a value it does not take ------------------------------

for c in "mul --transpose-a=yes g.npy g.npy -o x.npy:--transpose-a" \
    "mul --verbose=1 g.npy g.npy -o x.npy:--verbose" \
    "mul --help=1:--help" "info --json=1 g.npy:--json" \
    "info --range=yes g.npy:--range" "cmp --equal-nan=1 g.npy g.npy:--equal-nan"; do
	opt=${c##*:}
	# shellcheck disable=SC2086 # the words of the command
	expect "${c%%:*}: names $opt, takes no value" 2 "^pardot: $opt: takes no value" "$P" ${c%%:*}
	if tr -d '[:print:]\n' <err | grep -q .; then
		fail "${c%%:*}: no control byte" "$(od -c err | head -n 2)"
	else
		ok "${c%%:*}: no control byte"
	fi
done

# ---- nothing sized by a dimension for an empty array -----------------------

{ npyhead 1 "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 100000000000), }"; } >empty.npy
for to in npy csv mtx raw; do
	expect "convert: (0, 10^11) to $to" 0 '' "$P" convert empty.npy -o "empty-out.$to" --to $to
done
is "convert: (0, 10^11) to csv is empty" "$(wc -c <empty-out.csv | tr -d ' ')" 0
expect "convert: (0, 10^11) to npy keeps the shape" 0 '' "$P" info empty-out.npy
has "convert: (0, 10^11) to npy keeps the shape" 'shape 0x100000000000'
expect "info --range: (0, 10^11)" 0 '' "$P" info --range empty.npy
expect "cmp: (0, 10^11) with itself" 0 '' "$P" cmp empty.npy empty.npy

# ---- '-' is a standard stream in every command -----------------------------

"$P" gen 3x2 --seed 5 -o g32.npy
"$P" gen 3x2 --seed 5 -o - >g32-stdout.npy
same_file "gen -o -: the file's bytes on standard output" g32-stdout.npy g32.npy
[ -e ./- ] && fail "gen -o -: no file named -" "it exists" || ok "gen -o -: no file named -"
"$P" gen 3x2 -o ./-
[ -f ./- ] && ok "gen -o ./-: a file named -" || fail "gen -o ./-: a file named -" "missing"
rm -f ./-
expect "info -: standard input" 0 '' sh -c '"$0" info - <g32.npy' "$P"
has "info -: named -" '^-: shape 3x2'
expect "cmp - FILE: standard input" 0 '' sh -c '"$0" cmp - g32.npy <g32.npy' "$P"
expect "cmp FILE -: standard input" 0 '' sh -c '"$0" cmp g32.npy - <g32.npy' "$P"
expect "convert - (npy): standard input" 0 '' sh -c '"$0" convert - -o c.csv <g32.npy' "$P"
"$P" convert g32.npy -o c2.csv
same_file "convert -: the same text as from the file" c.csv c2.csv
expect "convert - (csv): standard input" 0 '' sh -c 'printf "1,2\n3,4\n" | "$0" convert - -o c.npy' "$P"
expect "convert - (csv): read as CSV" 0 '' "$P" info c.npy
has "convert - (csv): int64 2x2" 'shape 2x2, int64'
expect "info -: a closed standard input is said so" 1 '^pardot: -: standard input is closed' \
    sh -c '"$0" info - <&-' "$P"
expect "mul: a closed standard input is said so" 1 '^pardot: -: standard input is closed' \
    sh -c '"$0" mul g.npy - -o m.npy <&-' "$P"
expect "a TMPDIR that does not exist is named (standard input)" 1 '^pardot: -: .*/nonexistent-tmp' \
    sh -c 'TMPDIR=/nonexistent-tmp "$0" mul g.npy - -o m.npy <g.npy' "$P"
expect "a TMPDIR that does not exist is named (standard output)" 1 '^pardot: -: .*/nonexistent-tmp' \
    sh -c 'TMPDIR=/nonexistent-tmp "$0" gen 2x2 -o - >/dev/null' "$P"

# ---- every header np.load reads --------------------------------------------

np_py=$(find_numpy)
for descr in "'<d'" "'d'" "'float64'" "'double'" "'<f'" "'single'" "'>q'" "'int'" \
    "'intc'" "'<f\\x38'" "'<' 'f8'" "u'<i8'"; do
	{ npyhead 1 "{'descr': $descr, 'fortran_order': False, 'shape': (0x2, 1_0,), }"
	    head -c 160 /dev/zero; } >spell.npy
	expect "info reads descr $descr" 0 '' "$P" info spell.npy
	has "info reads descr $descr: shape 2x10" 'shape 2x10'
	if [ -n "$np_py" ]; then
		if "$np_py" -c 'import numpy, sys; numpy.load(sys.argv[1])' spell.npy 2>/dev/null; then
			ok "np.load reads descr $descr too"
		else
			fail "np.load reads descr $descr too" "it refuses it"
		fi
	fi
done
{ npyhead 1 "{'descr': 'e', 'fortran_order': False, 'shape': (2,), }"; head -c 4 /dev/zero; } >half.npy
expect "info: descr 'e' is read" 0 '' "$P" info half.npy
has "info: descr 'e' is named as NumPy names it" '^half\.npy: shape 2, float16,'
{ npyhead 1 "{'descr': '<float64', 'fortran_order': False, 'shape': (2,), }"; head -c 16 /dev/zero; } >bad.npy
expect "info: a descr that is no type shows its value" 1 "^pardot: bad.npy: 'descr' '<float64' is not a data type" "$P" info bad.npy

# ---- messages that misled ---------------------------------------------------

printf '\357\273\2771,2\n3,4\n' >bom.csv
expect "convert: a UTF-8 byte-order mark is skipped" 0 '' "$P" convert bom.csv -o bom.npy
expect "convert: the BOM CSV is read as 2x2 int64" 0 '' "$P" info bom.npy
has "convert: the BOM CSV is read as 2x2 int64" 'shape 2x2, int64'
printf '\357\273\277%%%%MatrixMarket matrix array real general\n1 1\n5\n' >bom.mtx
expect "convert: a BOM before a Matrix Market banner" 0 '' "$P" convert bom.mtx -o bomm.npy
printf 'PK\003\004\024\0\0\0\0\0' >a.npz
expect "mul: a .npz is named as an archive" 1 '^pardot: a.npz: a zip archive such as .npz, not a .npy file' \
    "$P" mul a.npz g.npy -o m.npy
if grep -q -- --raw err; then fail "mul: no --raw-a hint for a .npz" "$(cat err)"; else ok "mul: no --raw-a hint for a .npz"; fi
printf '1,2\n3,4\n' >t.csv
expect "mul: a CSV is named as text, convert suggested" 1 "^pardot: t.csv: text such as CSV, not a .npy file: make one with 'pardot convert" \
    "$P" mul g.npy t.csv -o m.npy
if grep -q -- --raw err; then fail "mul: no --raw-b hint for a CSV" "$(cat err)"; else ok "mul: no --raw-b hint for a CSV"; fi
head -c 64 /dev/zero >zeros.bin
expect "mul: binary data still gets the --raw-a hint" 1 '^pardot: zeros.bin: not a .npy file \(for headerless data give --raw-a' \
    "$P" mul zeros.bin g.npy -o m.npy
expect "convert: a CSV still converts after the text check" 0 '' "$P" convert t.csv -o t.npy

# ---- help ---------------------------------------------------------------------

expect "--help lists -V" 0 '' "$P" --help
has "--help lists -V, --version" '^ *-V, --version'
expect "help help is the main help" 0 '' "$P" help help
"$P" --help >main-help
same_file "help help prints --help's text" out main-help

# ---- a reader gone away: one behaviour for every command --------------------

"$P" gen 3000x10 -o tall.npy
for c in "convert tall.npy -o -" "convert tall.npy --to mtx -o -" \
    "mul tall.npy tall.npy --transpose-b -o -" "gen 2000x2000 -o -"; do
	# shellcheck disable=SC2086 # the words of the command
	{ "$P" $c 2>pipe.err; echo $? >pipe.status; } | head -c 10 >/dev/null
	is "$c | head: status 1" "$(cat pipe.status)" 1
	has "$c | head: says the pipe broke" '^pardot: -: cannot write: Broken pipe$' pipe.err
done
no_temporaries "a broken pipe leaves no temporary"

# ---- fuzz findings ------------------------------------------------------------

# A few lines of Matrix Market may describe a huge dense matrix: refused by
# the memory there is, not attempted (the fuzzer's timeouts).
printf '%s\n' '%%MatrixMarket matrix coordinate integer general' \
    '8 0000000000000260770634000 3' '1 1 5' '2 2 9' '1 2 3' >huge.mtx
expect "convert: a huge dense Matrix Market matrix is refused" 1 \
    '^pardot: huge.mtx:2: a dense 8x260770634000 matrix would take more memory than there is' \
    timeout 20 "$P" convert huge.mtx -o huge.npy
printf '%s\n' '%%MatrixMarket matrix array real general' '2 2333333333333' '1' '2' >short-array.mtx
expect "convert: an array size line past what the file holds" 1 \
    '^pardot: short-array.mtx:2: the size line promises .* entries, more than the rest of the file can hold' \
    timeout 20 "$P" convert short-array.mtx -o sa.npy

# ---- --help, handled once by the dispatcher (issue 11) -----------------------

for c in mul gen info cmp convert; do
	"$P" help $c >help-$c
	expect "$c --help: status 0, nothing on stderr" 0 '' "$P" $c --help
	same_file "$c --help: the same bytes as help $c" out help-$c
	expect "$c -h among other options: help all the same" 0 '' "$P" $c -h -o x.npy
	same_file "$c -h: the same bytes" out help-$c
	"$P" $c --help >&- 2>/dev/null
	st=$?
	[ $c = cmp ] && want=2 || want=1
	is "$c --help to a closed stdout: status $want" "$st" "$want"
done
