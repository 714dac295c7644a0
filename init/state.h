/* state — stateful re-exec (telinit u, SIGTERM to PID 1, a package
 * upgrade, a crash).
 *
 * Everything init holds — job instances with their goals, states, pids,
 * environments and respawn history, the definitions they run with,
 * pending and blocked events, partly matched `start on` expressions,
 * waiting control clients, the control socket and the job log ptys,
 * and the sections other layers add (the SysV layer: the runlevel and
 * the /run/initctl FIFO) — is written as one JSON
 * document (format "v":1) into a memory file that the new image inherits
 * (`--restart --state-fd N`).  Descriptors that must survive are made
 * inheritable just before exec and close-on-exec again if exec fails.
 *
 * Each module with state has its serialise/deserialise pair; this module
 * walks them in order and ties ids back to pointers.
 */
#ifndef UPINIT_STATE_H
#define UPINIT_STATE_H

#include <stdbool.h>
#include <stddef.h>

struct json_object;

/* A layer's part of the document, under its own top-level key. */
typedef struct state_section {
	const char *key;
	/* The section's value, or NULL for nothing to keep now; NULL with
	 * errno set when it could not be written (the re-exec is then
	 * given up). */
	struct json_object *(*save)(void);
	/* Called with the value saved (never NULL), after the control socket
	 * and before the jobs are restored.  Must check what it reads: the
	 * document may come from another version. */
	void (*restore)(struct json_object *value);
	/* Keep the section's descriptors open across exec, or not (may be
	 * NULL). */
	void (*inherit)(bool inherit);
} StateSection;

/* Add a section (borrowed; it must live as long as init).  Returns 0, or
 * -1 when too many were added. */
int  state_add_section(const StateSection *section);

/* Serialise and exec `argv` (the original command line: --restart and
 * --state-fd are replaced).  Returns only when it failed (logged);
 * init then carries on as it was. */
void state_reexec(char **argv);

/* The document written into a new memory file, as state_reexec() hands
 * it to the next image: its descriptor, or -1 (logged) when it could not
 * be made whole.  On success *doc is the document, the caller's to
 * release (json_object_put) once the memory file is no longer needed. */
int  state_save(struct json_object **doc);

/* In the new image: read the state from `fd` (then closed) and rebuild.
 * Returns 0, or -1 when the state could not be read (init then starts
 * as after a stateless re-exec: configuration loaded, no jobs). */
int  state_restore(int fd);

/* How many words at argv[i] belong to an earlier re-exec (--restart,
 * --state-fd N, --state-fd=N) and are left out of the next command line:
 * 0, 1 or 2.  Allocates nothing (the crash handler's setup uses it). */
int  state_restart_words(char *const *argv, size_t i);

/* During a restore: may the descriptor `fd` a document names be taken
 * on?  True once per descriptor, for one above the standard streams; a
 * second claim is refused, so that a document naming one descriptor twice
 * (as a client and a log, say) never makes two owners that both close
 * it.  Every adopter checks the descriptor's kind first, then claims. */
bool state_claim_fd(int fd);

/* Make the descriptors the new image needs survive exec, or not. */
void state_inherit(bool inherit);

/* Free every job instance, queued event, definition, control client and
 * job log, and empty the global job environment: what a restore
 * built is torn down without a process signalled, a job event emitted
 * or a waiter answered.  For the tests and the fuzz target, which
 * restore many documents in one process. */
void state_discard(void);

/* The document itself (tests; state_reexec uses it). */
struct json_object *state_serialise(void);
int  state_deserialise(struct json_object *state);

/* After state_restore(): true when the document carried the cgroup
 * subtree (or said there was none); false for an image from before
 * cgroups, when init sets them up as at boot. */
bool state_cgroup_restored(void);

#endif
