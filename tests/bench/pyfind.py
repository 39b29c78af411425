"""Shared by the benchmark's Python scripts: a Python that has NumPy."""
import subprocess


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
