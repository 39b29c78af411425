#!/bin/sh
# Run by 'make fuzz': fuzzes for SECONDS from the corpus in tests/fuzz/corpus/,
# new inputs going to a scratch corpus under the build directory. An input
# that breaks an invariant (or crashes, leaks, hangs) is copied into
# tests/fuzz/corpus/ as a regression file, which 'make check' replays.
#
# usage: sh tests/fuzz/run.sh FUZZER SECONDS
fuzzer=$1 seconds=$2
dir=$(dirname "$fuzzer")
rm -rf "$dir/work" "$dir/artifacts"
mkdir -p "$dir/work" "$dir/artifacts" || exit 1

"$fuzzer" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/" \
    "$dir/work" tests/fuzz/corpus >"$dir/fuzz.log" 2>&1
status=$?
grep -E '^(stat::number_of_executed_units|stat::new_units_added|#[0-9]+ +DONE)' "$dir/fuzz.log"

found=0
for f in "$dir"/artifacts/*; do
	[ -f "$f" ] || continue
	[ "$found" = 0 ] && echo "make fuzz: the parser broke on these inputs, now kept in tests/fuzz/corpus/:"
	cp "$f" tests/fuzz/corpus/ && echo "    $(basename "$f")"
	found=$((found + 1))
done
if [ "$found" != 0 ]; then
	grep -E 'npy_parse:|ERROR|runtime error' "$dir/fuzz.log" | head -n 5
	exit 1
fi
if [ "$status" != 0 ]; then
	echo "make fuzz: the fuzzer failed (status $status); see $dir/fuzz.log"
	tail -n 20 "$dir/fuzz.log"
	exit 1
fi
echo "make fuzz: no findings in $seconds s; log in $dir/fuzz.log"
