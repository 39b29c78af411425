#!/bin/sh
# shellcheck disable=SC2154 # $status is set by lib.sh's run
#
# info, cmp, convert and gen on every NumPy numeric dtype, in either byte
# order, C or Fortran order, and any number of dimensions, against NumPy
# itself: files that NumPy wrote, what np.load reads back, np.astype,
# np.savetxt and np.loadtxt, np.isclose. Then hostile N-d inputs.

# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"

P=$PARDOT

# ---- without NumPy: stacks and the text refusal -----------------------------

expect "gen a stack of matrices" 0 '' "$P" gen 8x10x10 --dtype uint8 -o st.npy
expect "info of a stack" 0 '' "$P" info st.npy
has "info: shape 8x10x10, uint8" '^st\.npy: shape 8x10x10, uint8, little-endian, C order'
expect "convert: a stack to CSV is refused" 1 \
    '^pardot: st\.npy: a 8x10x10 array has 3 dimensions, but CSV holds at most 2: convert it to npy or raw' \
    "$P" convert st.npy -o st.csv
[ -e st.csv ] && fail "convert: no CSV left behind" "st.csv exists" || ok "convert: no CSV left behind"
expect "convert: a stack to Matrix Market is refused" 1 '^pardot: st\.npy: .*Matrix Market holds at most 2' \
    "$P" convert st.npy -o st.mtx
no_temporaries "refused text output: no temporaries"
expect "convert: a stack to raw" 0 '' "$P" convert st.npy -o st.raw
is "convert: the raw stack has every byte" "$(wc -c <st.raw | tr -d ' ')" 800
expect "convert: raw of 3 dimensions back" 0 '' "$P" convert --raw 8x10x10 --dtype u1 st.raw -o st2.npy
same_file "convert: npy -> raw -> npy of a stack" st.npy st2.npy
expect "convert --raw: a size that does not match" 1 '^pardot: st\.raw: file is 800 bytes but 8x10x9 uint8 needs 720' \
    "$P" convert --raw 8x10x9 --dtype u1 st.raw -o x.npy
expect "cmp: a stack with itself" 0 '' "$P" cmp st.npy st2.npy
"$P" gen 8x10x10 --dtype uint8 --seed 2 -o st3.npy
expect "cmp: two stacks differ" 1 '' "$P" cmp st.npy st3.npy
has "cmp: first difference by its N-d index" 'differ: [0-9]+ of 800 elements, first at \[0, 0, [0-9]\] \([0-9]+ vs [0-9]+\)'
"$P" gen 8x10x5x2 --dtype uint8 -o st4.npy
expect "cmp: same size, other shape" 1 '' "$P" cmp st.npy st4.npy
has "cmp: the shapes named" 'differ: shapes 8x10x10 and 8x10x5x2$'

# Hostile N-d headers: a clear message, status 1 (2 for cmp), no crash.
{ npyhead 1 "{'descr': '<c16', 'fortran_order': False, 'shape': (2, 3, 4), }"; head -c 100 /dev/zero; } >short3.npy
expect "info: a 3-D file shorter than its shape" 1 '^pardot: short3\.npy: .*short' "$P" info --range short3.npy
expect "convert: a 3-D file shorter than its shape" 1 '^pardot: short3\.npy: ' "$P" convert short3.npy -o x.npy
expect "cmp: a 3-D file shorter than its shape" 2 '^pardot: short3\.npy: ' "$P" cmp short3.npy short3.npy
{ npyhead 1 "{'descr': '<u2', 'fortran_order': True, 'shape': (65536, 65536, 65536, 65536, 2), }"; } >huge.npy
expect "info: dimensions whose product overflows" 1 '^pardot: huge\.npy: ' "$P" info huge.npy
{ npyhead 1 "{'descr': '<f16', 'fortran_order': False, 'shape': (2, 2, 2), }"; head -c 128 /dev/zero; } >ld.npy
expect "info: long double refused, named" 1 '^pardot: ld\.npy: .*float128' "$P" info ld.npy
expect "gen: a shape of 65 dimensions" 2 "^pardot: gen: .*at most 64 dimensions" \
    "$P" gen "$(printf '1x%.0s' $(seq 64))1" -o x.npy
