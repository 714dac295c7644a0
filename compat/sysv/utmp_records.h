/* utmp_records — the utmp and wtmp records init writes, as sysvinit does.
 *
 * Writers (what sysvinit writes, so that `who -r`, `who -b` and `last -x`
 * show what they showed under it):
 *
 *   record        type          user        id       line     pid        files
 *   boot          BOOT_TIME     "reboot"    "~~"     "~"      0          utmp, wtmp
 *   runlevel      RUN_LVL       "runlevel"  "~~"     "~"      cur+256*prev  utmp, wtmp
 *   shutdown      RUN_LVL       "shutdown"  "~~"     "~~"     0          wtmp (utmp on request)
 *   init process  INIT_PROCESS  ""          inittab  given    child      utmp, wtmp
 *   dead process  DEAD_PROCESS  ""          kept     kept     dead pid   utmp, wtmp
 *
 * Every record carries the current time.  Records appended to wtmp carry
 * the kernel release (uname -r) in ut_host, as sysvinit's write_wtmp()
 * does, which `last -x` prints in its host column; in utmp the boot,
 * runlevel and shutdown records carry it too (as Upstart's do) while
 * process records leave it empty.  An unknown previous runlevel is stored
 * as 'N' (sysvinit), never 0 (Upstart), so coreutils `who -r` prints
 * `last=S` after boot.  In utmp, glibc keeps at most one record of each
 * of BOOT_TIME and RUN_LVL (a shutdown record replaces the runlevel one);
 * wtmp is append-only.
 *
 * Delayed writes.  When BOOT_TIME or RUN_LVL cannot be written to a file
 * (it does not exist because /var is not mounted yet, it is read-only,
 * or someone holds its lock), the record is remembered for that file and
 * written at the next successful write to it — before any other record,
 * boot first, then the latest runlevel — or when the caller asks with
 * utmp_records_flush().  In init every runlevel change and every process
 * record (a getty starting, any child reaped) tries again.  Delayed records keep the time of the event,
 * not the time they finally reach the disk, so `who -b` shows when the
 * machine booted.  Like sysvinit's redo_utmp_wtmp(), a flush also
 * re-writes BOOT_TIME and RUN_LVL into a utmp that has been emptied since
 * (Debian's bootmisc.sh truncates it during rcS).
 *
 * Files are never created here: a missing utmp or wtmp is "not writable
 * yet" (ENOENT), as in sysvinit and glibc.
 *
 * Errors: functions return -1 with errno (ENOENT, EACCES, EROFS, EAGAIN
 * when another process holds the file's lock, EINVAL for bad arguments,
 * EIO for a short wtmp append) and never abort.  A failure to write a
 * boot or runlevel record is not lost: it stays pending, see above.
 *
 * Ownership: utmp_records_new() copies the two paths; the UtmpRecords
 * owns them and is freed with utmp_records_free().  Nothing else is
 * allocated by the writers.
 *
 * Threads: none.  glibc's utmpx functions keep one process-wide file
 * name and descriptor; every function here sets the name it needs,
 * closes the file (endutxent) and restores the default name before it
 * returns, so other code in the process sees glibc as it left it.  Init is
 * single-threaded; do not call these from several threads.
 *
 * Blocking: glibc waits for the file lock with F_SETLKW bounded by a
 * 10 s alarm(), which does not fire while SIGALRM is blocked (init reads
 * signals from a signalfd).  Every function therefore first asks with
 * F_GETLK whether another process holds a conflicting lock and, if so,
 * fails at once with EAGAIN instead of waiting.
 */
#ifndef UPINIT_UTMP_RECORDS_H
#define UPINIT_UTMP_RECORDS_H

#include <stdbool.h>
#include <sys/types.h>

struct json_object;

typedef struct utmp_records UtmpRecords;

/* Level character stored for "no previous runlevel". */
#define UTMP_RECORDS_UNKNOWN_LEVEL 'N'

/* The file sysvinit rewrites with the current level on every change. */
#define UTMP_RECORDS_RUNLEVEL_FILE "/var/run/runlevel"

/* A writer for `utmp_path` and `wtmp_path` (NULL: _PATH_UTMP and
 * _PATH_WTMP).  Both strings are copied.  Returns NULL on ENOMEM.
 * Touches no file. */
UtmpRecords *utmp_records_new(const char *utmp_path, const char *wtmp_path);
/* Frees the writer; pending records are forgotten.  NULL is ignored. */
void         utmp_records_free(UtmpRecords *rec);

