#!/bin/sh
# mul --each FILE... --by B (and --by-left B): every product the bytes of
# a run of its own, into the directory under the file's name; a failing
# file reported and passed over; the usage errors.

LEAKS=1
# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"

P=$PARDOT
mkdir in res ref
"$P" gen 67x31 -o in/a.npy -s 1
"$P" gen 1x31 -o in/row.npy -s 2 -t float32
"$P" gen 257x31 -o in/tall.npy -s 3 -t int32
"$P" gen 0x31 -o in/empty.npy
"$P" gen 31 -o in/vec.npy -s 4
"$P" gen 31x13 -o w.npy -s 5
"$P" gen 13x67 -o wl.npy -s 6 -t int64

for j in 1 2; do
	rm -f res/*
	expect "--each --by, -j $j" 0 '' "$P" mul -j $j --each in/*.npy --by w.npy -o res
	for f in a row tall empty vec; do
		"$P" mul -j $j "in/$f.npy" w.npy -o "ref/$f.npy"
		same_file "--each --by, -j $j: $f.npy as a run of its own" "ref/$f.npy" "res/$f.npy"
	done
done

rm -f res/* ref/*
mkdir in2
"$P" gen 67x31 -o in2/p.npy -s 7
"$P" gen 67x9 -o in2/q.npy -s 8 -t float32
expect "--each --by-left" 0 '' "$P" mul --each in2/p.npy in2/q.npy --by-left wl.npy -o res -j 2
for f in p q; do
	"$P" mul wl.npy "in2/$f.npy" -o "ref/$f.npy"
	same_file "--by-left: $f.npy is wl . $f" "ref/$f.npy" "res/$f.npy"
done
expect "--by-left with --transpose-b" 0 '' "$P" mul --each in2/p.npy --by-left in2/p.npy --transpose-b -o res
"$P" mul in2/p.npy in2/p.npy --transpose-b -o ref/pt.npy
same_file "--by-left with --transpose-b: the transpose of each file" ref/pt.npy res/p.npy

# A file that fails: one message, its target as it was, the others done.
rm -f res/*
mkdir in3
"$P" gen 5x31 -o in3/1.npy
"$P" gen 5x30 -o in3/2.npy
printf 'not a matrix\n' >in3/3.npy
"$P" gen 5x31 -o in3/4.npy -s 9
echo old >res/2.npy
run "$P" mul --each in3/1.npy in3/2.npy in3/3.npy in3/4.npy --by w.npy -o res
is "a failing file: status 1" "$status" 1
is "a failing file: one line for each failure" "$(wc -l <err | tr -d ' ')" 2
if grep -q 'in3/2.npy is 5x30 but w.npy is 31x13: inner dimensions differ' err &&
    grep -q '^pardot: in3/3.npy: ' err; then
	ok "a failing file: each message names it"
else
	fail "a failing file: each message names it" "$(cat err)"
fi
is "a failing file: its target as it was" "$(cat res/2.npy)" old
"$P" mul in3/4.npy w.npy -o ref/4.npy
same_file "a failing file: the files after it done" ref/4.npy res/4.npy
[ ! -e res/3.npy ] && ok "a failing file: nothing written for it" ||
    fail "a failing file: nothing written for it" "res/3.npy exists"

# Raw files: --raw-a describes each product's left operand.
"$P" gen 4x31 -o r.bin --format raw -s 3
expect "--each --by, raw files" 0 '' "$P" mul --each r.bin --raw-a 4x31 --by w.npy --dtype float64 -o res
"$P" mul r.bin w.npy --raw-a 4x31 --dtype float64 -o ref/rbin.npy
same_file "--each, raw: the product of a raw run" ref/rbin.npy res/r.bin

expect "--each without --by" 2 '^pardot: --each: --each FILE\.\.\. goes with --by B or --by-left B$' \
    "$P" mul --each in/a.npy -o res
expect "--by without --each" 2 '^pardot: --by: --each FILE\.\.\. goes with' \
    "$P" mul in/a.npy --by w.npy -o res
expect "--by twice" 2 '^pardot: --by-left: one fixed operand only' \
    "$P" mul --each in/a.npy --by w.npy --by-left wl.npy -o res
expect "--each with no file" 2 '^pardot: --each: needs at least one FILE$' \
    "$P" mul --each --by w.npy -o res
expect "--each: -o not a directory" 2 '^pardot: w.npy: with --each, -o names an existing directory$' \
    "$P" mul --each in/a.npy --by w.npy -o w.npy
expect "--each: no -o" 2 '^pardot: mul: missing the output directory' \
    "$P" mul --each in/a.npy --by w.npy
expect "--each: two files of one name" 2 '^pardot: --each: in/a.npy and in2/a.npy would both be written to res/a.npy$' \
    sh -c "cp in/a.npy in2/a.npy && exec \"$P\" mul --each in/a.npy in2/a.npy --by w.npy -o res"
expect "--each: standard input" 2 "^pardot: --each: standard input \('-'\) has no name" \
    "$P" mul --each - --by w.npy -o res
expect "--by: standard input" 2 "^pardot: --by: standard input \('-'\) cannot be read for every FILE$" \
    "$P" mul --each in/a.npy --by - -o res
expect "--each: a missing B" 1 '^pardot: nothere.npy: No such file' \
    "$P" mul --each in/a.npy --by nothere.npy -o res
no_temporaries "--each: no temporaries left"

# More files than one batch of commits (64): every product still right.
mkdir many
i=0
while [ $i -lt 70 ]; do
	"$P" gen 3x31 -o many/m$i.npy -s $i
	i=$((i + 1))
done
rm -f res/*
expect "--each: 70 files, two batches of commits" 0 '' "$P" mul --each many/*.npy --by w.npy -o res
"$P" mul many/m69.npy w.npy -o ref/m69.npy
"$P" mul many/m0.npy w.npy -o ref/m0.npy
same_file "--each: the first file of the first batch" ref/m0.npy res/m0.npy
same_file "--each: the last file of the second batch" ref/m69.npy res/m69.npy
is "--each: 70 products" "$(find res -name 'm*.npy' | wc -l | tr -d ' ')" 70

# A signal while products wait for their commit removes every one of them.
mkdir slow slowres
i=0
while [ $i -lt 80 ]; do
	"$P" gen 500x500 -o slow/s$i.npy -s $i
	i=$((i + 1))
done
"$P" gen 500x500 -o sw.npy
"$P" mul -j 1 --each slow/*.npy --by sw.npy -o slowres &
pid=$!
sleep 0.3
kill -TERM $pid
wait $pid
st=$?
left=$(find slowres -name '.*.pardot-*' | wc -l | tr -d ' ')
if [ "$st" = 143 ] && [ "$left" = 0 ]; then
	ok "--each: SIGTERM mid-batch leaves no temporary file"
elif [ "$st" = 0 ]; then
	echo "SKIP --each: SIGTERM mid-batch: the batch ended before the signal"
else
	fail "--each: SIGTERM mid-batch leaves no temporary file" "status $st, $left left"
fi