expect "gen: a stack too large" 1 '^pardot: x\.npy: .*too large' "$P" gen 4294967296x4294967296x2 --dtype c16 -o x.npy
no_temporaries "hostile inputs: no temporaries"

# ---- against NumPy -------------------------------------------------------------

py=$(find_numpy)
if [ -z "$py" ]; then
	echo "SKIP dtypes against NumPy: python3-numpy not installed"
	exit 0
fi

PARDOT=$P "$py" - <<'PYEOF' || fail "dtypes against NumPy" "python failed"
import os
import subprocess
import numpy as np

P = os.environ["PARDOT"]
TYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16",
         "uint32", "uint64", "float16", "float32", "float64", "complex64",
         "complex128"]
SHAPES = [(2, 3, 4), (1, 1, 1, 5), (3, 0, 2), (0,), (7,), (3, 5), ()]
rng = np.random.default_rng(12)
failed = 0


def report(name, why):
    global failed
    if why is None:
        print("ok " + name)
    else:
        failed += 1
        print("FAIL %s: %s" % (name, why))


def run(*args):
    r = subprocess.run([P] + [str(a) for a in args], capture_output=True)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def values(t, shape, wild):
    """Values of type t: tame ones (0 and 1) fit every type."""
    n = int(np.prod(shape))
    dt = np.dtype(t)
    if not wild:
        return rng.integers(0, 2, n).astype(dt).reshape(shape)
    if dt.kind == "b":
        a = rng.integers(0, 2, n).astype(dt)
    elif dt.kind in "iu":
        info = np.iinfo(dt)
        a = rng.integers(info.min, info.max, n, dtype=dt, endpoint=True)
    elif dt.kind == "f":
        a = (rng.standard_normal(n) * 1000).astype(dt)
        if n > 3:
            a[:3] = [np.nan, np.inf, 2.5]
    else:
        a = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dt)
        if n > 2:
            a[:2] = [complex(np.nan, 1), 3]
    return a.reshape(shape)


def fits(a, t):
    """Convert's policy: may a.astype(t) be done without losing a value?"""
    dt = np.dtype(t)
    if dt.kind == "c":
        return True
    if a.dtype.kind == "c":
        if np.any(a.imag != 0):
            return False
        a = a.real
    if dt.kind == "f":
        return True
    if a.dtype.kind == "f":
        a64 = a.astype(np.float64)
        if not np.all(np.isfinite(a64)) or np.any(a64 != np.trunc(a64)):
            return False
        lo = min(a64.min(initial=0), 0)
        hi = max(a64.max(initial=0), 0)
    else:
        lo = int(a.min(initial=0))
        hi = int(a.max(initial=0))
    if dt.kind == "b":
        return lo >= 0 and hi <= 1
    info = np.iinfo(dt)
    return lo >= info.min and hi <= info.max


def same(x, y):
    if x.dtype != y.dtype or x.shape != y.shape:
        return "%s %s vs %s %s" % (x.dtype, x.shape, y.dtype, y.shape)
    eq = np.array_equal(x, y, equal_nan=x.dtype.kind in "fc")
    return None if eq else "values differ: %r vs %r" % (x.ravel()[:6], y.ravel()[:6])


def order_name(dt):
    if dt.byteorder == ">":
        return "big"
    return "little"


