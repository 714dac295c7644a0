/* libFuzzer target: the insserv.conf parser (compat/sysv/insserv_conf.h).
 *
 * Any bytes are an insserv.conf, parsed twice into one table (as two
 * files).  Names are unique and start with `$` or are `<…>`; members are
 * non-empty and blank-free; the second parse only ever adds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sysv/insserv_conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	InsservConf conf = INSSERV_CONF_INIT;
	size_t first;

	if (insserv_conf_parse(&conf, (const char *)data, size) < 0)
		goto out;
	first = conf.len;
	if (insserv_conf_parse(&conf, (const char *)data, size) < 0)
		goto out;
	if (conf.len != first)
		abort();
	for (size_t i = 0; i < conf.len; i++) {
		const InsservEntry *e = &conf.entries[i];
		size_t n = strlen(e->name);

		if (insserv_conf_find(&conf, e->name) != e)
			abort();
		if (e->name[0] != '$' && !(e->name[0] == '<' && e->name[n - 1] == '>'))
			abort();
		for (size_t m = 0; m < e->members.len; m++)
			if (!e->members.items[m][0] || strpbrk(e->members.items[m], " \t\n"))
				abort();
	}
out:
	insserv_conf_free(&conf);
	return 0;
}
