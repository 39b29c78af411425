#!/bin/sh
# Makes sure the unit-test framework, Check, is there before 'make check'
# builds the tests: installs it when running as root with apt-get, else
# prints the one command that installs it.
if pkg-config --exists check 2>/dev/null; then
	exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "make check: installing Check (apt-get install check)"
	apt-get update -qq >/dev/null &&
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq check >/dev/null &&
	    pkg-config --exists check && exit 0
	echo "make check: could not install Check" >&2
	exit 1
fi
echo "make check: the Check unit-test library is missing; install it with:" >&2
echo "    sudo apt-get install check pkg-config" >&2
exit 1
