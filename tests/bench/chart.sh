#!/bin/sh
# Draws the GEMM table (the markdown rows bench prints) as an SVG with
# gnuplot: GFLOP/s against n, one line per dtype, side and thread count.
table=$1 svg=$2
data=$(mktemp)
trap 'rm -f "$data"' EXIT
awk -F'|' '$3 ~ /[0-9]/ {
	gsub(/ /, ""); print $2, $3, $4, $5, ($6 == "-" ? "NaN" : $6)
}' "$table" >"$data"
gnuplot <<GP
set terminal svg size 900,520 dynamic font "sans,11"
set output "$svg"
set title "pardot GEMM against OpenBLAS ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
set xlabel "n (square matrices)"
set ylabel "GFLOP/s (GOP/s for integers)"
set logscale x 2
set key outside right
set grid
plot for [t in "float64 float32 int64 int32"] for [j in "1 $(nproc)"] \
	"$data" using (strcol(1) eq t && strcol(3) eq j ? \$2 : 1/0):4 \
	with linespoints title sprintf("pardot %s -j %s", t, j), \
	for [t in "float64 float32"] for [j in "1 $(nproc)"] \
	"$data" using (strcol(1) eq t && strcol(3) eq j ? \$2 : 1/0):5 \
	with linespoints dashtype 2 title sprintf("OpenBLAS %s -j %s", t, j)
GP