# info, npy -> raw -> npy, for every type, byte order, layout and shape.
for t in TYPES:
    for bo in "<>":
        dt = np.dtype(t).newbyteorder(bo)
        for shape in SHAPES:
            for fortran in (False, True):
                if fortran and len(shape) < 2:
                    continue
                a = values(t, shape, True).astype(dt)
                if fortran:
                    a = np.asfortranarray(a)
                tag = "%s%s %s %s" % (bo, t, "x".join(map(str, shape)) or "()",
                                      "F" if fortran else "C")
                f = "a.npy"
                np.save(f, a)
                st, out, err = run("info", f)
                sh = "x".join(map(str, shape)) if shape else "()"
                want = "a.npy: shape %s, %s, %s-endian, %s order" % (
                    sh, np.dtype(t).name,
                    "little" if dt.itemsize == 1 else order_name(dt),
                    "Fortran" if fortran and a.ndim > 1 and a.size > 0 and
                    not a.flags.c_contiguous else "C")
                report("info %s" % tag, None if st == 0 and out.startswith(want)
                       else "status %d: %r, wanted %r %s" % (st, out, want, err))
                st, out, err = run("convert", f, "-o", "a.raw")
                # np.array, not np.ascontiguousarray, which makes a 0-d array 1-D.
                back = np.array(a, order="C").astype(np.dtype(t).newbyteorder("="))
                raw = open("a.raw", "rb").read() if st == 0 else b""
                report("convert %s to raw: NumPy's tobytes" % tag,
                       None if st == 0 and raw == back.tobytes()
                       else "status %d %s" % (st, err))
                st, out, err = run("convert", "--raw", sh if shape else "1",
                                   "--dtype", t, "a.raw", "-o", "b.npy")
                if shape:
                    b = np.load("b.npy") if st == 0 else None
                    report("convert %s: raw back to npy" % tag,
                           same(b, back) if st == 0 else err)
                st, out, err = run("convert", f, "-o", "c.npy")
                c = np.load("c.npy") if st == 0 else None
                report("convert %s: npy to npy, np.load agrees" % tag,
                       same(c, back) if st == 0 else err)
                if st == 0:
                    np.save("n.npy", back)
                    report("convert %s: byte for byte np.save's" % tag,
                           None if open("c.npy", "rb").read() ==
                           open("n.npy", "rb").read() else "bytes differ")
                st, out, err = run("cmp", f, "c.npy")
                want = 0 if a.dtype.kind not in "fc" or not np.any(np.isnan(a)) else 1
                report("cmp %s with its native C-order copy" % tag,
                       None if st == want else "status %d: %s %s" % (st, out, err))
                st, out, err = run("cmp", "--equal-nan", f, "c.npy")
                report("cmp --equal-nan %s with its copy" % tag,
                       None if st == 0 else "status %d: %s %s" % (st, out, err))

# convert --dtype: np.astype where the policy allows, an error where not.
for t in TYPES:
    for wild in (False, True):
        a = values(t, (3, 4), wild)
        np.save("s.npy", a)
        for u in TYPES:
            tag = "convert --dtype %s of %s %s" % (u, "wild" if wild else "tame", t)
            st, out, err = run("convert", "s.npy", "--dtype", u, "-o", "d.npy")
            if fits(a, u):
                src = a.real if a.dtype.kind == "c" and np.dtype(u).kind != "c" else a
                with np.errstate(all="ignore"):
                    want = src.astype(u)
                report(tag, same(np.load("d.npy"), want) if st == 0 else
                       "status %d: %s" % (st, err))
            else:
                report(tag + ": refused", None if st == 1 and
                       "cannot hold" in err and err.count("\n") == 1
                       else "status %d: %s" % (st, err))

# CSV: what np.savetxt writes for floats, bools and complex values, and
# values that np.loadtxt reads back; integers as integers.
for t in TYPES:
    for shape in [(3, 4), (5,), ()]:
        a = values(t, shape, True)
        tag = "%s %s" % (t, "x".join(map(str, shape)) or "()")
        np.save("t.npy", a)
        st, out, err = run("convert", "t.npy", "-o", "t.csv")
        if st != 0:
            report("convert %s to CSV" % tag, err)
            continue
        complex_ = a.dtype.kind == "c"
        got = np.loadtxt("t.csv", delimiter=",", dtype=complex if complex_ else
                         float, ndmin=2)
        want = np.atleast_2d(a.astype(complex if complex_ else float))
        if a.ndim == 1:
            want = want.T
        report("convert %s to CSV: np.loadtxt reads every value" % tag,
               None if got.shape == want.shape and
               np.array_equal(got, want, equal_nan=True) else
               "%r vs %r" % (got.ravel()[:4], want.ravel()[:4]))
        if a.dtype.kind in "bfc":
            np.savetxt("np.csv", np.atleast_2d(a).T if a.ndim == 1 else
                       np.atleast_2d(a), delimiter=",")
            report("convert %s to CSV: the bytes of np.savetxt" % tag,
                   None if open("t.csv").read() == open("np.csv").read()
                   else "%r vs %r" % (open("t.csv").read()[:80],
                                       open("np.csv").read()[:80]))
    a = values(t, (3, 2), True)
    np.save("m.npy", a)
    st, out, err = run("convert", "m.npy", "-o", "m.mtx")
    field = ("complex" if a.dtype.kind == "c" else "integer"
             if a.dtype.kind in "biu" else "real")
    head = open("m.mtx").readline() if st == 0 else err
    report("convert %s to Matrix Market: field %s" % (t, field),
           None if head == "%%%%MatrixMarket matrix array %s general\n" % field
           else head)

