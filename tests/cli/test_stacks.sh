#!/bin/sh
# shellcheck disable=SC2154 # $status is set by lib.sh's run
#
# Stacks of matrices in mul, against np.matmul: every form of NumPy's
# broadcasting of the leading dimensions, 1-D operands against stacks,
# empty batches, C and Fortran order, byte orders, transposes of the last
# two dimensions, odd sizes, the four dtypes and their mixes; the same bits
# for -j1, -j2 and -j3; raw N-d inputs with --dtype-a and --dtype-b; the
# mismatch refusal (exit 1, nothing written, an existing output intact);
# --overflow=error naming the element of a stack; out of core.

# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"
P=$PARDOT

py=$(find_numpy)
if [ -z "$py" ]; then
	echo "SKIP stacks: python3-numpy not installed"
	exit 0
fi

# NumPy writes the inputs, cases.txt (NAME|ARGS|OUTPUT) and the expected
# results (refs.npz, cases.json).
if ! "$py" - <<'EOF'; then
import json
import numpy as np

rng = np.random.default_rng(20261202)
DT = {"f8": np.float64, "f4": np.float32, "i8": np.int64, "i4": np.int32}
cases, refs, n = [], {}, [0]


def rand(shape, t):
    t = np.dtype(DT[t])
    if t.kind == "f":
        return rng.uniform(-1, 1, size=shape).astype(t)
    return rng.integers(-50, 50, size=shape, dtype=t)


def save(a, fortran=False, big=False):
    n[0] += 1
    name = "in%d.npy" % n[0]
    if big:
        a = a.astype(a.dtype.newbyteorder(">"))
    np.save(name, np.asfortranarray(a) if fortran else a)
    return name


def op(x, t):
    return np.swapaxes(x, -1, -2) if t and x.ndim >= 2 else x


def case(name, a, b, ta=False, tb=False, fa=False, fb=False, ba=False,
         bb=False, extra=()):
    fa_name, fb_name = save(a, fa, ba), save(b, fb, bb)
    x, y = op(a, ta), op(b, tb)
    rt = np.result_type(a.dtype, b.dtype)
    i = len(cases)
    if rt.kind == "f":
        refs["r%d" % i] = np.matmul(x.astype(np.float64), y.astype(np.float64))
        refs["b%d" % i] = np.matmul(np.abs(x.astype(np.float64)),
                                    np.abs(y.astype(np.float64)))
    else:
        refs["r%d" % i] = np.matmul(x.astype(rt), y.astype(rt))
    args = list(extra) + (["--transpose-a"] if ta else []) + \
        (["--transpose-b"] if tb else [])
    cases.append({"name": name, "args": " ".join(args + [fa_name, fb_name]),
                  "out": "out%d.npy" % i, "dtype": rt.str.lstrip("<>=|"),
                  "rtol": 1e-4 if rt == np.float32 else 1e-10, "i": i})


