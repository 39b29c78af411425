#!/bin/sh
# Draws the GEMM table (the markdown rows bench prints) as an SVG with
# gnuplot: GFLOP/s against n, one line per side, dtype and thread count.
table=$1 svg=$2
data=$(mktemp)
trap 'rm -f "$data"' EXIT
# One gnuplot data block per series, each headed by its title, so that
# every series is a line of its own (index i) whatever order rows come in.
awk -F'|' '$3 ~ /[0-9]/ {
	for (i = 2; i <= 6; i++)
		gsub(/ /, "", $i)
	key = $2 " -j " $4
	pardot[key] = pardot[key] $3 " " $5 "\n"
	if ($6 != "-")
		blas[key] = blas[key] $3 " " $6 "\n"
	if (!(key in seen)) {
		seen[key] = 1
		order[++n] = key
	}
}
END {
	for (i = 1; i <= n; i++)
		printf "\"pardot %s\"\n%s\n\n", order[i], pardot[order[i]]
	for (i = 1; i <= n; i++)
		if (order[i] in blas)
			printf "\"OpenBLAS %s\"\n%s\n\n", order[i], blas[order[i]]
}' "$table" >"$data"
np=$(grep -c '^"pardot' "$data")
nb=$(grep -c '^"OpenBLAS' "$data")
gnuplot <<GP
set terminal svg size 900,520 dynamic font "sans,11"
set output "$svg"
set title "pardot GEMM against OpenBLAS ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
set xlabel "n (square matrices)"
set ylabel "GFLOP/s (GOP/s for integers)"
set logscale x 2
set key outside right
set grid
plot for [i=0:$((np - 1))] "$data" index i using 1:2 with linespoints \
	title columnheader(1), \
	for [i=$np:$((np + nb - 1))] "$data" index i using 1:2 \
	with linespoints dashtype 2 title columnheader(1)
GP
