/* pardot info: describe .npy files. */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "dtype.h"
#include "matfile.h"

static const char info_help[] =
"usage: pardot info FILE...\n"
"\n"
"Prints the shape, dtype, byte order, memory order, format version, data\n"
"offset and data size of each .npy file, one line per file.\n"
"\n"
"  -h, --help   show this help\n";

static const struct option info_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int
describe(const char *path)
{
	struct input_matrix in;
	const struct npy_header *h = &in.hdr;
	char s[64];

	if (input_open(&in, path, NULL) == -1) {
		warnx("%s: %s", path, in.err);
		return 1;
	}
	printf("%s: shape %s, %s, %s-endian, %s order, npy %d.%d, "
	    "data offset %llu, data size %llu bytes\n", path,
	    shape_str(s, sizeof(s), h->ndim, h->shape), dtype_name(h->dtype),
	    h->big_endian ? "big" : "little", h->fortran_order ? "Fortran" : "C",
	    h->major, h->minor, (unsigned long long)h->data_offset,
	    (unsigned long long)h->data_size);
	input_close(&in);
	return 0;
}

static int
info_main(int argc, char **argv)
{
	int c, status = 0;

	while ((c = cli_getopt(argc, argv, "h", info_options, "info")) != -1) {
		if (c != 'h')
			return EXIT_USAGE;
		fputs(info_help, stdout);
		return close_stdout();
	}
	if (optind == argc)
		return usage_error("info", "needs at least one file; see "
		    "'pardot info --help'");
	for (int i = optind; i < argc; i++)
		status |= describe(argv[i]);
	return close_stdout() | status;
}

const struct command cmd_info = { "info", info_main, info_help };