FORMS = [
    ("(b, m, k) @ (k, n)", (3, 7, 5), (5, 6)),
    ("(m, k) @ (b, k, n)", (7, 5), (3, 5, 6)),
    ("(b, m, k) @ (b, k, n)", (3, 7, 5), (3, 5, 6)),
    ("(2, 1, m, k) @ (4, k, n)", (2, 1, 7, 5), (4, 5, 6)),
    ("(1, m, k) @ (4, k, n)", (1, 7, 5), (4, 5, 6)),
    ("(2, 3, m, k) @ (3, k, n)", (2, 3, 7, 5), (3, 5, 6)),
    ("(2, 3, m, k) @ (k, n)", (2, 3, 7, 5), (5, 6)),
    ("(3, 1, m, k) @ (1, 2, k, n)", (3, 1, 7, 5), (1, 2, 5, 6)),
    ("(k,) @ (b, k, n)", (5,), (3, 5, 6)),
    ("(b, m, k) @ (k,)", (3, 7, 5), (5,)),
    ("(2, 3, m, k) @ (k,)", (2, 3, 7, 5), (5,)),
    ("(k,) @ (2, 1, k, n)", (5,), (2, 1, 5, 6)),
    ("(1, 1, m, k) @ (k, n), a stack of one", (1, 1, 7, 5), (5, 6)),
    ("(b, 1, k) @ (k, n)", (4, 1, 5), (5, 6)),
    ("(b, m, 1) @ (b, 1, n)", (4, 7, 1), (4, 1, 6)),
]
for t in DT:
    for name, sa, sb in FORMS:
        A, B = rand(sa, t), rand(sb, t)
        case("%s %s" % (t, name), A, B)
        case("%s %s, Fortran-order A" % (t, name), A, B, fa=True)
        case("%s %s, Fortran-order B" % (t, name), A, B, fb=True)
        case("%s %s, big-endian Fortran-order A and B" % (t, name), A, B,
             fa=True, fb=True, ba=True, bb=True)
    case(t + " --transpose-a of a stack", rand((3, 5, 7), t), rand((5, 6), t),
         ta=True)
    case(t + " --transpose-b of a stack", rand((3, 7, 5), t),
         rand((3, 6, 5), t), tb=True)
    case(t + " --transpose-a --transpose-b, broadcast", rand((2, 1, 5, 7), t),
         rand((4, 6, 5), t), ta=True, tb=True)
    case(t + " --transpose-a of a Fortran-order stack", rand((3, 5, 7), t),
         rand((3, 5, 6), t), ta=True, fa=True)
    case(t + " --transpose-b on a 1-D B changes nothing", rand((3, 7, 5), t),
         rand((5,), t), tb=True)

for t in ("f8", "i4"):
    for (m, k, nn) in [(1, 1, 1), (1, 7, 1), (7, 1, 7), (67, 7, 1),
                       (7, 67, 7), (1, 67, 67), (67, 67, 67)]:
        case("%s 5x%dx%d @ 5x%dx%d" % (t, m, k, k, nn), rand((5, m, k), t),
             rand((5, k, nn), t))
        case("%s 67x%dx%d @ %dx%d" % (t, m, k, k, nn), rand((67, m, k), t),
             rand((k, nn), t))
    case(t + " empty batch (0, m, k) @ (k, n)", rand((0, 7, 5), t),
         rand((5, 6), t))
    case(t + " empty batch (1, m, k) @ (0, k, n)", rand((1, 7, 5), t),
         rand((0, 5, 6), t))
    case(t + " empty batch (2, 0, m, k) @ (2, 1, k, n)", rand((2, 0, 7, 5), t),
         rand((2, 1, 5, 6), t))
    case(t + " empty matrices (3, 0, k) @ (3, k, n)", rand((3, 0, 5), t),
         rand((3, 5, 6), t))
    case(t + " empty sums (3, m, 0) @ (3, 0, n)", rand((3, 7, 0), t),
         rand((3, 0, 6), t))

# Results over 4 MiB: the finished matrices are written to disk (and
# unmapped) a slice at a time while the rest is computed, at boundaries
# that fall inside pages.
case("f8 a 5 MiB result, in two slices", rand((40, 131, 67), "f8"),
     rand((40, 67, 129), "f8"))
case("f8 a 9 MiB result of 3000 small matrices, in three slices",
     rand((3000, 13, 11), "f8"), rand((3000, 11, 29), "f8"))
case("i4 a 4.5 MiB result, in two slices", rand((2, 3, 131, 67), "i4"),
     rand((3, 67, 997), "i4"))

for ta in DT:
    for tb in DT:
        if ta != tb:
            case("%s x %s stacks promote as NumPy" % (ta, tb),
                 rand((2, 1, 7, 13), ta), rand((3, 13, 5), tb))

np.savez("refs.npz", **refs)
with open("cases.json", "w") as f:
    json.dump(cases, f)
with open("cases.txt", "w") as f:
    for c in cases:
        f.write("%s|%s|%s\n" % (c["name"], c["args"], c["out"]))

