/* libFuzzer target: the LSB header parser (compat/sysv/lsb_header.h).
 *
 * Any bytes are an init script.  The parse must return 0 (memory aside);
 * every word kept is non-empty and blank-free, the default levels are a
 * subsequence of "0123456S", and freeing leaves an empty header.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sysv/lsb_header.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_words(const StrList *list)
{
	for (size_t i = 0; i < list->len; i++) {
		const char *w = list->items[i];

		if (!w[0])
			abort();
		for (; *w; w++)
			if (*w == ' ' || *w == '\t' || *w == '\n')
				abort();
	}
}

static void
check_levels(const char *levels)
{
	const char *order = "0123456S";

	for (; *levels; levels++) {
		const char *at = strchr(order, *levels);

		if (!at)
			abort();
		order = at + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	LsbHeader h;

	memset(&h, 0, sizeof h);
	if (lsb_header_parse((const char *)data, size, &h) < 0)
		return 0;
	check_words(&h.provides);
	check_words(&h.required_start);
	check_words(&h.required_stop);
	check_words(&h.should_start);
	check_words(&h.should_stop);
	check_words(&h.start_before);
	check_words(&h.stop_after);
	check_levels(h.default_start);
	check_levels(h.default_stop);
	if (!h.found && (h.provides.len || h.default_start[0]))
		abort();
	lsb_header_free(&h);
	if (h.provides.items || h.short_description)
		abort();
	return 0;
}
