#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <omp.h>

#include "cli/cli.h"
#include "core/dtype.h"
#include "io/matfile.h"

int	cli_verbosity = VERBOSITY_NORMAL;

int
usage_error(const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pardot: %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

/* The option as the user typed it, for messages: "-j" or "--jobs". */
static const char *
typed_option(char **argv, int optind_after)
{
	static char buf[64];
	const char *s = argv[optind_after - 1];

	snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(s, "="), s);
	return buf;
}

/*
 * After getopt_long's '?'. A valid short option never fails on its own,
 * so an optopt that names one (or a long-only code, above 255) comes from
 * a long option given a value it does not take, as in --verbose=1.
 */
static void
report_bad_option(char **argv, const char *shortopts, const char *cmd)
{
	if (optopt > 255 || (optopt > 0 && strchr(shortopts, optopt) != NULL))
		usage_error(typed_option(argv, optind), "takes no value; see "
		    "'pardot %s --help'", cmd);
	else if (optopt > 0)
		usage_error(cmd, "unknown option -%c; see 'pardot %s --help'",
		    optopt, cmd);
	else
		usage_error(cmd, "unknown option %s; see 'pardot %s --help'",
		    typed_option(argv, optind), cmd);
}

int
cli_getopt(int argc, char **argv, const char *shortopts,
    const struct option *longopts, const char *cmd)
{
	char opts[128];
	int c;

	/* A leading ':' makes getopt tell a missing value from a bad option. */
	snprintf(opts, sizeof(opts), ":%s", shortopts);
	opterr = 0;
	c = getopt_long(argc, argv, opts, longopts, NULL);
	if (c == ':') {
		usage_error(optopt && argv[optind - 1][1] != '-' ?
		    (char[]){ '-', (char)optopt, 0 } : typed_option(argv, optind),
		    "needs a value; see 'pardot %s --help'", cmd);
		return '?';
	}
	if (c == '?') {
		report_bad_option(argv, shortopts, cmd);
		return '?';
	}
	return c;
}

int
parse_number(const char *opt, const char *s, long long lo, long long hi,
    long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0' || *s == ' ')
		usage_error(opt, "'%s' is not a whole number", s);
	else if (errno == ERANGE || v < lo || v > hi)
		usage_error(opt, "%s is out of range (%lld to %lld)", s, lo, hi);
	else {
		*out = v;
		return 0;
	}
	return EXIT_USAGE;
}

int
parse_real(const char *opt, const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (end == s || *end != '\0' || errno == ERANGE || *out < 0 ||
	    *out != *out) {
		usage_error(opt, "'%s' is not a non-negative number", s);
		return EXIT_USAGE;
	}
	return 0;
}

/*
 * A size in bytes: digits, then K, M, G or T (powers of 1024), with or
 * without a following "B" or "iB"; at least 1 byte, below 2^62.
 */
int
parse_size(const char *opt, const char *s, uint64_t *out)
{
	static const char units[] = "KMGT";
	const char *u;
	uint64_t v = 0;
	size_t i = 0;
	int shift = 0;

	/* Past 2^62 the digits are still read, to say "too large" after. */
	for (; s[i] >= '0' && s[i] <= '9'; i++)
		if (v < (1ull << 62))
			v = v * 10 + (uint64_t)(s[i] - '0');
	if (s[i] != '\0' && (u = strchr(units, s[i] & ~0x20)) != NULL) {
		shift = 10 * (int)(u - units + 1);
		i++;
		if (s[i] == 'i' && s[i + 1] == 'B')
			i += 2;
		else if (s[i] == 'B')
			i++;
	}
	if (i == 0 || s[0] < '0' || s[0] > '9' || s[i] != '\0') {
		usage_error(opt, "'%s' is not a size (such as 512M or 8G)", s);
		return EXIT_USAGE;
	}
	if (v == 0) {
		usage_error(opt, "'%s' is zero: a size is at least one byte",
		    s);
		return EXIT_USAGE;
	}
	if (v >= (1ull << 62) >> shift) {
		usage_error(opt, "'%s' is too large: sizes stop below 2^62 "
		    "bytes (4194304T)", s);
		return EXIT_USAGE;
	}
	*out = v << shift;
	return 0;
}

/* One dimension: digits only, at most 2^62 so products can be checked. */
static int
parse_dim(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 19)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > (1ull << 62))
		return -1;
	*out = v;
	return 0;
}

int
parse_shape(const char *opt, const char *s, int max_ndim, int *ndim,
    uint64_t *shape)
{
	const char *p = s, *x;
	int n = 0;

	for (;; p = x + 1) {
		x = strchr(p, 'x');
		if (x == NULL)
			x = p + strlen(p);
		if (n == max_ndim ||
		    parse_dim(p, (size_t)(x - p), &shape[n]) != 0)
			break;
		n++;
		if (*x == '\0') {
			*ndim = n;
			return 0;
		}
	}
	if (max_ndim == 2)
		usage_error(opt, "'%s' is not a shape (ROWSxCOLS or N)", s);
	else
		usage_error(opt, "'%s' is not a shape (N, ROWSxCOLS or "
		    "D1xD2x..., at most %d dimensions)", s, max_ndim);
	return EXIT_USAGE;
}

int
parse_dtype(const char *opt, const char *s, enum dtype *out)
{
	/* TODO(dtypes): the others once every command takes them. */
	if (dtype_parse(s, out) == 0 && *out <= DTYPE_I32)
		return 0;
	usage_error(opt, "unknown dtype '%s' (float64, float32, int64, int32 "
	    "or f8 f4 i8 i4)", s);
	return EXIT_USAGE;
}

/*
 * The thread count of every command, from -j (jobs > 0) or else the
 * environment, bounded here once: OpenMP's runtime takes OMP_NUM_THREADS
 * as it is and dies creating 99999 threads, so the bounded count is set
 * for it too, and a lowered request is said.
 */
int
cli_threads(int jobs)
{
	const char *env = getenv("OMP_NUM_THREADS");
	long n;

	if (jobs <= 0 && env != NULL && *env != '\0') {
		/* A list ("4,2") is allowed: its first entry is the outer level. */
		errno = 0;
		n = strtol(env, NULL, 10);
		if (n > MAX_THREADS || (errno == ERANGE && n > 0)) {
			if (cli_verbosity >= VERBOSITY_NORMAL)
				warnx("OMP_NUM_THREADS: %s threads are too "
				    "many; using %d", env, MAX_THREADS);
			jobs = MAX_THREADS;
		} else if (n > 0)
			jobs = (int)n;
	}
	if (jobs <= 0) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = n > 0 ? (int)(n < MAX_THREADS ? n : MAX_THREADS) : 1;
	}
	omp_set_num_threads(jobs);
	return jobs;
}

int
close_stdout(void)
{
	int e;

	if (fflush(stdout) != 0 || ferror(stdout)) {
		e = errno;
		fclose(stdout);
		warnx("-: cannot write: %s", strerror(e));
		return 1;
	}
	if (fclose(stdout) != 0) {
		warn("-: cannot write");
		return 1;
	}
	return 0;
}

int
parse_format(const char *opt, const char *s, enum file_format *out)
{
	if (strcmp(s, "npy") == 0)
		*out = FORMAT_NPY;
	else if (strcmp(s, "raw") == 0)
		*out = FORMAT_RAW;
	else
		return usage_error(opt, "unknown format '%s' (npy or raw)", s);
	return 0;
}

const char *
arch_override(void)
{
	const char *s = getenv("PARDOT_ARCH");

	return s != NULL && *s != '\0' ? s : NULL;
}