# Raw inputs: the same bytes as .npy files, for the raw cases below.
a = rng.uniform(-1, 1, size=(3, 4, 5)).astype(np.float32)
b = rng.integers(-50, 50, size=(2, 1, 5, 6), dtype=np.int32)
a.tofile("a.raw")
b.tofile("b.raw")
np.save("a_raw.npy", a)
np.save("b_raw.npy", b)
c = np.matmul(a.astype(np.float64), b.astype(np.float64))
np.save("raw_ref.npy", c)
# Large enough that -j2 multiplies each matrix on both threads and -j3
# shares the stack out: every path, the same bits.
np.save("ja.npy", rng.uniform(-1, 1, size=(2, 400, 300)))
np.save("jb.npy", rng.uniform(-1, 1, size=(2, 300, 300)))
np.save("jsa.npy", rng.uniform(-1, 1, size=(200, 9, 67)))
np.save("jsb.npy", rng.uniform(-1, 1, size=(200, 67, 9)))
np.save("j2d.npy", rng.uniform(-1, 1, size=(67, 5)))
np.save("jia.npy", rng.integers(-9, 9, size=(3, 1, 67, 31), dtype=np.int64))
np.save("jib.npy", rng.integers(-9, 9, size=(5, 31, 67), dtype=np.int64))
# Out of core: 4 matrices of 400 x 400 on each side, C 5 MiB.
np.save("oa.npy", rng.uniform(-1, 1, size=(4, 400, 400)))
np.save("ob.npy", rng.uniform(-1, 1, size=(4, 400, 400)))
np.save("oc_ref.npy", np.load("oa.npy") @ np.load("ob.npy"))
# Mismatched and overflowing stacks.
np.save("m3.npy", rng.uniform(size=(3, 4, 5)))
np.save("m2.npy", rng.uniform(size=(2, 5, 6)))
np.save("m23.npy", rng.uniform(size=(2, 3, 4, 5)))
np.save("m42.npy", rng.uniform(size=(4, 2, 5, 6)))
big = np.zeros((3, 2, 2), dtype=np.int32)
big[2, 1, :] = 2 ** 30
np.save("ov_a.npy", big)
np.save("ov_b.npy", np.ones((2, 2), dtype=np.int32))
np.save("ov_b3.npy", np.ones((3, 2, 2), dtype=np.int32))
EOF
	fail "numpy writes the stacks" "python failed"
	exit 1
fi

while IFS='|' read -r cname cargs cout; do
	# shellcheck disable=SC2086 # cargs is a list of words without spaces
	expect "$cname: pardot mul" 0 '' "$P" mul $cargs -o "$cout" </dev/null
done <cases.txt

# ---- the same bits for any thread count -------------------------------------
for pair in "ja jb" "jsa jsb" "jia jib"; do
	set -- $pair
	for j in 1 2 3; do
		expect "$1 @ $2 -j$j" 0 '' "$P" mul "$1.npy" "$2.npy" -o "j$j.npy" -j$j
	done
	same_file "$1 @ $2: -j2 gives -j1's bits" j1.npy j2.npy
	same_file "$1 @ $2: -j3 gives -j1's bits" j1.npy j3.npy
	cp j1.npy "jref-$1.npy"
done
expect "a stack of 200 -v: the matrices shared among the threads" 0 \
    'matrices shared among the threads' "$P" mul jsa.npy jsb.npy -o v.npy -v -j2
expect "-v: a stack of 200: 9x67 float64 x 67x9 float64 -> 200x9x9 float64" 0 \
    'a stack of 200: 9x67 float64 x 67x9 float64 -> 200x9x9 float64' \
    "$P" mul jsa.npy jsb.npy -o v.npy -v
expect "-v: a stack times one matrix is folded into one" 0 \
    'the stack multiplied as one 1800x67 matrix' "$P" mul -v \
    jsa.npy j2d.npy -o v.npy
expect "--stats json: the stack's shapes" 0 \
    '"shape":\[200,9,9\]' "$P" mul jsa.npy jsb.npy -o v.npy --stats json

# ---- raw N-d inputs, --dtype-a and --dtype-b --------------------------------
expect "raw 3x4x5 float32 @ raw 2x1x5x6 int32 (--dtype-a, --dtype-b)" 0 '' \
    "$P" mul --raw-a 3x4x5 --dtype-a float32 --raw-b 2x1x5x6 --dtype-b int32 \
    a.raw b.raw -o raw1.npy
