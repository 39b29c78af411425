#!/bin/sh
# shellcheck disable=SC2154 # $status is set by lib.sh's run
#
# pardot gen --fill normal and --range LO:HI, and pardot info --range and
# --json: values, determinism, the edges of each range, JSON that parses
# whatever a file is named, and the usage errors.

# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"

P=$PARDOT

gen() { expect "gen $*" 0 '' "$P" gen "$@"; }
info() { expect "info $*" 0 '' "$P" info "$@"; }
usage() {
	uname_=$1 upat=$2
	shift 2
	expect "$uname_" 2 "$upat" "$P" "$@"
}

# minmax FILE: "MIN MAX" as info --range prints them.
minmax() {
	"$P" info --range "$1" | sed -n 's/.*, min \([^,]*\), max \([^,]*\).*/\1 \2/p'
}

# ---- gen --fill normal ------------------------------------------------------

for t in f8 f4; do
	gen 40x30 --fill normal --dtype $t --seed 4 -o n4a-$t.npy
	gen 40x30 --fill normal --dtype $t --seed 4 -o n4b-$t.npy
	gen 40x30 --fill normal --dtype $t --seed 5 -o n5-$t.npy
	same_file "normal $t: same seed, same bytes" n4a-$t.npy n4b-$t.npy
	if cmp -s n4a-$t.npy n5-$t.npy; then fail "normal $t: another seed differs" "same bytes"; else ok "normal $t: another seed differs"; fi
	OMP_NUM_THREADS=1 "$P" gen 40x30 --fill normal --dtype $t --seed 4 -o n4-1-$t.npy
	same_file "normal $t: one thread, same bytes" n4-1-$t.npy n4a-$t.npy
done
gen 40x30 --seed 4 -o u4.npy
if cmp -s u4.npy n4a-f8.npy; then fail "normal is not the uniform fill" "same bytes"; else ok "normal is not the uniform fill"; fi
gen 200 --fill normal -o nv.npy
info --range nv.npy
has "normal: negative and positive values" 'min -[0-9.e-]+, max [0-9.e]+'
usage "normal for int64: refused" "^pardot: --fill: normal needs a float dtype" gen 2x2 --fill normal --dtype i8 -o x.npy
usage "normal for int32: refused" "^pardot: --fill: normal needs a float dtype" gen 2x2 --dtype int32 --fill normal -o x.npy
usage "normal with --range: refused" "^pardot: --range: applies only to --fill random" gen 2x2 --fill normal --range 0:1 -o x.npy

# ---- gen --range ------------------------------------------------------------

gen 3x3 --range 0:1 --seed 6 -o r01.npy
gen 3x3 --seed 6 -o rdef.npy
same_file "--range 0:1 is the default for floats" r01.npy rdef.npy
gen 3x3 --range 0:10 --dtype i4 --seed 6 -o r010.npy
gen 3x3 --dtype i4 --seed 6 -o rdef-i4.npy
same_file "--range 0:10 is the default for integers" r010.npy rdef-i4.npy
gen 3x3 --range=-2.5:-2 --seed 6 -o rneg.npy
mm=$(minmax rneg.npy)
if awk -v lo="${mm% *}" -v hi="${mm#* }" 'BEGIN { exit !(lo >= -2.5 && hi < -2 && lo < hi) }'; then
	ok "--range=-2.5:-2: values inside"
else
	fail "--range=-2.5:-2: values inside" "min and max $mm"
fi
gen 1000 --range -3:3 --dtype i4 --seed 2 -o ri.npy
is "--range -3:3 int32: both ends reached, HI left out" "$(minmax ri.npy)" "-3 2"
gen 1000 --range 5:6 --dtype i8 -o r56.npy
is "--range 5:6: only 5" "$(minmax r56.npy)" "5 5"
gen 2000 --range -9223372036854775808:9223372036854775807 --dtype i8 -o rwide.npy
mm=$(minmax rwide.npy)
case $mm in
-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]*\ [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]*)
	ok "int64 full range: both extremes beyond 10^16" ;;
