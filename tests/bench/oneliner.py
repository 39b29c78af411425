#!/usr/bin/env python3
"""`make bench`: pardot mul against what a user would run instead.

  oneliner.py PARDOT BENCH DIR

The user's real alternative to `pardot mul A.npy B.npy -o C.npy` is the
NumPy one-liner

  np.save(C, np.load(A, mmap_mode='r') @ np.load(B, mmap_mode='r'))

run as its own process. For float32 and float64 at n = 256, 1000, 2048 and
4096, on files in DIR, this times both as whole processes, alternated, and
the engine alone on private memory (BENCH, tests/bench/bench.c) beside
them; medians. NumPy runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
unset (they slow it; see the README), and threadpoolctl names the kernel
its OpenBLAS ran. Then n = 256 on tmpfs against `pardot info` of the same
file, the floor of any command. Last, the batch form: 2000 files of
256x256 float64 times one 256x256, `pardot mul --each` against a NumPy
loop in one process over the same files, with and without an fsync of
each product (pardot's products are synced).
"""
import os
import re
import statistics
import subprocess
import sys
import time

from pyfind import clean_env, find_numpy, wall

PARDOT, BENCH, DIR = sys.argv[1], sys.argv[2], sys.argv[3]
NPROC = os.cpu_count() or 1
SIZES = (256, 1000, 2048, 4096)
ONELINER = ("import sys, numpy as np; np.save(sys.argv[3], "
            "np.load(sys.argv[1], mmap_mode='r') @ "
            "np.load(sys.argv[2], mmap_mode='r'))")
KERNEL = ("import numpy, threadpoolctl; i = [x for x in "
          "threadpoolctl.threadpool_info() if x['internal_api'] == "
          "'openblas']; print(i[0]['architecture'] if i else 'unknown', "
          "i[0]['num_threads'] if i else '')")


def reps_for(n):
    return 9 if n <= 1000 else 5 if n <= 2048 else 3


def engine_seconds(n, dtype):
    """The engine alone on private memory, from the benchmark's GFLOP/s."""
    r = subprocess.run([BENCH, "-r", "3", "-s", str(n), "-t", dtype, "-j",
                        str(NPROC)], check=True, capture_output=True,
                       text=True, env=clean_env())
    for line in r.stdout.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) > 3 and cells[0] == dtype and cells[1] == str(n):
            return 2.0 * n ** 3 / (float(cells[3]) * 1e9)
    return float("nan")


def files(n, dtype):
    a = os.path.join(DIR, f"one_A{n}_{dtype}.npy")
    b = os.path.join(DIR, f"one_B{n}_{dtype}.npy")
    for path, seed in ((a, 1), (b, 2)):
        if not os.path.exists(path):
            subprocess.run([PARDOT, "gen", f"{n}x{n}", "-o", path, "-t",
                            dtype, "-s", str(seed)], check=True)
    return a, b


def row(py, n, dtype):
    a, b = files(n, dtype)
    c1 = os.path.join(DIR, f"one_C{n}_{dtype}.npy")
    c2 = os.path.join(DIR, f"one_N{n}_{dtype}.npy")
    mine, theirs = [], []
    env = clean_env()
    for _ in range(reps_for(n)):
        mine.append(wall([PARDOT, "mul", a, b, "-o", c1]))
        if py is not None:
            theirs.append(wall([py, "-c", ONELINER, a, b, c2], env))
    p = statistics.median(mine)
    e = engine_seconds(n, dtype)
    line = (f"| {dtype} | {n} | {p * 1e3:.1f} | {e * 1e3:.1f} | "
            f"{p / e:.2f} |")
    if theirs:
        t = statistics.median(theirs)
        line += f" {t * 1e3:.1f} | {t / p:.2f} |"
    else:
        line += " - | - |"
    print(line)
    sys.stdout.flush()


