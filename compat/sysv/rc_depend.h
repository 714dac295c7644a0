/* rc_depend — insserv's /etc/init.d/.depend.boot, .depend.start and
 * .depend.stop: which script runs after which.
 *
 * insserv writes them as a small makefile, the way startpar reads it:
 *
 *   TARGETS = mountkernfs.sh hostname.sh udev ...
 *   INTERACTIVE = udev keyboard-setup.sh ...
 *   udev: mountkernfs.sh
 *   cron: rsyslog
 *
 * "X: Y Z" means X runs once Y and Z have finished (in .depend.stop too:
 * insserv has already turned the stop order around).  Every name met, in
 * TARGETS or on either side of a colon, is a node; INTERACTIVE marks
 * nodes already known.  Blank lines, lines starting with '#' and lines
 * with neither form are ignored.  Words are separated by blanks.  An
 * edge that would close a loop is left out and reported, as startpar
 * does ("loop exists X in Y!"), so the graph is always acyclic.
 *
 * Ownership: rc_depend_parse() returns a graph that owns its nodes and
 * names; rc_depend_free() releases it.
 */
#ifndef UPINIT_RC_DEPEND_H
#define UPINIT_RC_DEPEND_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lib/strlist.h"

/* Loops reported per parse at most (then only counted). */
#define RC_DEPEND_MESSAGES_MAX 16

typedef struct rc_depend_node {
	char   *name;
	size_t *after;        /* indices of the nodes it runs after */
	size_t  nafter;
	bool    interactive;
} RcDependNode;

typedef struct rc_depend {
	RcDependNode *nodes;  /* in the order first met */
	size_t        len;
	StrList       messages;   /* "loop exists X in Y!" */
	size_t        dropped;    /* loop edges not kept in messages */
} RcDepend;

/* Parse `len` bytes of `text` (need not be NUL-terminated).  NULL only
 * when out of memory. */
RcDepend *rc_depend_parse(const char *text, size_t len);
void      rc_depend_free(RcDepend *graph);

/* The node called `name`, or NULL. */
const RcDependNode *rc_depend_find(const RcDepend *graph, const char *name);
/* Its index, or -1. */
ssize_t   rc_depend_index(const RcDepend *graph, const char *name);

#endif
