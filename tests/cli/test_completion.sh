#!/bin/sh
# The bash completion in src/cli/completion.bash: bash sources it, and each
# case sets COMP_WORDS and COMP_CWORD as bash would and calls _pardot, then
# compares COMPREPLY with what it should hold. Also: make install puts the
# file where bash-completion looks, and make uninstall removes it.

# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"

SRC=$(cd "$TESTS/.." && pwd)
if ! command -v bash >/dev/null 2>&1; then
	echo "SKIP bash completion: bash not installed"
	exit 0
fi

mkdir -p 'a dir' sub
: >data.npy
: >dat2.csv
: >'my file.csv'

# Each line of cases.txt: NAME|WANT|WORD... (WANT: COMPREPLY sorted, joined
# by spaces; WORDs separated by '|', the last one being completed, where
# '@' stands for an empty word).
cat >cases.txt <<'EOF'
commands|--help --version cmp convert gen help info mul|pardot|@
commands from co|convert|pardot|co
help CMD|cmp convert gen info mul|pardot|help|@
nothing after help CMD||pardot|help|mul|@
options of cmp, from its help|--atol --equal-nan --help --rtol|pardot|cmp|--
options of info|--help --json --range|pardot|info|--
an option of mul|--transpose-a --transpose-b|pardot|mul|--tr
options of convert|--delimiter --dtype|pardot|convert|--d
every option of gen after -|--dtype --fill --format --help --output --range --seed -f -h -o -s -t|pardot|gen|-
no option from the help's prose|--raw|pardot|convert|--ra
dtype names after --dtype|bool complex128 complex64 float16 float32 float64 int16 int32 int64 int8 uint16 uint32 uint64 uint8|pardot|mul|--dtype|@
dtype names after -t|int16 int32 int64 int8|pardot|gen|-t|i
dtype names after --dtype-b|uint16 uint32 uint64 uint8|pardot|mul|--dtype-b|u
formats after --to|csv mtx npy raw|pardot|convert|x.npy|--to|@
formats after --from|mtx|pardot|convert|--from|m
formats after --format|npy raw|pardot|gen|2x2|--format|@
formats after --to=|csv mtx npy raw|pardot|convert|--to|=
formats after --to=c|csv|pardot|convert|--to|=|c
fills after --fill|arange identity normal ones random zeros|pardot|gen|3x3|--fill|@
fills after -f|normal|pardot|gen|-f|n
nothing after --seed||pardot|gen|--seed|@
nothing after --rtol||pardot|cmp|--rtol|@
nothing after gen --range||pardot|gen|--range|@
nothing after --delimiter||pardot|convert|--delimiter|@
nothing after -j||pardot|mul|-j|@
nothing after --mem-limit||pardot|mul|--mem-limit|@
files after info --range|dat2.csv data.npy|pardot|info|--range|da
files after -o|dat2.csv data.npy|pardot|mul|a|b|-o|da
files as operands|dat2.csv data.npy|pardot|convert|d
a name with a space|my file.csv|pardot|cmp|my
directories|a dir|pardot|info|a
EOF

PATH="$(dirname "$PARDOT"):$PATH" bash -s "$SRC/src/cli/completion.bash" <<'EOF'
. "$1" || { echo "FAIL bash completion: cannot source $1"; exit 0; }
if [ "$(complete -p pardot 2>/dev/null)" = "complete -F _pardot pardot" ]; then
	echo "ok completion is registered for pardot"
else
	echo "FAIL completion is registered for pardot: $(complete -p pardot 2>&1)"
fi
while IFS='|' read -r name want rest; do
	IFS='|' read -r -a COMP_WORDS <<<"$rest"
	[[ ${COMP_WORDS[-1]} == @ ]] && COMP_WORDS[-1]=
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_pardot 2>/dev/null
	got=$(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | paste -sd ' ' -)
	if [ "$got" = "$want" ]; then
		echo "ok completion: $name"
	else
		echo "FAIL completion: $name: got '$got', wanted '$want'"
	fi
done <cases.txt
EOF

# make install and uninstall, into a staging directory. Only when ./pardot
# is built, and without rebuilding it (-o pardot): that is make's job.
if [ -x "$SRC/pardot" ]; then
	stage=$SCRATCH/stage
	comp=$stage/usr/share/bash-completion/completions/pardot
	if make -s -C "$SRC" -o pardot install PREFIX=/usr DESTDIR="$stage" >make.out 2>&1; then
		ok "make install"
	else
		fail "make install" "$(tail -n 3 make.out)"
	fi
	same_file "make install: the completion file in bash-completion's directory" "$comp" "$SRC/src/cli/completion.bash"
	if make -s -C "$SRC" uninstall PREFIX=/usr DESTDIR="$stage" >make.out 2>&1 && [ ! -e "$comp" ]; then
		ok "make uninstall removes the completion file"
	else
		fail "make uninstall removes the completion file" "$(ls "$comp" 2>&1)"
	fi
else
	echo "SKIP make install: ./pardot is not built"
fi
