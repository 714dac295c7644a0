/* rc_dirs — the links of /etc/rcS.d and /etc/rc0.d … /etc/rc6.d.
 *
 * A directory holds links named KNNname (stop) and SNNname (start), NN
 * two digits.  rc_dir_scan() reads one directory the way Debian's rc
 * and startpar both see it: entries whose name starts with K or S and is
 * at least four characters long, sorted by name in the C locale (the
 * order of rc's `for s in /etc/rcN.d/K*`); the script's name is what
 * follows the first three characters (startpar's reading); entries
 * that are not regular files once followed (dangling links, directories)
 * are left out, as rc's `[ -f "$i" ]` leaves them (startpar would try to
 * run them and fail).
 *
 * Ownership: an RcDir owns its links and their strings; rc_dir_free()
 * releases them and leaves an empty directory.
 */
#ifndef UPINIT_RC_DIRS_H
#define UPINIT_RC_DIRS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct rc_link {
	char  kind;      /* 'K' or 'S' */
	char *name;      /* the script: "ssh" of S01ssh */
	char *path;      /* "/etc/rc2.d/S01ssh" */
} RcLink;

typedef struct rc_dir {
	char    level;   /* 'S', '0'-'6' */
	bool    exists;  /* the directory is there */
	RcLink *links;   /* sorted by file name */
	size_t  len;
} RcDir;

/* Read `etc`/rcLEVEL.d (`etc` is "/etc" on a real system; tests use a
 * tree of their own).  A missing directory is not an error: exists is
 * false.  Returns 0, or -1 with errno (ENOMEM, or another failure to read
 * a directory that is there). */
int  rc_dir_scan(const char *etc, char level, RcDir *dir);
void rc_dir_free(RcDir *dir);

/* Does the directory have a `kind` link for script `name`? */
bool rc_dir_has(const RcDir *dir, char kind, const char *name);

#endif