# float16 text keeps every value: each of the 63488 finite halves.
h = np.arange(0, 1 << 16, dtype=np.uint16).view(np.float16)
h = h[np.isfinite(h)].reshape(-1, 8)
np.save("h.npy", h)
st, out, err = run("convert", "h.npy", "-o", "h.csv")
back = np.loadtxt("h.csv", delimiter=",").astype(np.float16) if st == 0 else None
report("float16 to CSV and back: every finite half", None if st == 0 and
       np.array_equal(back.view(np.uint16), h.view(np.uint16)) else err)

# cmp: complex values near-equal as np.isclose says, across types.
x = values("complex128", (4, 5), True)
x[0, 0] = 1 + 1j
for scale, want in ((1 + 1e-7, 0), (1 + 1e-3, 1), (1 + 1e-7j, 0)):
    np.save("x.npy", x)
    np.save("y.npy", x * scale)
    st, out, err = run("cmp", "y.npy", "x.npy")
    ref = 0 if np.all(np.isclose(x * scale, x)) else 1
    report("cmp complex scaled by %r: as np.isclose (%d)" % (scale, ref),
           None if st == ref == want else "status %d: %s %s" % (st, out, err))
np.save("y.npy", (x * (1 + 1e-3)).astype(np.complex64))
st, out, err = run("cmp", "x.npy", "y.npy")
report("cmp complex128 with complex64: the first difference shown",
       None if st == 1 and "first at [0, 0] ((1+1j) vs (1.001+1.001j))" in out
       else out + err)
np.save("x.npy", np.array([[1, 2], [3, 4]], dtype=np.int8))
np.save("y.npy", np.array([[1, 2], [3, 4]], dtype=">u8"))
st, out, err = run("cmp", "x.npy", "y.npy")
report("cmp int8 with big-endian uint64 of the same values", None if st == 0 else out)
np.save("x.npy", np.array([2**64 - 1], dtype=np.uint64))
np.save("y.npy", np.array([-1], dtype=np.int64))
st, out, err = run("cmp", "x.npy", "y.npy")
report("cmp uint64 2^64-1 and int64 -1 differ, exactly",
       None if st == 1 and "(18446744073709551615 vs -1), largest absolute "
       "difference 18446744073709551616" in out else out)
np.save("x.npy", np.array([True, False]))
np.save("y.npy", np.array([True, True]))
st, out, err = run("cmp", "x.npy", "y.npy")
report("cmp bool exactly", None if st == 1 and "(False vs True)" in out else out)
np.save("x.npy", np.array([0.1, 0.2], dtype=np.float16))
np.save("y.npy", np.array([0.1, 0.2], dtype=np.float64))
st, out, err = run("cmp", "x.npy", "y.npy")
ref = int(not np.all(np.isclose(np.array([0.1, 0.2], dtype=np.float16).astype(float),
                                 [0.1, 0.2])))
report("cmp float16 with float64: as isclose in float64", None if st == ref == 1
       else out)

