"""Shared by the benchmark's Python scripts: a Python that has NumPy, the
reference side's environment, and a whole command's wall time."""
import os
import subprocess
import time


def find_numpy():
    """The first of python3 and /usr/bin/python3 that imports NumPy."""
    for py in ("python3", "/usr/bin/python3"):
        try:
            subprocess.run([py, "-c", "import numpy"], check=True,
                           capture_output=True)
            return py
        except (OSError, subprocess.CalledProcessError):
            pass
    return None


def clean_env():
    """The environment without the settings that slow OpenBLAS down, for
    the reference side only."""
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    return env


def wall(cmd, env=None):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return time.perf_counter() - t0