/* The paths in use (owned by `rec`). */
const char  *utmp_records_utmp_path(const UtmpRecords *rec);
const char  *utmp_records_wtmp_path(const UtmpRecords *rec);

/* BOOT_TIME to utmp and wtmp, now.  Returns 0 when both files have it;
 * otherwise -1 with errno of the first failure, and the record waits for
 * the next flush of the file that missed it. */
int          utmp_records_boot(UtmpRecords *rec);

/* RUN_LVL for a change from `prev` to `cur`, to utmp and wtmp.  `cur` is
 * one of '0'-'9', 'S', 's' (stored as 'S'); `prev` the same, or 'N' or
 * '\0' for "none" (stored as 'N').  Any other value: -1 EINVAL, nothing
 * changes.  The record is remembered as the current level (what a delayed
 * write and a re-fill of an emptied utmp write) and, like boot, waits
 * for a flush where it could not be written (-1 with errno). */
int          utmp_records_runlevel_change(UtmpRecords *rec, char cur, char prev);

/* Write what is pending, in order, to every file that can take it now.
 * Returns 0 when nothing is left pending, else -1 with errno. */
int          utmp_records_flush(UtmpRecords *rec);
/* True while a boot or runlevel record waits for a file. */
bool         utmp_records_pending(const UtmpRecords *rec);

/* halt/reboot's record just before reboot(2): RUN_LVL type, user
 * "shutdown", line "~~", pid 0, appended to wtmp and, if `also_utmp`,
 * written over the runlevel record in utmp (after which readers report
 * an unknown runlevel).  Nothing is remembered on failure: -1 errno. */
int          utmp_records_shutdown(UtmpRecords *rec, bool also_utmp);

/* INIT_PROCESS for a process init started for an inittab entry or a
 * getty job: user "", ut_id `id` (at most 4 bytes are kept; sysvinit
 * uses the inittab id), ut_line `line` (may be NULL or "", "/dev/" is
 * stripped), ut_pid `pid`.  Written to utmp, then appended to wtmp.
 * Returns 0, or -1 with errno (EINVAL for a NULL or empty id or pid <= 0). */
int          utmp_records_init_process(UtmpRecords *rec, const char *id,
					   const char *line, pid_t pid);

/* A reaped process: the first utmp record with ut_pid == `pid` whose type
 * is INIT_PROCESS, LOGIN_PROCESS or USER_PROCESS becomes DEAD_PROCESS with
 * user and host cleared, id and line kept and the time now; the same
 * record is then appended to wtmp.  Records of other types are never
 * touched, so a RUN_LVL whose encoded ut_pid happens to equal `pid`
 * survives (Upstart matched the pid alone and could overwrite it).
 * Returns 1 when a record was marked, 0 when utmp has none for `pid`,
 * -1 with errno when utmp cannot be read or written (the wtmp append is
 * best effort: its failure alone still returns 1). */
int          utmp_records_process_dead(UtmpRecords *rec, pid_t pid);

/* Reader for `runlevel`, as Upstart's and sysvinit's read it: the first
 * RUN_LVL record of the utmp file `path` (NULL: _PATH_UTMP).  On success
 * stores the current level (ut_pid % 256) in *cur and the previous one
 * (ut_pid / 256, 0 => 'N') in *prev and returns 0.  Returns -1 with
 * errno ESRCH when the runlevel is unknown: no RUN_LVL record, a
 * `shutdown` record, or a record whose levels are not runlevel
 * characters (garbage); other errno values when the file cannot be read
 * (ENOENT, EACCES, EAGAIN).  Either pointer may be NULL. */
int          utmp_records_runlevel(const char *path, char *cur, char *prev);

/* /var/run/runlevel (`path` NULL: UTMP_RECORDS_RUNLEVEL_FILE): one
 * character, no newline, as sysvinit writes it.  Writing replaces the
 * file atomically (temporary file + rename, mode 0644).  Reading accepts
 * '0'-'9', 'S' and 's' (returned as 'S'); anything else, or an empty
 * file, is -1 EINVAL. */
int          utmp_records_write_runlevel_file(const char *path, char level);
int          utmp_records_read_runlevel_file(const char *path, char *level);

/* Re-exec: the pending records and the remembered boot and runlevel as a
 * new JSON object ("v": 1) the caller owns, NULL on ENOMEM; paths are not
 * included (the new image is started with the same options).
 * utmp_records_deserialise() restores them into a writer created with
 * utmp_records_new(); -1 EINVAL when `json` is not of this format. */
struct json_object *utmp_records_serialise(const UtmpRecords *rec);
int          utmp_records_deserialise(UtmpRecords *rec, struct json_object *json);

#endif
