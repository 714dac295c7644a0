/* libFuzzer target: the /etc/inittab parser.
 *
 * Any bytes are an inittab.  The parse must return (only memory can fail
 * it) and every kept entry must obey inittab.h: an id of 1-4 bytes, a
 * known action, a process of at most INITTAB_PROCESS_MAX bytes with
 * `command` inside it, a tty exactly when the role is GETTY, and a
 * default level from 0-6 or S.  Every message starts with the file name.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sysv/inittab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Inittab *tab = inittab_parse((const char *)data, size, "fuzz");

	if (!tab)
		return 0;
	if (tab->default_level && !strchr("0123456S", tab->default_level))
		abort();
	for (size_t i = 0; i < tab->len; i++) {
		const InittabEntry *e = &tab->entries[i];
		size_t plen = strlen(e->process);

		if (strlen(e->id) < 1 || strlen(e->id) > INITTAB_ID_MAX ||
		    !inittab_action_name(e->action) ||
		    plen > INITTAB_PROCESS_MAX ||
		    e->command < e->process || e->command > e->process + plen ||
		    (e->role == INITTAB_ROLE_GETTY) != (e->tty != NULL) ||
		    (e->role == INITTAB_ROLE_RC) != (e->rc_level != 0))
			abort();
		if (inittab_find(tab, e->id) == NULL)
			abort();
		if (e->tty && inittab_tty_entry(tab, e->tty) == NULL)
			abort();
	}
	for (size_t i = 0; i < tab->n_messages; i++)
		if (strncmp(tab->messages[i].text, "fuzz:", 5) != 0)
			abort();
	inittab_free(tab);
	return 0;
}
