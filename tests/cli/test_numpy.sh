#!/bin/sh
# shellcheck disable=SC2154 # $status is set by lib.sh's run
#
# Interoperability with NumPy: NumPy writes the inputs (all 14 numeric
# dtypes, both memory orders, both byte orders, format versions 1.0 to 3.0,
# 1-D operands, stacks with broadcasting, odd shapes), pardot multiplies them, and NumPy checks each result against
# np.matmul: dtype, shape and values, and that the file is what pardot
# promises (version 1.0, C order, data offset a multiple of 64, no trailing
# bytes, loadable with mmap_mode='r'). One Python process writes every
# input and one checks every output; pardot runs once per case in between.

# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"

py=$(find_numpy)
if [ -z "$py" ]; then
	echo "SKIP numpy interop: python3-numpy not installed"
	exit 0
fi

# Writes the inputs, cases.txt (NAME|pardot mul ARGS|OUTPUT), info.txt
# (FILE|REGEX for pardot info), cmp.txt (X|Y|STATUS for pardot cmp), and
# the expected results in refs.npz with their description in cases.json.
if ! "$py" - <<'EOF'; then
import json
import numpy as np

rng = np.random.default_rng(20240601)
DT = {"f8": np.float64, "f4": np.float32, "i8": np.int64, "i4": np.int32,
      "b1": np.bool_, "i1": np.int8, "i2": np.int16, "u1": np.uint8,
      "u2": np.uint16, "u4": np.uint32, "u8": np.uint64, "f2": np.float16,
      "c8": np.complex64, "c16": np.complex128}
# Relative to the sum of |products|, what each inexact result may differ by:
# float16 rounds once at the end of a float32 sum.
RTOL = {"f2": 2e-3, "f4": 1e-4, "c8": 1e-4, "f8": 1e-10, "c16": 1e-10}
cases, refs, nfiles = [], {}, [0]


def rand(shape, t, big=False):
    t = np.dtype(DT[t])
    if t.kind == "f":
        return rng.uniform(-1, 1, size=shape).astype(t)
    if t.kind == "c":
        return (rng.uniform(-1, 1, size=shape) +
                1j * rng.uniform(-1, 1, size=shape)).astype(t)
    if t.kind == "b":
        return rng.integers(0, 2, size=shape).astype(t)
    lim = 2 ** (t.itemsize * 8 - 2) if big else min(50, 2 ** (t.itemsize * 8 - 2))
    lo = 0 if t.kind == "u" else -lim
    return rng.integers(lo, lim, size=shape, dtype=t)


def save(a, fortran=False, big=False, version=None, ext=".npy"):
    """Writes a with NumPy and returns the file name."""
    nfiles[0] += 1
    name = "in%d%s" % (nfiles[0], ext)
    if big:
        a = a.astype(a.dtype.newbyteorder(">"))
    if fortran:
        a = np.asfortranarray(a)
    with open(name, "wb") as f:
        np.lib.format.write_array(f, a, version=version)
    return name


def case(name, a, b, ta=False, tb=False, fa=False, fb=False, ba=False,
         bb=False, va=None, vb=None, exta=".npy"):
    """One multiply: a and b are the arrays as stored (before transposes)."""
    fa_name = save(a, fa, ba, va, exta)
    fb_name = save(b, fb, bb, vb)
    opa = np.swapaxes(a, -1, -2) if ta and a.ndim >= 2 else a
    opb = np.swapaxes(b, -1, -2) if tb and b.ndim >= 2 else b
    rt = np.result_type(a.dtype, b.dtype)
    i = len(cases)
    if rt.kind in "fc":
        wide = np.complex128 if rt.kind == "c" else np.float64
        x, y = opa.astype(wide), opb.astype(wide)
        refs["r%d" % i] = np.matmul(x, y)
        refs["b%d" % i] = np.matmul(np.abs(x), np.abs(y))
    else:
        refs["r%d" % i] = np.matmul(opa.astype(rt), opb.astype(rt))
    args = (["--transpose-a"] if ta else []) + (["--transpose-b"] if tb else [])
    out = "out%d.npy" % i
    cases.append({"name": name, "args": " ".join(args + [fa_name, fb_name]),
                  "out": out, "dtype": rt.str.lstrip("<>=|"),
                  "rtol": RTOL.get(rt.str.lstrip("<>=|"), 0), "i": i})


