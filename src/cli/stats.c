#include <stdio.h>
#include <string.h>

#include "core/dtype.h"
#include "codec/json.h"
#include "cli/stats.h"
#include "io/procfile.h"

/* A "Name:   N kB" line of /proc/self/status, in kB, or -1. */
static long long
status_kb(const char *key)
{
	uint64_t kb;

	return procfile_u64("/proc/self/status", key, &kb) ? (long long)kb :
	    -1;
}

void
stats_sample_memory(struct mul_stats *st)
{
	long long kb = status_kb("RssAnon:");

	if (kb > st->peak_anon_kb)
		st->peak_anon_kb = kb;
}

void
stats_sample_memory_now_and_then(struct mul_stats *st, double now)
{
	if (now < st->next_sample)
		return;
	st->next_sample = now + 0.1;
	stats_sample_memory(st);
}

static void
print_file(FILE *f, const struct stats_file *sf)
{
	fputs("{\"path\":", f);
	json_string(f, sf->path);
	fprintf(f, ",\"format\":\"%s\",\"shape\":[", sf->format);
	for (int i = 0; i < sf->ndim; i++)
		fprintf(f, "%s%llu", i > 0 ? "," : "",
		    (unsigned long long)sf->shape[i]);
	fprintf(f, "],\"dtype\":\"%s\"}", dtype_name(sf->dtype));
}

static void
print_kb(FILE *f, const char *key, long long kb)
{
	if (kb < 0)
		fprintf(f, "\"%s\":null", key);
	else
		fprintf(f, "\"%s\":%lld", key, kb * 1024);
}

static void
print_memory(FILE *f, const struct mul_stats *st)
{
	fputs(",\"memory\":{", f);
	print_kb(f, "peak_private_bytes", st->peak_anon_kb);
	fputs(",\"peak_private_source\":\"RssAnon, sampled during the run\",",
	    f);
	print_kb(f, "peak_rss_bytes", status_kb("VmHWM:"));
	fputs(",\"peak_rss_source\":\"VmHWM, mapped files included\",", f);
	fprintf(f, "\"budget_bytes\":%llu,\"budget_source\":",
	    (unsigned long long)st->budget_bytes);
	json_string(f, st->budget_source != NULL ? st->budget_source : "");
	if (st->bands == 0) {
		fputs(",\"out_of_core\":null}", f);
		return;
	}
	fprintf(f, ",\"out_of_core\":{\"bands\":%zu,\"tiles_per_band\":%zu,"
	    "\"model_resident_bytes\":%llu,\"model_read_bytes\":%llu}}",
	    st->bands, st->tiles_per_band,
	    (unsigned long long)st->model_resident,
	    (unsigned long long)st->model_reads);
}

void
stats_print_json(FILE *f, const struct mul_stats *st)
{
	static const char *const phase[] = { "map", "check", "compute",
	    "commit" };
	double total = 0, secs = st->seconds[STATS_COMPUTE];

	fputs("{\"command\":\"mul\",\"inputs\":[", f);
	print_file(f, &st->in[0]);
	fputc(',', f);
	print_file(f, &st->in[1]);
	fputs("],\"output\":", f);
	print_file(f, &st->out);
	fprintf(f, ",\"threads\":%d,\"ranks\":%d,\"kernel\":{\"name\":",
	    st->threads, st->ranks);
	json_string(f, st->kernel);
	fputs(",\"isa\":", f);
	json_string(f, st->isa);
	fprintf(f, ",\"exact_int64_route\":%s},\"overflow\":{\"mode\":\"%s\","
	    "\"proof\":", st->exact_route ? "true" : "false", st->overflow);
	if (st->proof != NULL)
		json_string(f, st->proof);
	else
		fputs("null", f);
	fputs("},\"seconds\":{", f);
	for (int i = 0; i < STATS_PHASES; i++) {
		fprintf(f, "\"%s\":%.6f,", phase[i], st->seconds[i]);
		total += st->seconds[i];
	}
	fprintf(f, "\"total\":%.6f},\"gflops\":%.3f,\"bytes_read\":%llu,"
	    "\"bytes_written\":%llu", total, secs > 0 ? st->flops / secs *
	    1e-9 : 0.0, (unsigned long long)st->bytes_read,
	    (unsigned long long)st->bytes_written);
	print_memory(f, st);
	fputs("}\n", f);
	fflush(f);
}
