#!/bin/sh
# shellcheck disable=SC2154 # $status is set by lib.sh's run
#
# Complex products large enough to cross the engine's blocks (k past one
# kc block of real columns, n past one nc panel: 2 x 2030 real columns of
# C' against NC 4032), in the layouts pack1m packs differently: C order,
# native byte order and the panels' own component type (its fast path),
# Fortran order, big-endian, transposes, and a real operand. Each result is
# the same file for -j 1, -j 2 and -j 3, and within a rounding bound of
# NumPy's matmul in complex128; and in each layout, the same bits as in C
# order.

# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"
P=$PARDOT

py=$(find_numpy)
if [ -z "$py" ]; then
	echo "SKIP complex: python3-numpy not installed"
	exit 0
fi

# NAME|ARGS per case, and the inputs beside them.
if ! "$py" - <<'EOF'; then
import numpy as np

rng = np.random.default_rng(1212)
cases = []


def rand(shape, t):
    if np.dtype(t).kind == "c":
        a = rng.uniform(-1, 1, shape) + 1j * rng.uniform(-1, 1, shape)
    else:
        a = rng.uniform(-1, 1, shape)
    return a.astype(t)


def case(name, a, b, flags=""):
    i = len(cases)
    np.save("a%d.npy" % i, a)
    np.save("b%d.npy" % i, b)
    cases.append("%s|%s" % (name, flags))


for t in ("complex64", "complex128"):
    A, B = rand((67, 257), t), rand((257, 2030), t)
    case(t + " C order", A, B)
    case(t + " 257x1 x 1x7", rand((257, 1), t), rand((1, 7), t))
    case(t + " Fortran A and B", np.asfortranarray(A), np.asfortranarray(B))
    case(t + " big-endian A and B", A.astype(A.dtype.newbyteorder(">")),
         B.astype(B.dtype.newbyteorder(">")))
    case(t + " --transpose-a --transpose-b", A.T.copy(), B.T.copy(),
         "--transpose-a --transpose-b")
    case(t + " real A", rand((67, 257), "float32"), B)
    case(t + " real B", A, rand((257, 2030), "float64"))
case("complex64 x complex128", rand((67, 257), "complex64"),
     rand((257, 2030), "complex128"))
open("cases.txt", "w").write("\n".join(cases) + "\n")
EOF
	fail "complex setup" "NumPy could not write the inputs"
	exit 0
fi

# check.py I FLAGS: case I's -j 1 result against NumPy's, in complex128.
cat >check.py <<'EOF'
import sys
import numpy as np

i, flags = sys.argv[1], sys.argv[2]
a, b = np.load("a%s.npy" % i), np.load("b%s.npy" % i)
if "--transpose-a" in flags:
    a, b = a.T, b.T
c = np.load("c%s-j1.npy" % i)
want = np.matmul(a.astype(np.complex128), b.astype(np.complex128))
assert c.dtype == np.result_type(a, b), c.dtype
assert c.shape == want.shape, c.shape
eps = 2.0 ** -24 if c.dtype == np.complex64 else 2.0 ** -53
bound = (2 * a.shape[1] + 2) * eps * (np.abs(a) @ np.abs(b)) * 2
err = np.abs(c.astype(np.complex128) - want)
assert (err <= bound).all(), "max error %g" % (err - bound).max()
EOF

i=0
while IFS='|' read -r name flags; do
	# shellcheck disable=SC2086 # flags are words
	for j in 1 2 3; do
		run "$P" mul $flags "a$i.npy" "b$i.npy" -o "c$i-j$j.npy" -j $j \
		    </dev/null
		[ "$status" = 0 ] || fail "$name -j $j" "status $status: $(cat err)"
	done
	same_file "$name: -j 1 and -j 2 the same bits" "c$i-j1.npy" "c$i-j2.npy"
	same_file "$name: -j 1 and -j 3 the same bits" "c$i-j1.npy" "c$i-j3.npy"
	if why=$("$py" check.py "$i" "$flags" 2>&1 </dev/null); then
		ok "$name: against NumPy"
	else
		fail "$name: against NumPy" "$(echo "$why" | tail -n 1)"
	fi
	i=$((i + 1))
done <cases.txt

# The same values in other layouts take pack1m's other paths, but the
# packed panels, and so every bit of C, are the same as in C order.
for first in 0 7; do
	for other in 2 3 4; do
		i=$((first + other))
		name=$(sed -n "$((i + 1))s/|.*//p" cases.txt)
		same_file "$name: the same bits as C order" "c$first-j1.npy" \
		    "c$i-j1.npy"
	done
done