expect "the same from .npy files" 0 '' "$P" mul a_raw.npy b_raw.npy -o raw2.npy
same_file "raw N-d inputs give the .npy files' result" raw1.npy raw2.npy
expect "--dtype sets both, --dtype-b overrides it for B" 0 '' \
    "$P" mul --raw-a 3x4x5 --raw-b 2x1x5x6 --dtype-b i4 --dtype f4 \
    a.raw b.raw -o raw3.npy
same_file "--dtype f4 --dtype-b i4 gives the same" raw1.npy raw3.npy
expect "raw A with --dtype-a and a .npy B" 0 '' \
    "$P" mul --raw-a 3x4x5 --dtype-a f4 a.raw b_raw.npy -o raw4.npy
same_file "raw A and .npy B gives the same" raw1.npy raw4.npy
expect "--dtype-a without --raw-a refused" 2 '^pardot: --dtype-a: applies only to a raw A' \
    "$P" mul --dtype-a f4 a_raw.npy b_raw.npy -o raw5.npy
expect "--dtype-b without --raw-b refused" 2 '^pardot: --dtype-b: applies only to a raw B' \
    "$P" mul --raw-a 3x4x5 --dtype-a f4 --dtype-b i4 a.raw b_raw.npy -o raw5.npy
expect "raw B without its dtype refused" 2 '^pardot: mul: raw input B needs --dtype or --dtype-b' \
    "$P" mul --raw-a 3x4x5 --dtype-a f4 --raw-b 2x1x5x6 a.raw b.raw -o raw5.npy
expect "--dtype-a unknown type refused" 2 "^pardot: --dtype-a: unknown dtype 'f3'" \
    "$P" mul --raw-a 3x4x5 --dtype-a f3 a.raw b_raw.npy -o raw5.npy
expect "raw 3x4x6 does not fit the file's size" 1 \
    '^pardot: a\.raw: file is 240 bytes but 3x4x6 float32 needs 288' \
    "$P" mul --raw-a 3x4x6 --dtype-a f4 a.raw b_raw.npy -o raw5.npy
if [ -e raw5.npy ]; then fail "refused raw runs write nothing" "raw5.npy exists"; else ok "refused raw runs write nothing"; fi

# ---- mismatched batch dimensions --------------------------------------------
echo keep >c.npy
expect "(3,) and (2,) do not broadcast" 1 \
    '^pardot: mul: batch dimensions \(3,\) and \(2,\) do not broadcast$' \
    "$P" mul m3.npy m2.npy -o c.npy
is "a refused stack leaves the existing output intact" "$(cat c.npy)" keep
expect "(2, 3) and (4, 2) do not broadcast" 1 \
    '^pardot: mul: batch dimensions \(2, 3\) and \(4, 2\) do not broadcast$' \
    "$P" mul m23.npy m42.npy -o new.npy
if [ -e new.npy ]; then fail "a refused stack writes nothing" "new.npy exists"; else ok "a refused stack writes nothing"; fi
no_temporaries "no temporary left by refused stacks"
expect "inner dimensions of a stack" 1 \
    '^pardot: mul: m3\.npy is 3x4x5 but m3\.npy is 3x4x5: inner dimensions differ \(5 and 4\)$' \
    "$P" mul m3.npy m3.npy -o new.npy

# ---- --overflow=error in a stack --------------------------------------------
expect "--overflow=error: C[2, 1, 0] of a stack times a matrix" 1 \
    '^pardot: mul: C\[2, 1, 0\] overflows int32 \(its exact value is 2147483648, above 2147483647\)$' \
    "$P" mul --overflow=error ov_a.npy ov_b.npy -o ov.npy
expect "--overflow=error: C[2, 1, 0] of a stack times a stack" 1 \
    '^pardot: mul: C\[2, 1, 0\] overflows int32' \
    "$P" mul --overflow=error ov_a.npy ov_b3.npy -o ov.npy