*) fail "int64 full range: both extremes beyond 10^16" "min and max $mm" ;;
esac
gen 100 --range -2147483648:2147483648 --dtype i4 -o rwide4.npy
gen 1000 --range 1:1.0000001 --dtype f4 -o rnarrow.npy
is "float32 --range 1:1.0000001: only 1 fits" "$(minmax rnarrow.npy)" "1 1"
gen 100 --range 0:1e-300 -o rtiny.npy
gen 100 --range -1e308:1e308 -o rhuge.npy
mm=$(minmax rhuge.npy)
case $mm in
-*e+30[0-8]\ *e+30[0-8]) ok "--range -1e308:1e308: no overflow" ;;
*) fail "--range -1e308:1e308: no overflow" "min and max $mm" ;;
esac
usage "--range without a colon" "^pardot: --range: '5' is not a range LO:HI" gen 2x2 --range 5 -o x.npy
usage "--range empty" "^pardot: --range: '2:2' is empty" gen 2x2 --range 2:2 -o x.npy
usage "--range reversed" "^pardot: --range: '3:1' is empty" gen 2x2 --range 3:1 --dtype i4 -o x.npy
usage "--range a:b" "^pardot: --range: 'a' is not a finite number" gen 2x2 --range a:b -o x.npy
usage "--range 0:inf" "^pardot: --range: 'inf' is not a finite number" gen 2x2 --range 0:inf -o x.npy
usage "--range 0:nan" "^pardot: --range: 'nan' is not a finite number" gen 2x2 --range 0:nan -o x.npy
usage "--range 0.5:2 for int64" "^pardot: --range: '0\\.5' is not a whole number" gen 2x2 --range 0.5:2 --dtype i8 -o x.npy
usage "--range beyond int32" "^pardot: --range: '0:2147483649' is outside int32, which holds -2147483648 to 2147483647 \(HI, excluded, may be 2147483648\)" gen 2x2 --range 0:2147483649 --dtype i4 -o x.npy
usage "--range below int32" "^pardot: --range: '-2147483649:0' is outside int32, which holds -2147483648 to 2147483647" gen 2x2 --range -2147483649:0 --dtype i4 -o x.npy
usage "--range int32: LO past int32 named" "^pardot: --range: '2147483648:2147483649' is outside int32" gen 2x2 --range 2147483648:2147483649 --dtype i4 -o x.npy
usage "--range beyond int64" "^pardot: --range: 9223372036854775808 is out of range" gen 2x2 --range 0:9223372036854775808 --dtype i8 -o x.npy
usage "--range with no float32 inside" "^pardot: --range: '0\\.1:0\\.10000000001' holds no float32 value" gen 2x2 --range 0.1:0.10000000001 --dtype f4 -o x.npy
usage "--range beyond float32" "holds no float32 value" gen 2x2 --range 1e39:1e40 --dtype f4 -o x.npy
usage "--range with --fill ones" "^pardot: --range: applies only to --fill random" gen 2x2 --fill ones --range 0:1 -o x.npy
usage "--range without a value" "^pardot: --range: needs a value" gen 2x2 -o x.npy --range
usage "--fill unknown lists normal" "normal" gen 2x2 --fill gauss -o x.npy
expect "gen --help" 0 '' "$P" gen --help
has "gen --help lists --range" '--range LO:HI'
has "gen --help lists normal" 'normal'
no_temporaries "gen: no temporaries left"

py=$(find_numpy)
if [ -z "$py" ]; then
	echo "SKIP gen distributions: python3-numpy not installed"
else
	gen 300x400 --fill normal --seed 11 -o dist-n.npy
	gen 300x400 --fill normal --dtype f4 --seed 11 -o dist-n4.npy
	gen 300x400 --range -2:6 --seed 11 -o dist-u.npy
	gen 300x400 --range -2:6 --dtype f4 --seed 11 -o dist-u4.npy
	gen 300x400 --range -7:5 --dtype i4 --seed 11 -o dist-i.npy
	"$py" - <<'EOF' || fail "gen distributions" "python failed"