def small_on_tmpfs(reps=21):
    d = "/dev/shm" if os.path.isdir("/dev/shm") else DIR
    a = os.path.join(d, "pardot-bench-a256.npy")
    b = os.path.join(d, "pardot-bench-b256.npy")
    c = os.path.join(d, "pardot-bench-c256.npy")
    subprocess.run([PARDOT, "gen", "256x256", "-o", a], check=True)
    subprocess.run([PARDOT, "gen", "256x256", "-o", b, "-s", "2"],
                   check=True)
    mul, info = [], []
    for _ in range(reps):
        mul.append(wall([PARDOT, "mul", a, b, "-o", c]))
        info.append(wall([PARDOT, "info", a]))
    m, i = statistics.median(mul), statistics.median(info)
    print(f"n=256 float64 on {d}: pardot mul {m * 1e3:.2f} ms, pardot info "
          f"{i * 1e3:.2f} ms, ratio {m / i:.2f} (target <= 2.5)")
    for path in (a, b, c):
        os.unlink(path)


BATCH_FILES = 2000
NUMPY_LOOP = """
import glob, os, sys, numpy as np
src, w, out, sync = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
b = np.load(w, mmap_mode='r')
for f in sorted(glob.glob(os.path.join(src, '*.npy'))):
    dst = os.path.join(out, os.path.basename(f))
    np.save(dst, np.load(f, mmap_mode='r') @ b)
    if sync:
        fd = os.open(dst, os.O_RDONLY); os.fsync(fd); os.close(fd)
if sync:
    fd = os.open(out, os.O_RDONLY); os.fsync(fd); os.close(fd)
"""
MAKE_BATCH = """
import sys, numpy as np
r = np.random.default_rng(1)
for i in range(int(sys.argv[2])):
    np.save(f"{sys.argv[1]}/m{i:05d}.npy", r.random((256, 256)))
np.save(f"{sys.argv[1]}.w.npy", r.random((256, 256)))
"""


def batch(py, reps=3):
    if py is None:
        print("batch: NumPy not installed, no comparison")
        return
    src = os.path.join(DIR, "batch-in")
    w = src + ".w.npy"
    if not os.path.exists(w):
        os.makedirs(src, exist_ok=True)
        subprocess.run([py, "-c", MAKE_BATCH, src, str(BATCH_FILES)],
                       check=True)
    out = os.path.join(DIR, "batch-out")
    os.makedirs(out, exist_ok=True)
    files = sorted(os.path.join(src, f) for f in os.listdir(src))
    env = clean_env()
    mine, loop, synced = [], [], []
    for _ in range(reps):
        mine.append(wall([PARDOT, "mul", "--each", *files, "--by", w, "-o",
                          out]))
        loop.append(wall([py, "-c", NUMPY_LOOP, src, w, out, "0"], env))
        synced.append(wall([py, "-c", NUMPY_LOOP, src, w, out, "1"], env))
    m, l, s = (statistics.median(x) for x in (mine, loop, synced))
    print(f"batch, {len(files)} files of 256x256 float64 times one: pardot "
          f"mul --each {m:.2f} s (synced); NumPy loop in one process "
          f"{l:.2f} s unsynced, {s:.2f} s synced; NumPy unsynced / pardot "
          f"{l / m:.2f} (target >= 1)")


def main():
    py = find_numpy()
    kernel = "NumPy not installed"
    if py is not None:
        try:
            r = subprocess.run([py, "-c", KERNEL], check=True,
                               capture_output=True, text=True,
                               env=clean_env())
            kernel = "NumPy's OpenBLAS runs " + r.stdout.strip()
        except subprocess.CalledProcessError:
            kernel = "NumPy's kernel unknown (no threadpoolctl)"
    print(f"pardot mul on files against the NumPy one-liner, -j {NPROC}, "
          f"whole processes, medians; {kernel}")
    print("| dtype | n | pardot mul ms | engine alone ms | pardot / engine "
          "(target <= 1.05 at 4096) | NumPy one-liner ms | NumPy / pardot "
          "(target >= 1.25 at 2048, 4096) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for dtype in ("float32", "float64"):
        for n in SIZES:
            row(py, n, dtype)
    small_on_tmpfs()
    batch(py)


if __name__ == "__main__":
    main()