names = list(DT)
for ta in names:
    for tb in names:
        case("%s x %s promotes as NumPy" % (ta, tb), rand((7, 67), ta),
             rand((67, 13), tb))

for t in names:
    A, B = rand((9, 67), t), rand((67, 11), t)
    case(t + " Fortran-order A", A, B, fa=True)
    case(t + " Fortran-order B", A, B, fb=True)
    case(t + " Fortran-order A and B", A, B, fa=True, fb=True)
    case(t + " big-endian A", A, B, ba=True)
    case(t + " big-endian B", A, B, bb=True)
    case(t + " big-endian A and B", A, B, ba=True, bb=True)
    case(t + " big-endian Fortran-order A and B", A, B, fa=True, fb=True,
         ba=True, bb=True)
    case(t + " format 2.0 A, 3.0 B", A, B, va=(2, 0), vb=(3, 0))
    case(t + " format 3.0 A, 1.0 B", A, B, va=(3, 0), vb=(1, 0))
    case(t + " format 2.0 big-endian Fortran A", A, B, va=(2, 0), fa=True,
         ba=True)
    case(t + " .npy data in a .bin file", A, B, exta=".bin")
    case(t + " --transpose-a", rand((67, 9), t), B, ta=True)
    case(t + " --transpose-b", A, rand((11, 67), t), tb=True)
    case(t + " --transpose-a --transpose-b", rand((67, 9), t),
         rand((11, 67), t), ta=True, tb=True)
    case(t + " --transpose-a on a Fortran-order A", rand((67, 9), t), B,
         ta=True, fa=True)
    case(t + " --transpose-b on a big-endian Fortran-order B", A,
         rand((11, 67), t), tb=True, fb=True, bb=True)
    v, w = rand((67,), t), rand((9,), t)
    case(t + " 1-D on the left", v, B)
    case(t + " 1-D on the right", A, v)
    case(t + " 1-D on both sides (0-d result)", v, rand((67,), t))
    case(t + " 1-D on the left, transposed B", w, rand((67, 9), t), tb=True)
    case(t + " 1-D on the right, transposed A", rand((67, 9), t), v, ta=True)
    case(t + " --transpose-a on a 1-D A changes nothing", v, B, ta=True)
    case(t + " big-endian 1-D on the left", v, B, ba=True)
    for (m, k, n) in [(1, 1, 1), (1, 7, 1), (7, 1, 7), (67, 257, 5),
                      (13, 17, 19), (31, 37, 41), (257, 131, 67),
                      (0, 5, 3), (4, 0, 3), (4, 5, 0), (0, 0, 0), (1, 0, 1)]:
        case("%s %dx%d x %dx%d" % (t, m, k, k, n), rand((m, k), t),
             rand((k, n), t))
    case(t + " 1-D of 0 x 0x3", rand((0,), t), rand((0, 3), t))

# Stacks: NumPy's broadcasting of the leading dimensions.
for t in ("f8", "f4", "i4", "c16", "u1", "f2", "b1"):
    S = lambda *shape: rand(shape, t)
    case(t + " stack (3,7,67) x (67,13)", S(3, 7, 67), S(67, 13))
    case(t + " stack (7,67) x (2,67,13)", S(7, 67), S(2, 67, 13))
    case(t + " stack (2,1,7,5) x (4,5,3)", S(2, 1, 7, 5), S(4, 5, 3))
    case(t + " stack (3,7,5) x (3,5,1)", S(3, 7, 5), S(3, 5, 1))
    case(t + " stack 1-D (5,) x (3,5,4)", S(5), S(3, 5, 4))
    case(t + " stack (3,4,5) x 1-D (5,)", S(3, 4, 5), S(5))
    case(t + " stack empty batch (0,7,5) x (5,3)", S(0, 7, 5), S(5, 3))
    case(t + " stack Fortran-order (2,7,67) x (2,67,13)", S(2, 7, 67),
         S(2, 67, 13), fa=True, fb=True)
    case(t + " stack big-endian (2,3,7,5) x (5,3)", S(2, 3, 7, 5), S(5, 3),
         ba=True)
    case(t + " stack --transpose-a --transpose-b", S(2, 67, 7),
         S(2, 13, 67), ta=True, tb=True)
case("stack i1 x f4 (2,7,5) x (5,3)", rand((2, 7, 5), "i1"), rand((5, 3), "f4"))
case("stack c8 x f8 (2,7,5) x (2,5,3)", rand((2, 7, 5), "c8"),
     rand((2, 5, 3), "f8"))

