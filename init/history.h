/* history — why things happened: causes, and a bounded record of them.
 *
 * Every event init queues, every goal change of every job instance and
 * the moments an instance reaches running or rest become Records: when
 * (monotonic and wall clock), what, and its Cause.  A cause is the
 * events that made a `start on` or `stop on` true, the control client
 * that asked (pid, uid, command line, the job it runs in), the process
 * that ended, the signal the kernel sent, a request on /run/initctl, or
 * init itself.  A cause points at the records it came from — an event at
 * the goal change of the job that emitted it, a goal change at the
 * events that caused it, a command at the goal change of the job whose
 * process sent it — so the chain back to `startup`, or to the person
 * who typed a command, can be walked (initctl why).
 *
 * Memory is bounded.  The ring keeps the last HISTORY_SIZE records
 * (initctl history).  A record also lives as long as something refers
 * to it: the instance it is the latest goal change of, a queued event,
 * a later record's cause.  So a running job's chain is never cut, however
 * long ago it started, and what is kept beyond the ring is bounded by
 * what runs.  References point back in time only; a respawn refers to
 * the start it repeats, not to the respawn before it, so chains stay as
 * deep as the boot's causes, not as long as a job's life.
 *
 * While init handles something that has a cause (a control request, a
 * signal, an event being matched, a process that ended), the handler
 * pushes that cause as the context; records made meanwhile take it.
 *
 * Ownership: records are reference counted.  The ring holds one
 * reference; history_ref() takes another, history_unref() drops it.
 * Functions returning Record * return a borrowed pointer unless they say
 * otherwise.  Strings in records are the record's own.
 */
#ifndef UPINIT_HISTORY_H
#define UPINIT_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/environ.h"

struct json_object;

#define HISTORY_SIZE         1024  /* records kept in the ring */
#define HISTORY_MAX_PARENTS  8     /* causes of one record (start on events) */
#define HISTORY_MAX_ENV      32    /* variables kept of an event */
#define HISTORY_MAX_TEXT     256   /* bytes kept of a value or command line */

typedef enum cause_kind {
	CAUSE_INIT,      /* init itself: startup, its own decisions */
	CAUSE_EVENT,     /* events a start on / stop on matched (parents) */
	CAUSE_COMMAND,   /* a control client: pid, uid, command line */
	CAUSE_JOB,       /* a job's own event (parent: its goal change) */
	CAUSE_PROCESS,   /* a process of the job ended or could not start */
	CAUSE_SIGNAL,    /* the kernel's signal to init */
	CAUSE_FIFO,      /* a request on /run/initctl (sysvinit's tools) */
	CAUSE_RESTORE,   /* a re-exec put the instance back */
	CAUSE_CONFIG,    /* the configuration changed (inittab edited) */
	CAUSE_SOURCE,    /* the outside world: a connection on a listening
			    socket, a file changed, a kernel uevent */
	CAUSE_KIND_COUNT
} CauseKind;

typedef enum record_kind {
	RECORD_EVENT,    /* an event was queued */
	RECORD_GOAL,     /* an instance's goal changed */
	RECORD_STATE,    /* an instance reached running, or rest */
} RecordKind;

typedef struct record Record;

typedef struct cause {
	CauseKind kind;
	pid_t     pid;       /* COMMAND: the client; PROCESS: the process */
	uid_t     uid;       /* COMMAND */
	char     *text;      /* command line, signal, process end; may be NULL */
	Record   *parents[HISTORY_MAX_PARENTS];   /* one reference each */
	size_t    nparents;
} Cause;

struct record {
	unsigned   refs;
	uint64_t   seq;        /* 1, 2, ... in the order made; kept across re-exec */
	uint64_t   mono_us;    /* CLOCK_MONOTONIC */
	int64_t    real_us;    /* CLOCK_REALTIME */
	RecordKind kind;
	char      *name;       /* the event's name, or the job's */
	char      *instance;   /* GOAL, STATE: the instance ("" for none) */
	char      *what;       /* GOAL: start/stop/respawn; STATE: running/waiting */
	char      *detail;     /* STATE: the result ("ok", "failed: ..."); may be NULL */
	char     **env;        /* EVENT: its variables, NULL-terminated; may be NULL */
	uint64_t   span;       /* the boot timeline entry of the job it is about
				  (or, for an event, of the job that emitted it);
				  0 for none (init/timeline.h) */
	Cause      cause;
};

const char *history_cause_name(CauseKind kind);
const char *history_kind_name(RecordKind kind);

Record *history_ref(Record *record);
void    history_unref(Record *record);

/* ---- the context ---- */

/* Make `kind` with `text` (may be NULL) and parents (may be NULL) the
 * cause of what is recorded until the matching pop.  Pushes nest (an
 * event handled inside a command); at most 16 deep, beyond which the
 * innermost is kept. */
void history_push(CauseKind kind, const char *text, Record *const *parents,
		  size_t nparents);
/* A control client: its command line and job are looked up only when
 * something is recorded (read-only commands cost nothing). */
void history_push_client(pid_t pid, uid_t uid);
void history_pop(void);
/* The kind of the cause at hand (CAUSE_INIT when none was pushed). */
CauseKind history_context_kind(void);

/* The job a process belongs to, for the cause of a client's request:
 * the caller (init) sets a function that finds the job owning `pid` or
 * one of its ancestors, writes "job" or "job (instance)" into `name` and
 * returns that instance's latest goal record (borrowed), or NULL. */
typedef Record *(*HistoryPidResolver)(pid_t pid, char *name, size_t len);
void history_set_resolver(HistoryPidResolver fn);

/* ---- recording ---- */

/* An event queued with `env` (may be NULL).  Borrowed; NULL when out of
 * memory (nothing is recorded then, and nothing else changes). */
Record *history_event(const char *name, const EnvList *env);
/* A goal change of job `name` instance `instance`.  `repeats` (may be
 * NULL) is the start a respawn repeats: it becomes the record's parent,
 * in place of the context's. */
Record *history_goal(const char *name, const char *instance, const char *goal,
		     Record *repeats);
/* An instance reached `state`; `detail` (may be NULL) says how. */
Record *history_state(const char *name, const char *instance, const char *state,
		      const char *detail);

/* ---- reading ---- */

/* The ring: history_len() records, history_at(0) the oldest. */
size_t  history_len(void);
Record *history_at(size_t i);
/* A record by its sequence number, in the ring or kept by a reference. */
Record *history_find(uint64_t seq);
/* The latest GOAL record of job `name` (and `instance`, unless NULL) in
 * the ring, or NULL. */
Record *history_last_goal(const char *name, const char *instance);

/* The record as JSON (initctl history/why --json): see initctl(8).
 * With `shown` (for a reader who is neither root nor init's owner),
 * only the event variables it accepts are included, and a client's
 * command line is left out: values jobs and emitters gave init may be
 * secret.  NULL: everything. */
typedef bool (*HistoryVarFilter)(const char *var);
struct json_object *history_record_json(const Record *record, HistoryVarFilter shown);

/* ---- re-exec ---- */

/* Every record alive (the ring and those kept by references), oldest
 * first, with the ring's order; NULL with errno on failure. */
struct json_object *history_serialise(void);
/* Put them back (what cannot be read is skipped); call before the jobs
 * and events that refer to records by seq are restored, and
 * history_restore_done() after: records outside the ring that nothing
 * took again are freed then. */
void history_deserialise(struct json_object *doc);
void history_restore_done(void);

/* Drop everything (tests, fuzzing). */
void history_reset(void);

#endif
