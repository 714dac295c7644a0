/* inspect — initctl's why, history and timeline: the requests, and the
 * text, JSON and SVG drawn from the records init replies with.
 *
 * Init keeps the records (init/history.h, init/timeline.h) and answers
 * with them as they are; everything about presentation — indentation of
 * a chain of causes, times relative to boot and on the wall clock, the
 * critical chain of the boot, the SVG — is done here, outside PID 1.
 */
#ifndef UPINIT_INITCTL_INSPECT_H
#define UPINIT_INITCTL_INSPECT_H

#include <json-c/json.h>

#include "initctl/commands.h"

int inspect_build_why(const CommandCall *call, struct json_object **request);
int inspect_render_why(const CommandCall *call, struct json_object *reply);

int inspect_build_history(const CommandCall *call, struct json_object **request);
int inspect_render_history(const CommandCall *call, struct json_object *reply);

/* timeline runs locally: from --input FILE (a saved --json), or asks
 * init and renders the reply. */
int inspect_timeline(const CommandCall *call);
int inspect_render_timeline(const CommandCall *call, struct json_object *reply);

/* The timeline document (see initctl(8)) from init's reply: the jobs,
 * the events, the critical chain.  The caller puts it. */
struct json_object *inspect_timeline_document(struct json_object *reply);

#endif
