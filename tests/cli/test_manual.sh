#!/bin/sh
# The manual against the program: man/pardot.1 lints clean with mandoc and
# groff, its SYNOPSIS is the usage that 'pardot --help' prints, line for
# line, and each command's own --help starts with its line of that usage.

# shellcheck source=/dev/null
. "$(dirname "$0")/lib.sh"

MAN=$TESTS/../man/pardot.1

if command -v mandoc >/dev/null 2>&1; then
	mandoc -Tlint -Wwarning "$MAN" >lint 2>&1
	if [ -s lint ]; then fail "mandoc -Tlint -Wwarning" "$(head -n 3 lint)"; else ok "mandoc -Tlint -Wwarning"; fi
	# One usage a line: continuation lines (indented, not "pardot ...")
	# are joined to the line they continue, and blanks squeezed.
	mandoc -Tascii -Owidth=250 "$MAN" | col -b |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d;/^ *$/d' |
	    sed 's/^ *//; s/  */ /g' >synopsis
	"$PARDOT" --help | sed -n '/^usage:/,/^$/p' | sed 's/^usage://; /^ *$/d' |
	    awk '/^ *pardot / { if (line != "") print line; line = $0; next }
		{ line = line " " $0 } END { print line }' |
	    sed 's/^ *//; s/  */ /g' >usage
	if cmp -s synopsis usage; then
		ok "the manual's SYNOPSIS is --help's usage"
	else
		fail "the manual's SYNOPSIS is --help's usage" "$(diff synopsis usage | head -n 6 | tr '\n' ' ')"
	fi
	# Quotes that mdoc nests wrongly, which -Tlint lets pass: Qq
	# encloses everything to the end of its line, so ".Pq Qq a , Qq b No
	# or c" renders ("a, "b or c""). The rendered page must hold no
	# doubled quote and no quote opened inside an open one, and no
	# source line may hope that No ends a Qq.
	mandoc -Tutf8 "$MAN" | col -b | tr '\n' ' ' | sed 's/  */ /g' >rendered
	if grep -oE '.{0,30}""|"[^" ]+, "' rendered >quotes; then
		fail "manual: no nested or doubled quotes" "$(head -n 3 quotes | tr '\n' ' ')"
	else
		ok "manual: no nested or doubled quotes"
	fi
	if grep -nE '(^|[ .])Qq .* No ' "$MAN" >qqno; then
		fail "manual: no Qq that No is meant to close" "$(head -n 3 qqno | tr '\n' ' ')"
	else
		ok "manual: no Qq that No is meant to close"
	fi
	# shellcheck disable=SC2013 # one command name a line
	for cmd in $(sed -n 's/^pardot \([a-z][a-z]*\) .*/\1/p' usage); do
		[ "$cmd" = help ] && continue
		# Each of the command's usages (mul has two) is one of the manual's.
		"$PARDOT" help "$cmd" | sed -n '/^usage:/,/^$/p' | sed 's/^usage://; /^ *$/d' |
		    awk '/^ *pardot / { if (line != "") print line; line = $0; next }
			{ line = line " " $0 } END { print line }' |
		    sed 's/^ *//; s/  */ /g; s/ $//' >cmd-usage
		if [ -s cmd-usage ] && grep -vxF -f usage cmd-usage >/dev/null; then
			fail "help $cmd: its usage is the manual's" "$(grep -vxF -f usage cmd-usage)"
		elif [ -s cmd-usage ]; then
			ok "help $cmd: its usage is the manual's"
		else
			fail "help $cmd: its usage is the manual's" "$(cat cmd-usage)"
		fi
	done
else
	echo "SKIP manual: mandoc not installed"
fi
if command -v groff >/dev/null 2>&1; then
	groff -mandoc -ww -z "$MAN" >groff.out 2>&1
	if [ -s groff.out ]; then fail "groff -ww" "$(head -n 3 groff.out)"; else ok "groff -ww"; fi
else
	echo "SKIP groff -ww: groff not installed"
fi
