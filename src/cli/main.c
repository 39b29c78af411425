/* pardot: multiply matrices stored in files. Dispatches to a subcommand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/kernels/kernel.h"
#include "io/streams.h"
#include "mpi/mpi_run.h"

static const struct command *const commands[] = {
	&cmd_mul, &cmd_gen, &cmd_info, &cmd_cmp, &cmd_convert,
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char main_help[] =
"usage: pardot mul [options] A B -o C\n"
"       pardot mul [options] --each FILE... --by B|--by-left B -o DIR\n"
"       pardot gen SHAPE -o FILE [--dtype T] [--seed N] [--fill KIND]\n"
"           [--range LO:HI]\n"
"       pardot info [--range] [--json] FILE...\n"
"       pardot cmp [--rtol R] [--atol A] [--equal-nan] X Y\n"
"       pardot convert IN -o OUT [--to FORMAT] [options]\n"
"       pardot --help | --version\n"
"       pardot help CMD\n"
"\n"
"Multiplies matrices stored in .npy or raw files, on every core, without\n"
"loading them into private memory, and converts them to and from CSV and\n"
"Matrix Market text. 'pardot help CMD' describes a command.\n"
"\n"
"  -h, --help     show this help\n"
"  -V, --version  show the version and the kernel set mul would use\n";

static const struct command *
find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(name, commands[i]->name) == 0)
			return commands[i];
	return NULL;
}

static int
version(void)
{
	const char *why;
	const struct kernel_set *ks = kernels_select(arch_override(), &why);

	printf("pardot %s\n", PARDOT_VERSION);
	printf("kernels: %s\n", ks != NULL ? ks->isa : why);
	if (mpi_library() != NULL)
		printf("mpi: %s\n", mpi_library());
	return close_stdout();
}

static int
help(const char *name)
{
	const struct command *cmd;

	if (name == NULL || strcmp(name, "help") == 0) {
		fputs(main_help, stdout);
		return close_stdout();
	}
	if ((cmd = find_command(name)) == NULL)
		return usage_error(name, "unknown command; see 'pardot --help'");
	fputs(cmd->help, stdout);
	return close_stdout();
}

static int
run(int argc, char **argv)
{
	const struct command *cmd;
	int status;

	if (argc < 2)
		return usage_error("usage", "pardot mul|gen|info|cmp|convert "
		    "...; see 'pardot --help'");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return help(NULL);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		return version();
	if (strcmp(argv[1], "help") == 0) {
		if (argc > 3)
			return usage_error("help", "takes one command name");
		return help(argc == 3 ? argv[2] : NULL);
	}
	if ((cmd = find_command(argv[1])) == NULL)
		return usage_error(argv[1], argv[1][0] == '-' ?
		    "unknown option; see 'pardot --help'" :
		    "unknown command; see 'pardot --help'");
	if ((status = cmd->run(argc - 1, argv + 1)) != CLI_HELP)
		return status;
	/* --help, the same for every command: its help on stdout. */
	fputs(cmd->help, stdout);
	return close_stdout() == 0 ? 0 : cmd->help_failed;
}

/*
 * Under mpirun or srun every rank runs mul, each its share of the rows;
 * the other commands are for one process, and rank 0 runs them alone.
 */
int
main(int argc, char **argv)
{
	int status;

	streams_init();
	if (mpi_start(&argc, &argv) == -1)
		return 1;
	if (argc >= 2 && strcmp(argv[1], "mul") == 0)
		status = run(argc, argv);
	else
		status = mpi_on_root(run, argc, argv);
	return mpi_finish(status);
}