# float16 sums in float32: 4096 products of ones give 4096, not 2048.
case("f2 4096 ones sum in float32", np.ones((3, 4096), np.float16),
     np.ones((4096, 2), np.float16))

# Sparse bools, whose products NumPy reads to the end: pardot's bitsets
# (64 bools a word, tested 512 at a time, k in pieces of up to 8192)
# across word, chunk and piece edges, in every layout.
def sparse(shape, p):
    return rng.uniform(size=shape) < p


for (m, k, n, p) in [(67, 1031, 65, 0.01), (65, 513, 257, 0.003),
                     (2, 2000, 67, 0.01), (40, 8300, 3, 0.0005),
                     (64, 64, 64, 0.05), (7, 63, 1, 0.1)]:
    A, B = sparse((m, k), p), sparse((k, n), p)
    name = "b1 %dx%d x %dx%d, %g true" % (m, k, k, n, p)
    case(name, A, B)
    case(name + ", Fortran-order A and B", A, B, fa=True, fb=True)
case("b1 sparse --transpose-a --transpose-b", sparse((513, 7), 0.01),
     sparse((9, 513), 0.01), ta=True, tb=True)

# Integer overflow must wrap around exactly as NumPy's does.
for t in ("i8", "i4", "i2", "i1", "u8", "u4", "u2", "u1"):
    A, B = rand((6, 40), t, big=True), rand((40, 5), t, big=True)
    case(t + " overflow wraps", A, B)
    case(t + " overflow wraps, big-endian Fortran A", A, B, fa=True, ba=True)
    case(t + " overflow wraps, --transpose-b", A, rand((5, 40), t, big=True),
         tb=True)
    case(t + " overflow wraps, 257x129 x 129x67", rand((257, 129), t, True),
         rand((129, 67), t, True))
case("i4 x i8 overflow wraps in int64", rand((6, 40), "i4", True),
     rand((40, 5), "i8", True))
case("i8 x i4 overflow wraps in int64", rand((6, 40), "i8", True),
     rand((40, 5), "i4", True))

np.savez("refs.npz", **refs)
with open("cases.json", "w") as f:
    json.dump(cases, f)
with open("cases.txt", "w") as f:
    for c in cases:
        f.write("%s|%s|%s\n" % (c["name"], c["args"], c["out"]))

# pardot info and cmp on files that NumPy wrote.
M = rng.uniform(size=(5, 3))
layouts = [("c.npy", M, {}), ("f.npy", np.asfortranarray(M), {}),
           ("be.npy", M.astype(">f8"), {}), ("v2.npy", M, {"version": (2, 0)}),
           ("v3.npy", M, {"version": (3, 0)}),
           ("i4f.npy", np.asfortranarray(M * 100).astype(np.int32), {})]
for name, a, kw in layouts:
    with open(name, "wb") as f:
        np.lib.format.write_array(f, a, **kw)
with open("info.txt", "w") as f:
    f.write("c.npy|^c\\.npy: shape 5x3, float64, little-endian, C order, npy 1\\.0, data offset 128, data size 120 bytes$\n")
    f.write("f.npy|^f\\.npy: shape 5x3, float64, little-endian, Fortran order, npy 1\\.0, data offset 128, data size 120 bytes$\n")
    f.write("be.npy|^be\\.npy: shape 5x3, float64, big-endian, C order, npy 1\\.0, data offset 128, data size 120 bytes$\n")
    f.write("v2.npy|^v2\\.npy: shape 5x3, float64, little-endian, C order, npy 2\\.0, data offset 128, data size 120 bytes$\n")
    f.write("v3.npy|^v3\\.npy: shape 5x3, float64, little-endian, C order, npy 3\\.0, data offset 128, data size 120 bytes$\n")
    f.write("i4f.npy|^i4f\\.npy: shape 5x3, int32, little-endian, Fortran order, npy 1\\.0, data offset 128, data size 60 bytes$\n")
with open("cmp.txt", "w") as f:
    for x in ("f.npy", "be.npy", "v2.npy", "v3.npy"):
        f.write("c.npy|%s|0\n" % x)
    f.write("c.npy|i4f.npy|1\n")
EOF
	fail "numpy writes the inputs" "python failed"
	exit 1
fi

while IFS='|' read -r cname cargs cout; do
	# shellcheck disable=SC2086 # cargs is a list of words without spaces
	expect "$cname: pardot mul" 0 '' "$PARDOT" mul $cargs -o "$cout" </dev/null
