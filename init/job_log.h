/* job_log — `console log`: job output through a pty into LOGDIR/NAME.log.
 *
 * Each logged process gets a pseudo-terminal: the child's stdout and
 * stderr are the slave side, init reads the master side from the main
 * loop (never blocking) and appends what it reads to
 * LOGDIR/JOB.log or LOGDIR/JOB-INSTANCE.log, with every `/` in JOB and
 * INSTANCE replaced by `_`.  Output keeps the pty's line endings: a job
 * writing "a\n" produces "a\r\n" in the file, as on Upstart.
 *
 * The file is opened (O_APPEND|O_CREAT|O_NOFOLLOW, mode 0640 before the
 * umask) when the first output arrives and kept open; a file that was
 * deleted meanwhile (logrotate) is re-created.  While the file cannot be
 * opened or written (log directory missing, read-only, disk full) output
 * is held in memory, at most job_log_buffer_limit() bytes per log (newer
 * output beyond that is dropped, with one warning), and written out at
 * the next successful open: when more output arrives or when
 * job_log_notify_disk_writeable() is called.
 *
 * Lifetime and ownership: the module owns every JobLog.  The job that
 * created one holds the pointer until it calls job_log_release(); from
 * then on the log frees itself once every copy of the slave is closed
 * (EIO/EOF on the master) and its buffered output is on disk.  A daemon
 * that inherited the slave therefore keeps its log alive; that costs a
 * descriptor, not a busy loop.  Buffered output of a finished log whose
 * directory never becomes writable is lost only at job_log_free_all().
 */
#ifndef UPINIT_JOB_LOG_H
#define UPINIT_JOB_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

typedef struct job_log JobLog;

#define JOB_LOG_DEFAULT_DIR           "/var/log/upstart"
#define JOB_LOG_DEFAULT_BUFFER_LIMIT  ((size_t)1 << 20)   /* per log */

/* Where new logs are written (`--logdir`, UPSTART_LOGDIR).  `dir` is
 * copied; NULL restores the default.  Logs that already exist keep the
 * path they were created with.  Returns 0, or -1 (ENOMEM, old dir kept).
 * job_log_dir()'s string stays valid until the next job_log_set_dir(). */
int         job_log_set_dir(const char *dir);
const char *job_log_dir(void);

/* `--no-log`: job_log_new() refuses, callers treat `console log` as
 * `none`.  Logs that already exist carry on. */
void        job_log_set_disabled(bool disabled);
bool        job_log_disabled(void);

/* Most output a log holds in memory while its file cannot be written. */
void        job_log_set_buffer_limit(size_t bytes);
size_t      job_log_buffer_limit(void);

/* The file a job's output goes to: "DIR/JOB.log", or "DIR/JOB-INST.log"
 * when `instance` is neither NULL nor empty.  The caller frees the
 * result; NULL on ENOMEM. */
char       *job_log_path(const char *job_name, const char *instance);

/* Create the log for one process of a job (`instance` NULL or "" for a
 * singleton; `slave_fd` not NULL): opens a pty, makes the master
 * non-blocking and close-on-exec and watches it in the main loop.
 * Returns the log (owned by this module, see above) and the slave in
 * *slave_fd, opened O_NOCTTY|O_CLOEXEC: the caller dup2()s it onto 1 and
 * 2 in the child (dup2 clears close-on-exec), may make it the controlling
 * terminal there (setsid + TIOCSCTTY), and closes it in the parent right
 * after fork — until every copy is closed the log never finishes.
 * On failure returns NULL with errno set, having already logged a
 * warning; the caller runs the process with `console none`.  When logging
 * is disabled, returns NULL with errno ECANCELED and logs nothing. */
JobLog     *job_log_new(const char *job_name, const char *instance,
			int *slave_fd);

/* The file this log writes (owned by the log). */
const char *job_log_file(const JobLog *log);

/* The process the log belongs to is gone (or was never started): read
 * what is readable now, and let the log finish by itself when the
 * master reports EOF/EIO.  The caller must not touch `log` afterwards.
 * NULL is ignored. */
void        job_log_release(JobLog *log);

/* The log directory may be writable now (`initctl notify-disk-writeable`):
 * write out the buffered output of every log; logs that were only waiting
 * for that are freed.  Logs still unwritable keep their output and say
 * so with a warning. */
void        job_log_notify_disk_writeable(void);

/* Number of logs alive, and bytes of output held in memory by all of
 * them (initctl, tests). */
size_t      job_log_count(void);
size_t      job_log_pending(void);

/* Free every log now, writing out what can be written first; callers
 * must drop their pointers (tests, shutdown). */
void        job_log_free_all(void);

/* Re-exec.  Every log has an id unique within this init (and kept across
 * re-exec); a job stores the id of its log and takes the pointer back
 * with job_log_claim() after job_log_deserialise().  A log is claimed
 * once: NULL for an id that is unknown, claimed already or released (a
 * document naming one log for two processes must not give it two
 * owners that both release it). */
uint64_t    job_log_id(const JobLog *log);
JobLog     *job_log_claim(uint64_t id);

/* Let the master descriptors survive exec (keep = true, just before
 * execve) or close-on-exec again (keep = false, e.g. when execve failed).
 * Log files are not kept: they are re-opened when output arrives. */
void        job_log_keep_across_exec(bool keep);

/* State of every log as a new JSON object (format version "v": 1) the
 * caller owns; NULL on ENOMEM.  Includes the master descriptor numbers
 * and buffered output.  Changes nothing. */
struct json_object *job_log_serialise(void);

/* Re-create the logs described by `json` (from job_log_serialise() in the
 * previous image): the masters are watched again and close-on-exec.
 * Returns 0, or -1 (EINVAL: not our format or version; ENOMEM) having
 * re-created what it could.  Call before any job_log_new(). */
int         job_log_deserialise(struct json_object *json);

#endif
