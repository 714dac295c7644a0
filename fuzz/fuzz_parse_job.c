/* fuzz_parse_job — parse_job() on arbitrary bytes.
 *
 * The input is a job file.  It is copied into a buffer of exactly its
 * size (no terminating NUL: parse_job takes a length), so any read past
 * the end is caught by AddressSanitizer.  When it parses, the same text
 * is applied again as an .override onto the result (job_class_copy and every
 * handler run against a populated class), and both event expressions are
 * printed back as show-config would; every `socket` and `file` condition
 * is checked as check-config and the event sources check it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "init/event_operator.h"
#include "init/event_sources.h"
#include "init/job_class.h"
#include "init/parse_job.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What check-config and the sync ask of every `socket` and `file`
 * condition (init/socket_source.c, init/file_source.c), for both kinds of
 * init. */
static void
check_leaf(const EventOperator *leaf, void *data)
{
	(void)data;
	event_sources_init(false);
	(void)event_sources_check_leaf(leaf);
	event_sources_init(true);
	(void)event_sources_check_leaf(leaf);
	(void)event_sources_emits(leaf->name);
}

static void
print_expressions(const JobClass *class)
{
	char *s;

	event_operator_foreach_leaf(class->start_on, check_leaf, NULL);
	event_operator_foreach_leaf(class->stop_on, check_leaf, NULL);
	if (class->start_on && (s = event_operator_to_string(class->start_on)))
		free(s);
	if (class->stop_on && (s = event_operator_to_string(class->stop_on)))
		free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ParseError error = { 0, NULL };
	char *text = malloc(size ? size : 1);
	JobClass *class, *overridden;

	if (!text)
		return 0;
	memcpy(text, data, size);

	class = parse_job(NULL, "fuzz", "/fuzz/fuzz.conf", text, size, &error);
	if (class) {
		print_expressions(class);
		overridden = parse_job(class, "fuzz", "/fuzz/fuzz.override",
				       text, size, &error);
		if (overridden) {
			print_expressions(overridden);
			job_class_unref(overridden);
		}
		job_class_unref(class);
	}
	free(text);
	return 0;
}
