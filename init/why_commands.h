/* why_commands — the control commands that explain: why, history and
 * timeline.  All three only read, and answer anyone who may connect,
 * as status does.
 *
 *   {"cmd":"why", "job":"NAME", "instance":"INST"?}
 *     reply: "job", "instance", "status" (the status line), "items": the
 *     chain of records (init/history.h, as history_record_json()) from
 *     the instance's latest goal change back to its first cause, each
 *     with "depth" (0 for the goal change, one more per step back) and,
 *     for a record already listed higher up, only "seq", "depth" and
 *     "repeat":true; "waiting_for": what of `start on` is still missing
 *     when the job is not started; "start_on": the expression.
 *   {"cmd":"history", "job":"NAME"?, "count":N?}
 *     reply: "items": the records in the ring, oldest first, the last N
 *     only when given, those about job NAME only when given (its goal
 *     and state records and its own events).
 *   {"cmd":"timeline"}
 *     reply: "boot" and "items" (init/timeline.h).
 *
 * The text and SVG forms are drawn by initctl from these replies.
 */
#ifndef UPINIT_WHY_COMMANDS_H
#define UPINIT_WHY_COMMANDS_H

/* Add the table to the control server (control.h). */
void why_commands_register(void);

#endif
