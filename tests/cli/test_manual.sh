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
