/* libFuzzer target: insserv's .depend parser (compat/sysv/rc_depend.h).
 *
 * Any bytes are a .depend file.  The parse must succeed (memory aside),
 * names must be unique and non-empty, every edge must point at a node,
 * and the graph must have no loop: a depth-first walk from every node
 * never meets a node still on its path.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sysv/rc_depend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 0 unvisited, 1 on the path, 2 done. */
static void
walk(const RcDepend *g, size_t i, unsigned char *state)
{
	if (state[i] == 1)
		abort();
	if (state[i] == 2)
		return;
	state[i] = 1;
	for (size_t k = 0; k < g->nodes[i].nafter; k++) {
		if (g->nodes[i].after[k] >= g->len)
			abort();
		walk(g, g->nodes[i].after[k], state);
	}
	state[i] = 2;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	RcDepend *g = rc_depend_parse((const char *)data, size);
	unsigned char *state;

	if (!g)
		return 0;
	for (size_t i = 0; i < g->len; i++) {
		if (!g->nodes[i].name[0] || rc_depend_index(g, g->nodes[i].name) != (ssize_t)i)
			abort();
	}
	if (g->messages.len > RC_DEPEND_MESSAGES_MAX)
		abort();
	state = calloc(g->len + 1, 1);
	for (size_t i = 0; state && i < g->len; i++)
		walk(g, i, state);
	free(state);
	rc_depend_free(g);
	return 0;
}