done <cases.txt

while IFS='|' read -r ifile iregex; do
	expect "info on NumPy's $ifile" 0 '' "$PARDOT" info "$ifile" </dev/null
	if grep -Eq -- "$iregex" out; then
		ok "info on NumPy's $ifile: fields"
	else
		fail "info on NumPy's $ifile: fields" "$(cat out)"
	fi
done <info.txt

while IFS='|' read -r cx cy cst; do
	expect "cmp on NumPy's $cx $cy: status $cst" "$cst" '' \
	    "$PARDOT" cmp "$cx" "$cy" </dev/null
done <cmp.txt

"$py" - <<'EOF'
import json
import os
import numpy as np

cases = json.load(open("cases.json"))
refs = np.load("refs.npz")


def file_problem(path, want_dtype, want_shape):
    """What is wrong with the file's layout, or None."""
    with open(path, "rb") as f:
        raw = f.read(12)
        if raw[:6] != b"\x93NUMPY":
            return "no .npy magic"
        if raw[6:8] != b"\x01\x00":
            return "format version %d.%d, not 1.0" % (raw[6], raw[7])
        f.seek(8)
        hlen = int.from_bytes(raw[8:10], "little")
        off = 10 + hlen
        f.seek(0)
        np.lib.format.read_magic(f)
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
    if off % 64 != 0:
        return "data offset %d is not a multiple of 64" % off
    if fortran:
        return "Fortran order"
    if dtype.str[0] == ">":
        return "big-endian dtype %s" % dtype.str
    if dtype != np.dtype(want_dtype):
        return "dtype %s, wanted %s" % (dtype, want_dtype)
    if tuple(shape) != tuple(want_shape):
        return "shape %s, wanted %s" % (shape, want_shape)
    size = os.path.getsize(path)
    want_size = off + dtype.itemsize * int(np.prod(shape, dtype=np.int64))
    if size != want_size:
        return "file is %d bytes, wanted %d (trailing bytes?)" % (size, want_size)
    return None


def value_problem(path, c, ref):
    a = np.load(path, mmap_mode="r")
    if a.dtype != np.dtype(c["dtype"]) or a.shape != ref.shape:
        return "np.load gives %s %s, wanted %s %s" % (
            a.dtype, a.shape, c["dtype"], ref.shape)
    if a.dtype.kind not in "fc":
        if not np.array_equal(np.asarray(a), ref.astype(a.dtype)):
            bad = np.argwhere(np.asarray(a) != ref.astype(a.dtype))
            return "%d of %d differ, first at %s" % (
                len(bad), a.size, bad[0].tolist() if len(bad) else "?")
        return None
    bound = refs["b%d" % c["i"]]
    wide = np.complex128 if a.dtype.kind == "c" else np.float64
    err = np.abs(np.asarray(a, dtype=wide) - ref)
    ok_ = err <= c["rtol"] * bound
    if not np.all(ok_):
        bad = np.argwhere(~ok_) if ok_.ndim else [[]]
        return "values differ beyond rtol %g (first at %s, max error %g)" % (
            c["rtol"], np.asarray(bad[0]).tolist(), float(np.max(err)))
    return None


for c in cases:
    ref = refs["r%d" % c["i"]]
    name, path = c["name"], c["out"]
    if not os.path.exists(path):
        print("FAIL %s: v1.0 C-order header, 64-byte aligned, no trailing bytes: pardot wrote no %s" % (name, path))
        print("FAIL %s: NumPy loads it, dtype %s, shape and values match np.matmul: pardot wrote no %s" % (name, c["dtype"], path))
        continue
    try:
        why = file_problem(path, c["dtype"], ref.shape)
    except Exception as e:
        why = "unreadable header: %s" % e
    if why:
        print("FAIL %s: v1.0 C-order header, 64-byte aligned, no trailing bytes: %s" % (name, why))
    else:
        print("ok %s: v1.0 C-order header, 64-byte aligned, no trailing bytes" % name)
    try:
        why = value_problem(path, c, ref)
    except Exception as e:
        why = "np.load(mmap_mode='r') failed: %s" % e
    if why:
        print("FAIL %s: NumPy loads it, dtype %s, shape and values match np.matmul: %s" % (name, c["dtype"], why))
    else:
        print("ok %s: NumPy loads it, dtype %s, shape and values match np.matmul" % (name, c["dtype"]))
EOF
