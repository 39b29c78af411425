/*
 * What must hold for any command line given to the shared option parsing
 * of src/cli/cli.c (cli_getopt and the value parsers): shared by the fuzz
 * target tests/fuzz/fuzz_options.c and the replay of its corpus in 'make
 * check'. The input is the arguments, each ended by a NUL byte.
 *
 * Messages go to stderr, which is swapped for a memory stream here: when
 * every argument is printable, so must every message be (an option given
 * a value it does not take once printed a NUL byte), and each is one line
 * "pardot: NAME: ...".
 */
#ifndef PARDOT_OPTIONS_INVARIANTS_H
#define PARDOT_OPTIONS_INVARIANTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define FUZZ_MAX_ARGS	32

enum { FUZZ_LONG_FLAG = 256, FUZZ_LONG_VALUE, FUZZ_SIZE };

/* One option of every kind: short and long, flag and value, long-only. */
static const struct option fuzz_options[] = {
	{ "output",	required_argument, NULL, 'o' },
	{ "jobs",	required_argument, NULL, 'j' },
	{ "shape",	required_argument, NULL, 's' },
	{ "dtype",	required_argument, NULL, 't' },
	{ "rtol",	required_argument, NULL, 'r' },
	{ "format",	required_argument, NULL, 'f' },
	{ "verbose",	no_argument,	   NULL, 'v' },
	{ "quiet",	no_argument,	   NULL, 'q' },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "transpose",	no_argument,	   NULL, FUZZ_LONG_FLAG },
	{ "stats",	required_argument, NULL, FUZZ_LONG_VALUE },
	{ "mem-limit",	required_argument, NULL, FUZZ_SIZE },
	{ NULL, 0, NULL, 0 },
};

/* Applies the option's value parser; a message is fine, a bad value not. */
static const char *
options_check_value(int c, const char *arg)
{
	long long n;
	uint64_t u, shape[2] = { 0, 0 };
	double d;
	int nd = 0;
	enum dtype t;
	enum file_format ff;

	if (arg == NULL)
		return c == 'o' || c == 'j' || c == 's' || c == 't' ||
		    c == 'r' || c == 'f' || c == FUZZ_LONG_VALUE ||
		    c == FUZZ_SIZE ? "a value option without its value" : NULL;
	if (c == 'j' && parse_number("-j", arg, 1, MAX_THREADS, &n) == 0 &&
	    (n < 1 || n > MAX_THREADS))
		return "parse_number out of its range";
	if (c == 's' && parse_shape("-s", arg, 2, &nd, shape) == 0 &&
	    (nd < 1 || nd > 2 || shape[0] > (1ull << 62) ||
	    shape[1] > (1ull << 62)))
		return "parse_shape gave a bad shape";
	if (c == 't' && parse_dtype("-t", arg, &t) == 0 &&
	    (unsigned)t >= DTYPE_COUNT)
		return "parse_dtype gave a bad dtype";
	if (c == 'r' && parse_real("-r", arg, &d) == 0 && !(d >= 0))
		return "parse_real gave a negative or NaN";
	if (c == 'f')
		(void)parse_format("-f", arg, &ff);
	if (c == FUZZ_SIZE && parse_size("--mem-limit", arg, &u) == 0 &&
	    (u == 0 || u >= (1ull << 62)))
		return "parse_size out of its range";
	return NULL;
}

/* Every message one printable line "pardot: NAME: ...". */
static const char *
options_check_messages(const char *msg, size_t len)
{
	for (size_t i = 0, start = 0; i < len; i++) {
		if (msg[i] != '\n' && ((unsigned char)msg[i] < 0x20 ||
		    msg[i] == 0x7f))
			return "a control byte in a message";
		if (msg[i] != '\n')
			continue;
		if (strncmp(msg + start, "pardot: ", 8) != 0)
			return "a message that is not 'pardot: NAME: ...'";
		start = i + 1;
	}
	return len > 0 && msg[len - 1] != '\n' ? "an unfinished message" :
	    NULL;
}

static const char *
options_parse_all(int argc, char **argv)
{
	const char *why;
	int c;

	optind = 0;	/* glibc: start afresh */
	while ((c = cli_getopt(argc, argv, "o:j:s:t:r:f:vqh", fuzz_options,
	    "fuzz")) != -1) {
		if (c == '?')
			continue;
		if (strchr("ojstrfvqh", c) == NULL && c != FUZZ_LONG_FLAG &&
		    c != FUZZ_LONG_VALUE && c != FUZZ_SIZE)
			return "cli_getopt returned an unknown option";
		if ((why = options_check_value(c, optarg)) != NULL)
			return why;
	}
	if (optind < 0 || optind > argc)
		return "optind outside the arguments";
	return NULL;
}

static const char *
options_check_invariants(const unsigned char *data, size_t size)
{
	char *copy = malloc(size + 1), *argv[FUZZ_MAX_ARGS + 2], *msg = NULL;
	size_t msglen = 0;
	bool printable = true;
	FILE *saved = stderr, *mem;
	const char *why = NULL;
	int argc = 1;

	if (copy == NULL)
		return NULL;
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[0] = (char *)"pardot";
	for (size_t i = 0; i < size && argc <= FUZZ_MAX_ARGS; ) {
		argv[argc++] = copy + i;
		i += strlen(copy + i) + 1;
	}
	argv[argc] = NULL;
	for (size_t i = 0; i < size; i++)
		if (copy[i] != '\0' && ((unsigned char)copy[i] < 0x20 ||
		    (unsigned char)copy[i] >= 0x7f))
			printable = false;
	if ((mem = open_memstream(&msg, &msglen)) == NULL) {
		free(copy);
		return NULL;
	}
	stderr = mem;
	why = options_parse_all(argc, argv);
	stderr = saved;
	fclose(mem);
	if (why == NULL && printable)
		why = options_check_messages(msg, msglen);
	free(msg);
	free(copy);
	return why;
}

#endif
