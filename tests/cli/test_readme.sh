#!/bin/sh
# The README's examples against the binary, so that they cannot drift: every
# indented block of "$ command" lines is run in order in one scratch
# directory, and each command's output (standard output and error) must be
# the lines the README shows under it. Timings, speeds, thread counts,
# memory sizes and kernel names vary from machine to machine: on the lines
# that hold them, numbers and kernel names are compared as placeholders. A
# command with a trailing comment that states its conditions ("# n = 8192
# float64, 384 MiB cgroup") shows a run elsewhere and is not run here.

# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"

README=$TESTS/../README.md
py=$(find_numpy)
if [ -z "$py" ]; then
	echo "SKIP README examples: NumPy not installed (they use it)"
	exit 0
fi
mkdir bin
ln -s "$PARDOT" bin/pardot
ln -s "$(command -v "$py")" bin/python3
PATH=$SCRATCH/bin:$PATH
export PATH

# Splits the README into commands and their expected output, one pair a
# file: cmd.N and want.N.
"$py" - "$README" <<'PY'
import re, subprocess, sys

lines = open(sys.argv[1]).read().split("\n")
blocks, cur = [], None
for line in lines + [""]:
    if line.startswith("    ") and (cur is not None or line.startswith("    $ ")):
        if cur is None:
            cur = []
            blocks.append(cur)
        cur.append(line[4:])
    else:
        cur = None

def complete(cmd):
    r = subprocess.run(["sh", "-n", "-c", cmd], capture_output=True)
    return r.returncode == 0

n = 0
for b in blocks:
    i = 0
    while i < len(b):
        if not b[i].startswith("$ "):
            i += 1
            continue
        cmd = b[i][2:]
        i += 1
        while not complete(cmd) and i < len(b):
            cmd += "\n" + b[i].lstrip() if cmd.endswith("|") else "\n" + b[i]
            i += 1
        out = []
        while i < len(b) and not b[i].startswith("$ "):
            out.append(b[i])
            i += 1
        open("cmd.%d" % n, "w").write(cmd + "\n")
        open("want.%d" % n, "w").write("".join(l + "\n" for l in out))
        n += 1
print(n)
PY

# What varies by machine, on the lines that hold it; blanks squeezed.
normalize() {
	sed -E '/GFLOP|GiB|MiB|KiB|threads|kernel|_avx|_generic|gflops/{
		s/[a-z0-9]+_(avx2|avx512vnni|avx512|generic)_[0-9]+x[0-9]+/KERNEL/g
		s/\((avx2|avx512vnni|avx512|generic)\)/(ISA)/g
		s/memory budget .*/memory budget .../
		s/[0-9]+(\.[0-9]+)?/N/g
	}
	s/[[:space:]]+/ /g; s/ $//' "$1"
}

i=0
while [ -f "cmd.$i" ]; do
	if grep -q ' # ' "cmd.$i"; then
		i=$((i + 1))
		continue
	fi
	sh "cmd.$i" >"got.$i" 2>&1
	normalize "want.$i" >want-n
	normalize "got.$i" >got-n
	name="README: $(head -n 1 "cmd.$i" | cut -c 1-60)"
	if cmp -s want-n got-n; then
		ok "$name"
	else
		fail "$name" "$(diff want-n got-n | head -n 6 | tr '\n' ' ')"
	fi
	i=$((i + 1))
done
[ "$i" -ge 10 ] && ok "README: its examples were found ($i)" ||
    fail "README: its examples were found" "only $i"