expect "--overflow=error: a stack that does not overflow" 0 '' \
    "$P" mul --overflow=error ov_b3.npy ov_b.npy -o ov.npy

# ---- out of core: matrix by matrix ------------------------------------------
expect "a stack out of core (--mem-limit 3M)" 0 'out of core' \
    "$P" mul -v --mem-limit 3M oa.npy ob.npy -o oc.npy

# ---- under mpirun: refused for now ------------------------------------------
TOP=$(cd "$TESTS/.." && pwd)
if [ -n "$PARDOT_VALGRIND" ] || [ -n "$PARDOT_SANITIZED" ] ||
    ! command -v mpicc >/dev/null 2>&1 || ! command -v mpirun >/dev/null 2>&1
then
	echo "SKIP stacks under mpirun: no Open MPI, or under valgrind or sanitizers (the MPI binary has neither)"
elif ! mpi_build build.log; then
	fail "make MPI=1 for the stack refusal" "$(tail -n 3 build.log)"
else
	# mpirun adds lines of its own about the rank that exited 1.
	run mpirun --oversubscribe --allow-run-as-root -n 2 \
	    "$TOP/build/mpi/pardot" mul jsa.npy jsb.npy -o mpi.npy
	if [ "$status" != 0 ] && [ "$(grep -c '^pardot: ' err)" = 1 ] &&
	    grep -q '^pardot: mul: stacks are not supported with MPI yet' err; then
		ok "a stack under mpirun -n 2 is refused, once"
	else
		fail "a stack under mpirun -n 2 is refused, once" "status $status: $(head -c 400 err)"
	fi
	if [ -e mpi.npy ]; then fail "a refused MPI stack writes nothing" "mpi.npy exists"; else ok "a refused MPI stack writes nothing"; fi
fi

# ---- NumPy checks every result ----------------------------------------------
"$py" - <<'EOF'
import json
import os
import numpy as np

cases = json.load(open("cases.json"))
refs = np.load("refs.npz")


def problem(path, c, ref):
    if not os.path.exists(path):
        return "pardot wrote no %s" % path
    a = np.load(path, mmap_mode="r")
    if a.dtype != np.dtype(c["dtype"]) or a.shape != ref.shape:
        return "np.load gives %s %s, wanted %s %s" % (
            a.dtype, a.shape, c["dtype"], ref.shape)
    if a.dtype.kind != "f":
        if not np.array_equal(np.asarray(a), ref.astype(a.dtype)):
            return "values differ from np.matmul"
        return None
    err = np.abs(np.asarray(a, dtype=np.float64) - ref)
    if not np.all(err <= c["rtol"] * refs["b%d" % c["i"]]):
        return "values differ beyond rtol %g (max error %g)" % (
            c["rtol"], float(np.max(err)))
    return None


for c in cases:
    why = problem(c["out"], c, refs["r%d" % c["i"]])
    label = "%s: NumPy loads it, dtype, shape and values of np.matmul" % c["name"]
    print("FAIL %s: %s" % (label, why) if why else "ok " + label)


def close(name, path, ref_path_or_array):
    ref = ref_path_or_array
    if isinstance(ref, str):
        ref = np.load(ref)
    if not os.path.exists(path):
        print("FAIL %s: no %s" % (name, path))
        return
    got = np.load(path)
    if got.shape == ref.shape and got.dtype == ref.dtype and \
            np.allclose(got, ref, rtol=1e-6, atol=1e-9):
        print("ok " + name)
    else:
        print("FAIL %s: %s %s against %s %s" % (name, got.dtype, got.shape,
                                                ref.dtype, ref.shape))


close("raw N-d inputs: np.matmul's result", "raw1.npy", "raw_ref.npy")
close("out of core: np.matmul's result", "oc.npy", "oc_ref.npy")
for x, y in (("ja", "jb"), ("jsa", "jsb"), ("jia", "jib")):
    ref = np.matmul(np.load(x + ".npy"), np.load(y + ".npy"))
    close("%s @ %s: np.matmul's result" % (x, y), "jref-%s.npy" % x, ref)
EOF