# gen: every dtype, stacks, the fills NumPy would give.
for t in TYPES:
    st, out, err = run("gen", "3x5x7", "--dtype", t, "--fill", "arange", "-o", "g.npy")
    g = np.load("g.npy") if st == 0 else None
    with np.errstate(all="ignore"):
        want = np.arange(105).reshape(3, 5, 7).astype(t)
    report("gen 3x5x7 %s arange: np.arange(105).astype" % t,
           same(g, want) if st == 0 else err)
    st, out, err = run("gen", "4x3x3", "--dtype", t, "--fill", "identity", "-o", "g.npy")
    g = np.load("g.npy") if st == 0 else None
    want = np.broadcast_to(np.eye(3, dtype=t), (4, 3, 3))
    report("gen 4x3x3 %s identity: np.eye on each matrix" % t,
           same(g, np.ascontiguousarray(want)) if st == 0 else err)
    st, out, err = run("gen", "2x1x1x1000", "--dtype", t, "-o", "g.npy")
    g = np.load("g.npy") if st == 0 else None
    why = None
    if g is None:
        why = err
    elif g.dtype != np.dtype(t) or g.shape != (2, 1, 1, 1000):
        why = "%s %s" % (g.dtype, g.shape)
    elif g.dtype.kind == "b":
        why = None if 0 < np.count_nonzero(g) < g.size else "all one value"
    elif g.dtype.kind in "iu":
        why = None if g.min() == 0 and g.max() == 9 else "range %d %d" % (g.min(), g.max())
    else:
        parts = [g.real, g.imag] if g.dtype.kind == "c" else [g]
        for q in parts:
            if not (q.min() >= 0 and q.max() < 1 and abs(q.mean() - 0.5) < 0.05):
                why = "range %r %r mean %r" % (q.min(), q.max(), q.mean())
    report("gen 2x1x1x1000 %s random: loads in NumPy, in range" % t, why)
    if np.dtype(t).kind in "fc":
        st, out, err = run("gen", "20000", "--dtype", t, "--fill", "normal", "-o", "g.npy")
        g = np.load("g.npy").astype(np.complex128) if st == 0 else None
        why = err if g is None else None
        for q in ([] if g is None else [g.real] + ([g.imag] if t.startswith("c") else [])):
            if abs(q.mean()) > 0.05 or abs(q.std() - 1) > 0.05:
                why = "mean %g std %g" % (q.mean(), q.std())
        report("gen %s normal: mean 0, std 1 in each part" % t, why)
st, out, err = run("gen", "1000", "--dtype", "float16", "--range", "1:1.0009", "-o", "g.npy")
g = np.load("g.npy") if st == 0 else None
report("gen float16 --range 1:1.0009: only 1, never HI rounded up",
       None if g is not None and np.all(g == 1) else err)
st, out, err = run("gen", "4", "--dtype", "uint8", "--range", "250:257", "-o", "g.npy")
report("gen uint8 --range past 255: refused", None if st == 2 and
       "outside uint8, which holds 0 to 255 (HI, excluded, may be 256)" in err else err)
st, out, err = run("gen", "4", "--dtype", "bool", "--fill", "normal", "-o", "g.npy")
report("gen bool --fill normal: refused", None if st == 2 else err)

# info --range: NumPy's nanmin and nanmax, complex in NumPy's order.
for t in TYPES:
    a = values(t, (4, 3, 2), True)
    np.save("r.npy", a)
    st, out, err = run("info", "--json", "--range", "r.npy")
    import json
    o = json.loads(out) if st == 0 else {}
    lo, hi = np.nanmin(a), np.nanmax(a)
    # The shortest digits that read back as the value in its own type.
    if a.dtype.kind == "c":
        pt = a.real.dtype.type
        want = ([lo.real, lo.imag], [hi.real, hi.imag])
        got = ([pt(v) for v in o.get("min", [])], [pt(v) for v in o.get("max", [])])
    elif a.dtype.kind == "b":
        want, got = (bool(lo), bool(hi)), (o.get("min"), o.get("max"))
    elif a.dtype.kind in "iu":
        want, got = (int(lo), int(hi)), (o.get("min"), o.get("max"))
    else:
        pt = a.dtype.type
        want, got = (lo, hi), (pt(float(o.get("min"))), pt(float(o.get("max"))))
    nans = int(np.count_nonzero(np.isnan(a))) if a.dtype.kind in "fc" else 0
    report("info --range %s: nanmin, nanmax, NaNs" % t,
           None if o.get("shape") == [4, 3, 2] and o.get("dtype") == t and
           got == want and o.get("nans") == nans else "%r vs %r (%s)" % (got, want, out))

raise SystemExit(0)
PYEOF
