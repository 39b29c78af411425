#!/bin/sh
# shellcheck disable=SC2154 # $status is set by lib.sh's run
#
# Every numeric dtype in mul, against NumPy: NumPy writes A and B of every
# pair of the 14 dtypes (both byte orders, C and Fortran order, transposes,
# 1-D operands, odd and empty shapes), pardot multiplies them, and NumPy
# checks each result against np.matmul: the same dtype and shape, integer
# and bool results exactly (random bits of each integer's whole width, so
# sums wrap around at every width), floats np.allclose and within a bound
# relative to |A| @ |B|. Then float16's float32 sums at k = 4096, a
# wrap-around by hand per integer width, and --overflow=error for every
# integer result type.

# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"

py=$(find_numpy)
if [ -z "$py" ]; then
	echo "SKIP dtypes against numpy: python3-numpy not installed (tests/deps.sh installs it)"
	exit 0
fi

# Writes the inputs, cases.txt (NAME|ARGS|OUTPUT), the references, and
# over.txt (NAME|A|B|STATUS|RESULT TYPE) for --overflow=error.
if ! "$py" - <<'EOF'; then
import json
import numpy as np

rng = np.random.default_rng(12)
TYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16",
         "uint32", "uint64", "float16", "float32", "float64", "complex64",
         "complex128"]
cases, refs = [], {}


def rand(shape, t, small=False):
    t = np.dtype(t)
    if t.kind == "b":
        return rng.integers(0, 2, size=shape).astype(t)
    if t.kind in "iu":
        if small:
            return rng.integers(0, 9, size=shape).astype(t)
        bits = rng.integers(0, 2 ** 63, size=shape, dtype=np.uint64) * 2 + \
            rng.integers(0, 2, size=shape, dtype=np.uint64)
        return bits.astype(t)		# the low bytes: any value of t
    if t.kind == "c":
        return (rng.uniform(-1, 1, size=shape) +
                1j * rng.uniform(-1, 1, size=shape)).astype(t)
    return rng.uniform(-2, 2, size=shape).astype(t)


def save(name, a, fortran=False, big=False):
    if big and a.dtype.itemsize > 1:
        a = a.astype(a.dtype.newbyteorder(">"))
    if fortran:
        a = np.asfortranarray(a)
    np.save(name, a)
    return name


def case(name, a, b, ta=False, tb=False, fa=False, fb=False, ba=False,
         bb=False, extra=""):
    i = len(cases)
    fa_name = save("a%d.npy" % i, a, fa, ba)
    fb_name = save("b%d.npy" % i, b, fb, bb)
    opa = a.T if ta and a.ndim == 2 else a
    opb = b.T if tb and b.ndim == 2 else b
    with np.errstate(over="ignore"):
        r = np.matmul(opa, opb)
    refs["r%d" % i] = r
    if r.dtype.kind in "fc":
        refs["b%d" % i] = np.matmul(np.abs(opa).astype(np.float64),
                                    np.abs(opb).astype(np.float64))
        # The exact sum, for float16 (NumPy's own carries a rounding).
        refs["x%d" % i] = np.matmul(opa.astype(np.complex128),
                                    opb.astype(np.complex128))
    args = (["--transpose-a"] if ta else []) + \
        (["--transpose-b"] if tb else []) + extra.split()
    cases.append({"name": name, "out": "c%d.npy" % i, "i": i, "k":
                  opa.shape[-1], "args": " ".join(args + [fa_name, fb_name])})


for x, ta in enumerate(TYPES):
    for y, tb in enumerate(TYPES):
        i = x * len(TYPES) + y
        small = np.result_type(ta, tb) == np.float16
        lay = dict(fa=i % 3 == 0, ba=i % 2 == 1, fb=i % 4 == 1,
                   bb=i % 5 < 2)
        what = " ".join(k for k, v in lay.items() if v)
        if i % 7 == 3:
            case("%s x %s, --transpose-a %s" % (ta, tb, what),
                 rand((67, 7), ta, small), rand((67, 13), tb, small),
                 ta=True, **lay)
        else:
            case("%s x %s %s" % (ta, tb, what), rand((7, 67), ta, small),
                 rand((67, 13), tb, small), **lay)

for t in TYPES:
    s = t == "float16"
    A, B = rand((9, 67), t, s), rand((67, 11), t, s)
    case(t + " 1-D on the left", rand((67,), t, s), B)
    case(t + " 1-D on the right, big-endian Fortran A", A, rand((67,), t, s),
         fa=True, ba=True)
    case(t + " 1-D on both sides", rand((67,), t, s), rand((67,), t, s))
    case(t + " --transpose-b", A, rand((11, 67), t, s), tb=True)
    case(t + " --transpose-a --transpose-b, Fortran B", rand((67, 9), t, s),
         rand((11, 67), t, s), ta=True, tb=True, fb=True)
    for (m, k, n) in [(1, 1, 1), (257, 131, 67), (0, 5, 3), (4, 0, 3),
                      (3, 5, 0)]:
        case("%s %dx%d x %dx%d" % (t, m, k, k, n), rand((m, k), t, s),
             rand((k, n), t, s))
    case(t + " with 3 threads", rand((131, 67), t, s), rand((67, 257), t, s),
         extra="-j 3")

# float16 sums in float32: 4096 products of ones are 4096, not 2048.
case("float16 k=4096 of ones", np.ones((3, 4096), np.float16),
     np.ones((4096, 5), np.float16))
case("float16 1-D k=4096 of ones", np.ones(4096, np.float16),
     np.ones((4096, 2), np.float16))

