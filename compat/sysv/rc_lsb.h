/* rc_lsb — an ordering made from the scripts' LSB headers, for systems
 * where insserv has written no .depend files.
 *
 * It writes what insserv would: the text of a .depend file (rc_depend.h)
 * for one mode, which rc_depend_parse() then reads like any other.
 *
 *   boot, start  X runs after every script that provides a name in X's
 *                Required-Start or Should-Start; every script named in
 *                X's X-Start-Before runs after X.
 *   stop         every script that provides a name in X's Required-Stop
 *                or Should-Stop stops after X (X still needs it while it
 *                stops); X stops after every script in its X-Stop-After.
 *
 * A name is resolved through the scripts' Provides; `$facility` through
 * insserv.conf, recursively (a `+` member is optional, and only resolves
 * what exists anyway); `$all` means every script that does not itself
 * ask for `$all` and shares a Default-Start (stop: Default-Stop) level
 * with the script asking, as insserv reads it.  A name nothing provides adds no edge (insserv would
 * complain about a missing Required name; the order does not change).
 * INTERACTIVE lists the scripts with X-Interactive: true and those that
 * insserv.conf's <interactive> names.  Loops are left for
 * rc_depend_parse() to break and report.
 *
 * Ownership: the text returned is the caller's to free.
 */
#ifndef UPINIT_RC_LSB_H
#define UPINIT_RC_LSB_H

#include <stddef.h>

#include "sysv/insserv_conf.h"
#include "sysv/lsb_header.h"

typedef enum rc_lsb_mode {
	RC_LSB_START,   /* .depend.boot and .depend.start */
	RC_LSB_STOP,    /* .depend.stop */
} RcLsbMode;

typedef struct rc_script {
	const char      *name;     /* its file name in /etc/init.d */
	const LsbHeader *header;   /* may have found == false */
} RcScript;

/* The .depend text for `n` scripts, or NULL when out of memory.  `conf`
 * may be NULL (no facilities). */
char *rc_lsb_depend_text(const RcScript *scripts, size_t n, const InsservConf *conf,
			 RcLsbMode mode);

#endif
