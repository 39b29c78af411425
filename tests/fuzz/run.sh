#!/bin/sh
# Run by 'make fuzz' for each target: fuzzes for SECONDS from the corpus in
# CORPUS, new inputs going to a scratch corpus under the build directory. An
# input that breaks an invariant (or crashes, leaks, hangs) is copied into
# CORPUS as a regression file, which 'make check' replays.
#
# usage: sh tests/fuzz/run.sh FUZZER SECONDS CORPUS
fuzzer=$1 seconds=$2 corpus=${3:-tests/fuzz/corpus}
dir=$(dirname "$fuzzer")/$(basename "$fuzzer").run
rm -rf "$dir/work" "$dir/artifacts"
mkdir -p "$dir/work" "$dir/artifacts" || exit 1

# A Matrix Market size line may ask for a huge dense matrix: the reader
# must fail cleanly when memory is refused, so allocation may fail here.
ASAN_OPTIONS=${ASAN_OPTIONS:-allocator_may_return_null=1} \
"$fuzzer" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -malloc_limit_mb=1048576 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/" \
    "$dir/work" "$corpus" >"$dir/fuzz.log" 2>&1
status=$?
echo "$(basename "$fuzzer"):"
grep -E '^(stat::number_of_executed_units|stat::new_units_added|#[0-9]+ +DONE)' "$dir/fuzz.log"

found=0
for f in "$dir"/artifacts/*; do
	[ -f "$f" ] || continue
	[ "$found" = 0 ] && echo "make fuzz: the parser broke on these inputs, now kept in $corpus/:"
	cp "$f" "$corpus/" && echo "    $(basename "$f")"
	found=$((found + 1))
done
if [ "$found" != 0 ]; then
	grep -E '^[a-z_]+: |ERROR|runtime error' "$dir/fuzz.log" | head -n 5
	exit 1
fi
if [ "$status" != 0 ]; then
	echo "make fuzz: the fuzzer failed (status $status); see $dir/fuzz.log"
	tail -n 20 "$dir/fuzz.log"
	exit 1
fi
echo "make fuzz: no findings in $seconds s; log in $dir/fuzz.log"
