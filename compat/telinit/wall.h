/* wall — tell every logged-in user, as sysvinit's shutdown does.
 *
 * Recipients are utmp's USER_PROCESS records that carry a user name
 * (utmp: tool_path TOOL_PATH_UTMP).  Each one's terminal is DEV/LINE
 * (DEV: TOOL_PATH_DEV, /dev; a line that already starts with "/dev/"
 * has that part replaced by DEV); a path containing "/../", anything but
 * a character device with one link, and the devices whose open has side
 * effects (printers, tapes, ...; sysvinit's list) are skipped.
 *
 * Each terminal gets sysvinit's header
 *   "\r\nBroadcast message from USER@HOST (TTY) (DATE):\r\n\r\n"
 * ("(TTY) " left out when standard input is not a terminal) and the text
 * with control characters other than tab, CR and LF shown as ^X.
 *
 * Never hangs: terminals are opened O_NONBLOCK|O_NOCTTY, and one that
 * does not take the whole message within WALL_TTY_TIMEOUT_MS (a stopped
 * terminal, ^S) is given up.
 */
#ifndef UPINIT_WALL_H
#define UPINIT_WALL_H

#include <stddef.h>
#include <time.h>

#define WALL_TTY_TIMEOUT_MS 2000

/* One logged-in user. */
typedef struct wall_session {
	char user[64];      /* ut_user, NUL-terminated */
	char device[4096];  /* the terminal's path, DEV/LINE */
} WallSession;

/* The USER_PROCESS sessions of utmp, in file order, in a new array the
 * caller frees (*out NULL when there are none).  Returns how many, or -1
 * with errno when utmp cannot be read or memory runs out. */
long  wall_sessions(WallSession **out);

/* Send `text` to every session.  Returns how many terminals took it, or
 * -1 with errno when utmp cannot be read. */
long  wall_send(const char *text);

/* The header line for a message sent by `user` on `tty` (NULL: none)
 * from `host` at `now`; caller frees, NULL when out of memory. */
char *wall_header(const char *user, const char *host, const char *tty,
		  time_t now);
/* `text` with control characters other than \t \r \n as ^X; caller
 * frees, NULL when out of memory. */
char *wall_escape(const char *text);

#endif
