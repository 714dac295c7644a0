/* insserv_conf — /etc/insserv.conf (and the files of /etc/insserv.conf.d): the LSB
 * facilities and which scripts provide them.
 *
 *   $local_fs    +mountall +mountall-bootclean +umountfs
 *   $remote_fs   $local_fs +mountnfs +sendsigs
 *   <interactive> udev keyboard-setup console-setup
 *
 * A line names a facility (`$name`) or a list (`<name>`), then its
 * members: script names (as scripts' Provides name them; a leading `+`
 * means optional: nothing is wrong when no script provides it) and other
 * facilities.  Text after `#` is a comment.  A name defined again (in
 * another file) gets the new members added after the old.
 *
 * Ownership: an InsservConf owns everything in it; insserv_conf_free()
 * releases it and leaves an empty one.
 */
#ifndef UPINIT_INSSERV_CONF_H
#define UPINIT_INSSERV_CONF_H

#include <stddef.h>

#include "lib/strlist.h"

typedef struct insserv_entry {
	char    *name;       /* "$local_fs", "<interactive>" */
	StrList  members;    /* "+mountall", "$network", "udev" as written */
} InsservEntry;

typedef struct insserv_conf {
	InsservEntry *entries;
	size_t        len;
} InsservConf;

#define INSSERV_CONF_INIT { NULL, 0 }

/* Add the definitions of one file's text (`len` bytes) to `conf`.
 * Returns 0, or -1 when out of memory (conf keeps what it had). */
int  insserv_conf_parse(InsservConf *conf, const char *text, size_t len);
void insserv_conf_free(InsservConf *conf);

/* The entry called `name` ("$network", "<interactive>"), or NULL. */
const InsservEntry *insserv_conf_find(const InsservConf *conf, const char *name);

#endif
