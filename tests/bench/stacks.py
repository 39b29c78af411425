#!/usr/bin/env python3
"""`make bench`: stacks of matrices, pardot mul against NumPy's matmul.

  stacks.py PARDOT DIR

For each stack, on files in DIR, times `pardot mul A.npy B.npy -o C.npy`
(synced, as always) and the NumPy command a user would run instead,

  np.save(C, np.matmul(np.load(A, mmap_mode='r'), np.load(B, mmap_mode='r')))

each as a whole process, alternated; medians. NumPy runs with
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (they slow it; see the
README). Then pardot's peak private memory (--stats json) and the same
bits for -j1 and all threads. The targets (issue 12): at least 2x NumPy
for 20000 of 8x8 times one 8x8 and for 64 of 256x256 times 64 of 256x256.
"""
import filecmp
import json
import os
import statistics
import subprocess
import sys
import time

from pyfind import clean_env, find_numpy, wall

PARDOT, DIR = sys.argv[1], sys.argv[2]
NPROC = os.cpu_count() or 1
REPS = 9
NUMPY = ("import sys, numpy as np; np.save(sys.argv[3], np.matmul("
         "np.load(sys.argv[1], mmap_mode='r'), "
         "np.load(sys.argv[2], mmap_mode='r')))")
# name, A's shape, B's shape, target (NumPy / pardot) or None
STACKS = (
    ("20000 of 8x8 times one 8x8", (20000, 8, 8), (8, 8), 2.0),
    ("64 of 256x256 times 64 of 256x256", (64, 256, 256), (64, 256, 256),
     2.0),
    ("20000 of 8x8 times 20000 of 8x8", (20000, 8, 8), (20000, 8, 8), None),
    ("one 8x8 times 20000 of 8x8", (8, 8), (20000, 8, 8), None),
    ("8 of 1000x1000 times one 1000x1000", (8, 1000, 1000), (1000, 1000),
     None),
)
MAKE = """
import sys, numpy as np
r = np.random.default_rng(int(sys.argv[3]))
np.save(sys.argv[1], r.standard_normal(tuple(int(x) for x in
        sys.argv[2].split("x"))))
"""


def operand(py, shape, seed):
    name = "x".join(str(d) for d in shape)
    path = os.path.join(DIR, f"stack_{name}_{seed}.npy")
    if not os.path.exists(path):
        subprocess.run([py, "-c", MAKE, path, name, str(seed)], check=True)
    return path


def peak_private(a, b, c):
    r = subprocess.run([PARDOT, "mul", a, b, "-o", c, "--stats", "json"],
                       check=True, capture_output=True, text=True)
    st = json.loads(r.stderr.strip().splitlines()[-1])
    return st["memory"]["peak_private_bytes"] / 2 ** 20


def same_bits(a, b, c):
    c1 = c + ".j1.npy"
    subprocess.run([PARDOT, "mul", a, b, "-o", c1, "-j", "1"], check=True)
    same = filecmp.cmp(c, c1, shallow=False)
    os.unlink(c1)
    return same


def row(py, name, sa, sb, target):
    a, b = operand(py, sa, 1), operand(py, sb, 2)
    c = os.path.join(DIR, "stack_C.npy")
    n = os.path.join(DIR, "stack_N.npy")
    mine, theirs = [], []
    for _ in range(REPS):
        mine.append(wall([PARDOT, "mul", a, b, "-o", c]))
        theirs.append(wall([py, "-c", NUMPY, a, b, n], clean_env()))
    p, t = statistics.median(mine), statistics.median(theirs)
    mem = peak_private(a, b, c)
    bits = "yes" if same_bits(a, b, c) else "NO"
    goal = f"{target:.1f}" if target else "-"
    print(f"| {name} | {p * 1e3:.1f} | {t * 1e3:.1f} | {t / p:.2f} | "
          f"{goal} | {mem:.1f} | {bits} |")
    sys.stdout.flush()
    os.unlink(n)


def main():
    py = find_numpy()
    if py is None:
        print("stacks: NumPy not installed, no comparison")
        return
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print(f"Stacks, float64: pardot mul -j {NPROC} (synced) against NumPy's "
          f"matmul on the same files, whole processes, medians of {REPS}; "
          f"load {load} at the start")
    print("| stack | pardot ms | NumPy ms | NumPy / pardot | target | "
          "pardot peak private MiB | -j1 same bits |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, sa, sb, target in STACKS:
        row(py, name, sa, sb, target)


if __name__ == "__main__":
    main()
