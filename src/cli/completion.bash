# Bash completion for pardot(1): the commands, each command's options, the
# values of options that take one from a fixed list (types, formats,
# fills), and file names everywhere else.
#
# The options are read from 'pardot CMD --help', once per command and
# shell, so that they cannot drift from the program's own table. `make
# install` puts this file where bash-completion finds it on demand,
# $(PREFIX)/share/bash-completion/completions/pardot; to try it without
# installing, source it: . src/completion.bash

_pardot_commands=(mul gen info cmp convert)
declare -gA _pardot_cache

# The options of one command, long and short, as its --help lists them in
# the left column: "  -o, --output FILE   ..." gives -o and --output.
_pardot_options()
{
	local prog=$1 cmd=$2 line spec word key="$1 $2"

	if [[ -z ${_pardot_cache[$key]+set} ]]; then
		_pardot_cache[$key]=$("$prog" "$cmd" --help 2>/dev/null |
		    while IFS= read -r line; do
			[[ $line =~ ^\ +(-.*)$ ]] || continue
			spec=${BASH_REMATCH[1]%%  *}
			for word in ${spec//,/ }; do
				word=${word%%[=[]*}
				[[ $word == -* ]] && printf '%s\n' "$word"
			done
		done)
	fi
	printf '%s\n' "${_pardot_cache[$key]}"
}

# Sets COMPREPLY to the words of the list that start with $1.
_pardot_words()
{
	local cur=$1

	shift
	mapfile -t COMPREPLY < <(compgen -W "$*" -- "$cur")
}

_pardot_files()
{
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen -f -- "$1")
}

# The values of the option prev of command cmd: 0 if it takes one.
_pardot_values()
{
	local cmd=$1 prev=$2 cur=$3

	case "$cmd $prev" in
	*' -t' | *' --dtype' | *' --dtype-a' | *' --dtype-b')
		_pardot_words "$cur" bool int8 int16 int32 int64 uint8 \
		    uint16 uint32 uint64 float16 float32 float64 complex64 \
		    complex128 ;;
	*' --to' | *' --from')
		_pardot_words "$cur" npy raw csv mtx ;;
	*' --format')
		_pardot_words "$cur" npy raw ;;
	'gen -f' | 'gen --fill')
		_pardot_words "$cur" random normal zeros ones identity arange ;;
	*' --overflow')
		_pardot_words "$cur" wrap error ;;
	*' --stats')
		_pardot_words "$cur" json ;;
	*' -o' | *' --output')
		_pardot_files "$cur" ;;
	'mul -j' | *' --jobs' | 'gen -s' | *' --seed' | 'gen --range' | \
	'cmp -r' | *' --rtol' | 'cmp -a' | *' --atol' | *' --raw' | \
	*' --raw-a' | *' --raw-b' | *' --mem-limit' | 'convert -d' | \
	*' --delimiter' | *' --fmt')
		COMPREPLY=() ;;
	*)
		return 1 ;;
	esac
	return 0
}

_pardot()
{
	local prog=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev=
	local cmd=${COMP_WORDS[1]}

	COMPREPLY=()
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# Bash splits "--to=csv" at the '=': complete the value after it.
	if [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	if ((COMP_CWORD == 1)); then
		_pardot_words "$cur" "${_pardot_commands[@]}" help --help --version
		return
	fi
	if [[ $cmd == help ]]; then
		((COMP_CWORD == 2)) && _pardot_words "$cur" "${_pardot_commands[@]}"
		return
	fi
	_pardot_values "$cmd" "$prev" "$cur" && return
	if [[ $cur == -* ]]; then
		_pardot_words "$cur" "$(_pardot_options "$prog" "$cmd")"
	else
		_pardot_files "$cur"
	fi
}

complete -F _pardot pardot
