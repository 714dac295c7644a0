/* job_json — instances and job classes as JSON objects: the "items" of
 * the replies to list, status and show-config when the request asks for
 * "json" (lib/proto.h).  The same facts as their text, from the same
 * walks (job_foreach_process, job_process_members,
 * job_report_walk_config); names and values are the job's own bytes,
 * not the escaped forms of job_name().  The schema is initctl(8)'s JSON
 * OUTPUT.
 *
 * Each function returns a new object (the caller puts it), or NULL when
 * out of memory.
 */
#ifndef UPINIT_JOB_JSON_H
#define UPINIT_JOB_JSON_H

#include <stdbool.h>

#include <json-c/json.h>

#include "init/job.h"

/* {"job":CLASS, "instance":NAME, "goal":G, "state":S,
 *  "processes":[{"process":"main","pid":N},...]} */
struct json_object *job_json_status(const Job *job);

/* A class without the instance asked for: "instance":null,
 * "goal":"stop", "state":"waiting", "processes":[]. */
struct json_object *job_json_class_status(const JobClass *class);

/* status -v: add "cgroup" (its path, or null when there is none: no
 * cgroups, no instance, not spawned yet) and "members" (every process in
 * it: [{"pid":N,"command":"..."}], empty without a cgroup) to `status`.
 * `job` may be NULL.  False when out of memory. */
bool job_json_add_members(struct json_object *status, const Job *job);

/* {"job":NAME, "emits":[...], "start_on":TEXT|null, "stop_on":TEXT|null}
 * and with `enumerate` "start_on_events" and "stop_on_events":
 * [{"event":E, "job":J|null, "env":[...]}]. */
struct json_object *job_json_config(const JobClass *class, bool enumerate);

#endif