import numpy as np


def report(name, why):
    print("ok " + name if why is None else "FAIL %s: %s" % (name, why))


for f in ("dist-n.npy", "dist-n4.npy"):
    a = np.load(f).astype(np.float64).ravel()
    within = np.mean(np.abs(a) < 1)
    why = None
    if abs(a.mean()) > 0.01 or abs(a.std() - 1) > 0.01:
        why = "mean %g, std %g" % (a.mean(), a.std())
    elif abs(within - 0.6827) > 0.005:
        why = "%g within one sigma" % within
    elif abs(np.mean(a ** 3)) > 0.03 or abs(np.mean(a ** 4) - 3) > 0.06:
        why = "skew %g, kurtosis %g" % (np.mean(a ** 3), np.mean(a ** 4))
    report("normal %s: mean 0, std 1, 68%% within one sigma" % f, why)
for f, t in (("dist-u.npy", np.float64), ("dist-u4.npy", np.float32)):
    a = np.load(f)
    why = None if a.dtype == t and a.min() >= -2 and a.max() < 6 else \
        "range %r %r" % (a.min(), a.max())
    why = why or (None if abs(a.mean() - 2) < 0.02 else "mean %g" % a.mean())
    report("uniform %s in [-2, 6)" % f, why)
a = np.load("dist-i.npy")
counts = np.bincount(a.ravel() + 7)
why = None if a.min() == -7 and a.max() == 4 and len(counts) == 12 else \
    "range %d %d" % (a.min(), a.max())
why = why or (None if counts.min() > 9000 else "not uniform: %s" % counts)
report("int32 --range -7:5: every value, evenly", why)
EOF
fi

# ---- info --range -------------------------------------------------------------

gen 3x4 --fill arange -o ar.npy
info --range ar.npy
has "info --range: the usual line, then min and max" '^ar\.npy: shape 3x4, float64, little-endian, C order, npy 1\.0, data offset 128, data size 96 bytes, min 0, max 11$'
gen 3x4 --fill arange --dtype i4 -o ar4.npy
info --range ar4.npy
has "info --range int32" ', min 0, max 11$'
printf '%s\n' '9223372036854775807,-9223372036854775808' '9007199254740993,0' >ext.csv
"$P" convert ext.csv -o ext.npy
is "info --range int64: exact, past 2^53" "$(minmax ext.npy)" "-9223372036854775808 9223372036854775807"
printf '%s\n' 'nan,1.5,nan' '-2.25,nan,3' >nan.csv
"$P" convert nan.csv -o nan.npy
info --range nan.npy
has "info --range: NaNs left out and counted" ', min -2\.25, max 3, 3 NaNs$'
printf 'nan,nan\n' >allnan.csv
"$P" convert allnan.csv -o allnan.npy
info --range allnan.npy
has "info --range: all NaN" ', min nan, max nan, 2 NaNs$'
printf 'inf,-inf,1\n' >inf.csv
"$P" convert inf.csv -o inf.npy
info --range inf.npy
has "info --range: infinities" ', min -inf, max inf$'
printf '0.1,0.7\n' >f4.csv
"$P" convert f4.csv --dtype f4 -o f4.npy
info --range f4.npy
has "info --range float32: shortest digits" ', min 0\.1, max 0\.7$'
printf '0.1,1e-300\n' >f8.csv
"$P" convert f8.csv -o f8.npy
info --range f8.npy
has "info --range float64: shortest digits" ', min 1e-300, max 0\.1$'
gen 0x3 -o empty.npy
info --range empty.npy
has "info --range: no elements" ', min none, max none$'
{
	npyhead 2 "{'descr': '>f8', 'fortran_order': True, 'shape': (2, 2), }"
	printf '\077\360\0\0\0\0\0\0\300\0\0\0\0\0\0\0\100\010\0\0\0\0\0\0\100\020\0\0\0\0\0\0'
} >big.npy
info --range big.npy
has "info --range: big-endian, Fortran order" 'big-endian, Fortran order, npy 2\.0, .*, min -2, max 4$'
info --range ar.npy ar4.npy nan.npy
is "info --range: one line per file" "$(wc -l <out | tr -d ' ')" 3

