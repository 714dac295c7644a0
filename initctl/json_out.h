/* json_out — how initctl prints a JSON document (--json).
 *
 * One document per run, on stdout: pretty printed (two-space indent),
 * slashes left as they are, then a newline.  Like every normal output it
 * is left out with -q.  Shared by the commands that have --json (list,
 * status, show-config, and the record commands); each builds its
 * document from the reply's "items" and hands it here.
 */
#ifndef UPINIT_INITCTL_JSON_OUT_H
#define UPINIT_INITCTL_JSON_OUT_H

#include <json-c/json.h>

/* Print `doc` (still the caller's to put).  Returns the exit status: 0,
 * or 1 after "initctl: ..." on stderr when it could not be encoded or
 * written. */
int json_out_print(struct json_object *doc);

#endif