# A wrap-around worked by hand per integer result width.
for t, a, b in [("int8", 100, 3), ("uint8", 16, 17), ("int16", 200, 200),
                ("uint16", 256, 257), ("int32", 65536, 65537),
                ("uint32", 65536, 65537), ("int64", 2 ** 32, 2 ** 32 + 1),
                ("uint64", 2 ** 63, 3)]:
    case(t + " wraps around", np.full((2, 3), a, t), np.full((3, 4), b, t))

np.savez("refs.npz", **refs)
with open("cases.json", "w") as f:
    json.dump(cases, f)
with open("cases.txt", "w") as f:
    for c in cases:
        f.write("%s|%s|%s\n" % (c["name"], c["args"], c["out"]))

over = [
    ("int8 overflows", [100, 28], "int8", [1, 1], "int8", 1),
    ("int8 just fits", [100, 27], "int8", [1, 1], "int8", 0),
    ("int8 below -128", [-100, -29], "int8", [1, 1], "int8", 1),
    ("uint8 overflows", [200, 56], "uint8", [1, 1], "uint8", 1),
    ("uint8 x int8 is int16, overflows", [255, 255], "uint8",
     [-128, -1], "int8", 1),
    ("uint8 x int8 is int16, fits", [255, 1], "uint8", [-128, 0], "int8", 0),
    ("uint16 overflows", [256], "uint16", [256], "uint16", 1),
    ("int16 fits", [181], "int16", [181], "int16", 0),
    ("uint32 overflows", [65536], "uint32", [65536], "uint32", 1),
    ("uint64 fits at 2^64 - 1", [2 ** 64 - 1, 0], "uint64", [1, 1],
     "uint64", 0),
    ("uint64 overflows", [2 ** 64 - 1, 1], "uint64", [1, 1], "uint64", 1),
    ("bool x int8 overflows", [1, 1], "bool", [127, 1], "int8", 1),
]
with open("over.txt", "w") as f:
    for i, (name, a, ta, b, tb, st) in enumerate(over):
        np.save("oa%d.npy" % i, np.array([a], dtype=ta))
        np.save("ob%d.npy" % i, np.array(b, dtype=tb).reshape(-1, 1))
        f.write("%s|oa%d.npy|ob%d.npy|%d|%s\n" % (
            name, i, i, st, np.result_type(ta, tb).name))
EOF
	fail "numpy writes the inputs" "python failed"
	exit 1
fi

while IFS='|' read -r cname cargs cout; do
	# shellcheck disable=SC2086 # cargs is a list of words without spaces
	expect "$cname: pardot mul" 0 '' "$PARDOT" mul -q $cargs -o "$cout" </dev/null
done <cases.txt

"$py" - <<'EOF'
import json
import os
import numpy as np

cases = json.load(open("cases.json"))
refs = np.load("refs.npz")
# The unit roundoff of the type each float result is summed in.
EPS = {"float16": 2.0 ** -24, "float32": 2.0 ** -24, "complex64": 2.0 ** -24,
       "float64": 2.0 ** -53, "complex128": 2.0 ** -53}


def problem(path, c):
    ref = refs["r%d" % c["i"]]
    if not os.path.exists(path):
        return "pardot wrote no %s" % path
    a = np.load(path)
    if a.dtype != ref.dtype or a.shape != ref.shape:
        return "dtype %s shape %s, np.matmul gives %s %s" % (
            a.dtype, a.shape, ref.dtype, ref.shape)
    if a.dtype.kind in "biu":
        if not np.array_equal(a, ref):
            bad = np.argwhere(a != ref) if a.ndim else [[]]
            return "%d elements differ, first at %s" % (
                len(bad), np.asarray(bad[0]).tolist())
        return None
    half = a.dtype == np.float16
    if not np.allclose(a, ref, rtol=1e-2 if half else 1e-4,
                       atol=1e-2 if half else 1e-4):
        return "not np.allclose to np.matmul"
    # Summation error of k terms, in both parts, and float16's rounding.
    want, bound = refs["x%d" % c["i"]], refs["b%d" % c["i"]]
    lim = (2 * c["k"] + 2) * EPS[a.dtype.name] * bound * 2 + 1e-300
    if half:
        lim = lim + 2.0 ** -11 * (np.abs(want) + lim) + 2.0 ** -24
    err = np.abs(a.astype(np.complex128) - want)
    if not np.all(err <= lim):
        return "error %g beyond its bound" % float(np.max(err - lim))
    return None


for c in cases:
    why = problem(c["out"], c)
    if why:
        print("FAIL %s: matches np.matmul: %s" % (c["name"], why))
    else:
        print("ok %s: matches np.matmul" % c["name"])
EOF

# --overflow=error: the first element that leaves the result type, by
# name and value; nothing written, an existing output left alone.
echo keep >keep.npy
while IFS='|' read -r oname oa ob ost otype; do
	cp keep.npy over.npy
	if [ "$ost" = 0 ]; then
		expect "--overflow=error: $oname" 0 '' \
		    "$PARDOT" mul -q --overflow=error "$oa" "$ob" -o over.npy
	else
		expect "--overflow=error: $oname" 1 \
		    "^pardot: mul: C\\[0, 0\\] overflows $otype \\(its exact value is -?[0-9]+, (above|below) -?[0-9]+\\)$" \
		    "$PARDOT" mul -q --overflow=error "$oa" "$ob" -o over.npy
		same_file "--overflow=error: $oname: existing output intact" \
		    over.npy keep.npy
	fi
done <over.txt
no_temporaries "dtypes leave no temporaries"