# ---- info --json --------------------------------------------------------------

info --json ar.npy
is "info --json: one object" "$(cat out)" '{"file": "ar.npy", "shape": [3, 4], "dtype": "float64", "byte_order": "little", "order": "C", "npy_version": "1.0", "data_offset": 128, "data_size": 96}'
info --json --range nan.npy inf.npy empty.npy big.npy
is "info --json --range: one line per file" "$(wc -l <out | tr -d ' ')" 4
has "info --json --range: min, max, nans" '^\{"file": "nan\.npy", .*"data_size": 48, "min": -2\.25, "max": 3, "nans": 3\}$'
has "info --json: infinities as strings" '"min": "-inf", "max": "inf", "nans": 0\}$'
has "info --json: none is null" '"file": "empty\.npy", "shape": \[0, 3\], .*"min": null, "max": null'
has "info --json: big-endian, Fortran" '"byte_order": "big", "order": "Fortran", "npy_version": "2\.0"'
"$P" gen 4 -o v.npy
"$P" mul v.npy v.npy -o s.npy
info --json s.npy
has "info --json: a 0-d shape is []" '"shape": \[\]'
expect "info --json: a missing file" 1 '^pardot: nosuch\.npy: ' "$P" info --json ar.npy nosuch.npy ar4.npy
is "info --json: the other files still described" "$(wc -l <out | tr -d ' ')" 2

# File names that JSON must escape: quotes, backslashes, control
# characters, and bytes that are not UTF-8.
cp ar.npy 'q"uote.npy'
cp ar.npy 'back\slash.npy'
cp ar.npy "$(printf 'tab\tnl\nbel\007.npy')"
cp ar.npy "$(printf 'latin\351.npy')"
cp ar.npy "$(printf 'utf8-\303\251\342\202\254.npy')"
expect "info --json of awkward names" 0 '' "$P" info --json q*.npy back*.npy tab*.npy latin*.npy utf8-*.npy
has "json: a quote escaped" '"file": "q\\"uote\.npy"'
has "json: a backslash escaped" '"file": "back\\\\slash\.npy"'
has "json: tab, newline and BEL escaped" '"file": "tab\\tnl\\nbel\\u0007\.npy"'
has "json: a byte that is not UTF-8 becomes U+FFFD" '"file": "latin\\ufffd\.npy"'
has "json: valid UTF-8 kept" "\"file\": \"utf8-$(printf '\303\251\342\202\254')\\.npy\""
if [ -n "$py" ]; then
	expect "info --json --range of awkward names" 0 '' "$P" info --json --range \
	    q*.npy back*.npy tab*.npy latin*.npy utf8-*.npy nan.npy inf.npy empty.npy
	"$py" -c '
import json, sys
n = 0
for line in open("out", encoding="utf-8"):
    o = json.loads(line)
    assert set(o) >= {"file", "shape", "dtype", "min", "max", "nans"}, o
    n += 1
print("ok info --json: every line is JSON (%d)" % n if n == 8 else
      "FAIL info --json: %d lines" % n)
' || fail "info --json: every line is JSON" "python says no"
fi
usage "info --range=x: takes no value" '^pardot: --range: takes no value' info --range=x ar.npy
usage "info --frob" '^pardot: info: unknown option --frob' info --frob ar.npy
expect "info --help" 0 '' "$P" info --help
has "info --help lists --range" '--range'
has "info --help lists --json" '--json'
