/*
 * What every subcommand shares: option parsing with getopt_long, numbers,
 * shapes and types from the command line, and the error conventions
 * (`pardot: NAME: what is wrong`, exit 1 at run time, 2 for usage).
 */
#ifndef PARDOT_CLI_H
#define PARDOT_CLI_H

#include <getopt.h>
#include <stdint.h>

#include "codec/format.h"
#include "core/matrix.h"

#define EXIT_USAGE	2

/*
 * What every option parser and option callback returns, and every value
 * parser below: CLI_OK, EXIT_USAGE after reporting a usage error, or
 * CLI_HELP for --help. A command's run returns CLI_HELP as it is, and the
 * dispatcher prints the command's help, once for all commands.
 */
#define CLI_OK		0
#define CLI_HELP	(-1)

struct command {
	const char	*name;
	int		(*run)(int argc, char **argv);
	const char	*help;		/* synopsis and options, for --help */
	int		 help_failed;	/* status when help cannot be written */
};

extern const struct command cmd_mul, cmd_gen, cmd_info, cmd_cmp,
    cmd_convert;

/*
 * getopt_long with pardot's messages: returns the option, -1 at the end of
 * the options, or '?' after reporting a usage error for command cmd.
 */
int	cli_getopt(int argc, char **argv, const char *shortopts,
	    const struct option *longopts, const char *cmd);

/* Prints `pardot: name: message` and returns EXIT_USAGE. */
int	usage_error(const char *name, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * The values of options: each returns CLI_OK, or EXIT_USAGE after saying
 * which option was bad and why.
 */
/* A whole number in [lo, hi]. */
int	parse_number(const char *opt, const char *s, long long lo,
	    long long hi, long long *out);
int	parse_real(const char *opt, const char *s, double *out);
/* "512M", "8G", "4096": bytes, powers of 1024. */
int	parse_size(const char *opt, const char *s, uint64_t *out);
/*
 * "N", "ROWSxCOLS" or "D1xD2x...": from 1 to max_ndim dimensions into
 * shape, which has room for max_ndim.
 */
int	parse_shape(const char *opt, const char *s, int max_ndim, int *ndim,
	    uint64_t *shape);
int	parse_dtype(const char *opt, const char *s, enum dtype *out);
/* "npy" or "raw". */
int	parse_format(const char *opt, const char *s, enum file_format *out);

/* The most threads a command runs, whatever -j or OMP_NUM_THREADS asks. */
#define MAX_THREADS	4096

/*
 * Worker threads: jobs when above 0 (-j), else OMP_NUM_THREADS, else the
 * online CPUs, at most MAX_THREADS (said when lowered); also set as
 * OpenMP's default. Every command calls it once its options are parsed.
 */
int	cli_threads(int jobs);

/*
 * What goes to standard error besides errors, shared by the commands as
 * zstd's display level: -q keeps to errors, -v adds reports.
 */
enum verbosity { VERBOSITY_QUIET, VERBOSITY_NORMAL, VERBOSITY_VERBOSE };
extern int	cli_verbosity;

/* PARDOT_ARCH when set and not empty: the kernel set to force. */
const char *arch_override(void);

/* Checks and closes standard output; returns 1 on a write error. */
int	close_stdout(void);

#endif
