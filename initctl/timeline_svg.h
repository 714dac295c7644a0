/* timeline_svg — `initctl timeline --svg`: the boot timeline as a picture.
 *
 * The timeline document (see `initctl timeline --json`) is drawn as one
 * standalone SVG 1.1 document, in the manner of systemd-analyze plot:
 * one row per job entry with a bar coloured by state, an axis in seconds
 * from the start of init, the events as dashed marks, the moment the
 * boot settled, the critical chain outlined and linked by arrows, a
 * header and a legend.  No scripts, no external fonts or images: it
 * renders the same in Chromium and Firefox, and each row carries a
 * <title> tooltip with the exact times.
 */
#ifndef UPINIT_INITCTL_TIMELINE_SVG_H
#define UPINIT_INITCTL_TIMELINE_SVG_H

#include <stdio.h>

#include <json-c/json.h>

/* Draw `doc` (a timeline document, borrowed) as a standalone SVG
 * document on `out`.  Returns 0, or -1 when `doc` is not a timeline
 * document (message printed by the caller).
 *
 * `doc` is a timeline document when it is an object with "boot" an
 * object and "jobs" an array; on -1 nothing is written.  Every other
 * field may be missing or of the wrong type: it is then taken as null
 * (unknown), as are times that are not finite or beyond 1e9 s.  Write
 * errors are left for the caller to see with ferror(out).  Numbers are
 * written the same whatever the locale. */
int timeline_svg_write(FILE *out, struct json_object *doc);

#endif
