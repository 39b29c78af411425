#!/usr/bin/env python3
"""The parts of `make bench` that run the real binary on files.

  e2e.py PARDOT DIR

1. End to end: `pardot mul` on n = 4096 float64 .npy files, wall time,
   against the multiply alone (the time `pardot mul -v` reports for it),
   runs alternated; medians.
2. Integers: pardot against NumPy's matmul at n = 2000, int64 and int32,
   on the same files (NumPy only when it is importable).
3. Scaling: -j 1 against -j all at n = 4096 float64, end to end.
4. Private memory: the largest RssAnon seen while multiplying n = 8192
   float64 files (sampled every 20 ms), beside the file-backed RssFile.
"""
import os
import re
import statistics
import subprocess
import sys
import time

from pyfind import find_numpy

PARDOT, DIR = sys.argv[1], sys.argv[2]
NPROC = os.cpu_count() or 1


def gen(path, n, dtype, seed):
    if not os.path.exists(path):
        subprocess.run([PARDOT, "gen", f"{n}x{n}", "-o", path, "--dtype",
                        dtype, "--seed", str(seed)], check=True)


def mul(a, b, c, jobs, extra=()):
    """Runs pardot mul -v; returns (wall seconds, multiply seconds)."""
    t0 = time.perf_counter()
    r = subprocess.run([PARDOT, "mul", a, b, "-o", c, "-j", str(jobs), "-v",
                        *extra], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    m = re.search(r"mul: ([0-9.]+) s,", r.stderr)
    return wall, float(m.group(1))


def files(n, dtype):
    a = os.path.join(DIR, f"A{n}_{dtype}.npy")
    b = os.path.join(DIR, f"B{n}_{dtype}.npy")
    gen(a, n, dtype, 1)
    gen(b, n, dtype, 2)
    return a, b, os.path.join(DIR, f"C{n}_{dtype}.npy")


def end_to_end(reps=5):
    a, b, c = files(4096, "float64")
    mul(a, b, c, NPROC)
    walls, mults = [], []
    for _ in range(reps):
        w, m = mul(a, b, c, NPROC)
        walls.append(w)
        mults.append(m)
    w, m = statistics.median(walls), statistics.median(mults)
    print(f"end to end, n=4096 float64, -j {NPROC}: pardot mul {w:.3f} s, "
          f"multiply alone {m:.3f} s, ratio {w / m:.3f} (target <= 1.15)")


def scaling(reps=3):
    a, b, c = files(4096, "float64")
    t1, tn = [], []
    for _ in range(reps):
        t1.append(mul(a, b, c, 1)[0])
        tn.append(mul(a, b, c, NPROC)[0])
    s = statistics.median(t1) / statistics.median(tn)
    print(f"scaling, n=4096 float64: -j 1 {statistics.median(t1):.3f} s, "
          f"-j {NPROC} {statistics.median(tn):.3f} s, speed-up {s:.2f} "
          f"(target >= 1.9 on 2 cores)")


NUMPY_TIMER = """
import sys, time, numpy as np
a = np.load(sys.argv[1]); b = np.load(sys.argv[2])
best = []
for _ in range(int(sys.argv[3])):
    t0 = time.perf_counter(); a @ b; best.append(time.perf_counter() - t0)
best.sort(); print(best[len(best) // 2])
"""



def integers(reps=3):
    py = find_numpy()
    for dtype in ("int64", "int32"):
        a, b, c = files(2000, dtype)
        p = statistics.median(mul(a, b, c, NPROC)[0] for _ in range(reps))
        if py is None:
            print(f"{dtype}, n=2000: pardot mul {p:.3f} s; NumPy not "
                  "installed, no comparison")
            continue
        r = subprocess.run([py, "-c", NUMPY_TIMER, a, b, str(reps)],
                           check=True, capture_output=True, text=True)
        t = float(r.stdout)
        print(f"{dtype}, n=2000: pardot mul {p:.3f} s (end to end), NumPy "
              f"matmul {t:.3f} s, pardot {t / p:.1f} x faster (target >= 30)")


def private_memory():
    a, b, c = files(8192, "float64")
    proc = subprocess.Popen([PARDOT, "mul", a, b, "-o", c, "-j", str(NPROC)])
    anon = rfile = 0
    status = f"/proc/{proc.pid}/status"
    while proc.poll() is None:
        try:
            with open(status) as f:
                text = f.read()
            anon = max(anon, int(re.search(r"RssAnon:\s+(\d+)", text)[1]))
            rfile = max(rfile, int(re.search(r"RssFile:\s+(\d+)", text)[1]))
        except (OSError, TypeError):
            pass
        time.sleep(0.02)
    print(f"private memory, n=8192 float64: peak RssAnon {anon / 1024:.1f} "
          f"MiB (target < 64), peak RssFile {rfile / 1024:.0f} MiB")


if __name__ == "__main__":
    parts = sys.argv[3:] or ["e2e", "scaling", "integers", "memory"]
    for part in parts:
        {"e2e": end_to_end, "scaling": scaling, "integers": integers,
         "memory": private_memory}[part]()
        sys.stdout.flush()
