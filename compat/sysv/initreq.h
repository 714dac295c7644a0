/* initreq — the wire format of sysvinit's /run/initctl requests.
 *
 * A foreign format, so it lives alone here and is checked at compile time:
 * every request is one write of exactly INITREQ_SIZE (384) bytes in the
 * writer's native byte order, with 4-byte ints.  The struct and field
 * names are sysvinit's (src/initreq.h) so that anyone who knows that
 * header recognises this one; the layout is written from the table
 * below, not copied.
 *
 *   offset size field
 *        0    4 magic       INITREQ_MAGIC, else the request is bogus
 *        4    4 cmd         INITREQ_CMD_*
 *        8    4 runlevel    an ASCII character code ('6', 'S'), not 0-6
 *       12    4 sleeptime   seconds between SIGTERM and SIGKILL
 *       16  368 i           data[368] (SETENV list) or the BSD block
 *
 * Nothing here reads a request: compat/sysv/initctl_fifo.h decodes one.
 */
#ifndef UPINIT_INITREQ_H
#define UPINIT_INITREQ_H

#include <stddef.h>
#include <stdint.h>

#define INITREQ_MAGIC      0x03091969
#define INITREQ_SIZE       384
#define INITREQ_DATA_SIZE  368

/* Command codes (the `cmd` field). */
enum initreq_cmd {
	INITREQ_CMD_START        = 0,      /* never implemented by sysvinit */
	INITREQ_CMD_RUNLVL       = 1,      /* change runlevel (or Q, U, A-C) */
	INITREQ_CMD_POWERFAIL    = 2,      /* powerstatus F */
	INITREQ_CMD_POWERFAILNOW = 3,      /* powerstatus L */
	INITREQ_CMD_POWEROK      = 4,      /* powerstatus O */
	INITREQ_CMD_BSD          = 5,      /* never implemented by sysvinit */
	INITREQ_CMD_SETENV       = 6,      /* data: "K=V\0K\0...\0" */
	INITREQ_CMD_UNSETENV     = 7,      /* defined, never handled */
	INITREQ_CMD_CHANGECONS   = 12345,  /* defined, never handled */
};

/* The BSD 4.4 block inside the union; nothing on Linux sends it. */
struct init_request_bsd {
	char    gen_id[8];
	char    tty_id[16];
	char    host[64];
	char    term_type[16];
	int32_t signal;
	int32_t pid;
	char    exec_name[128];
	char    reserved[128];
};

struct init_request {
	int32_t magic;
	int32_t cmd;
	int32_t runlevel;
	int32_t sleeptime;
	union {
		struct init_request_bsd bsd;
		char data[INITREQ_DATA_SIZE];
	} i;
};

/* The layout every sysvinit tool and telinit writes; if any of these
 * fail, the build is for an ABI this protocol does not exist on. */
_Static_assert(sizeof(int) == 4, "initctl requests use 4-byte native ints");
_Static_assert(sizeof(struct init_request) == INITREQ_SIZE,
	       "struct init_request must be 384 bytes");
_Static_assert(sizeof(struct init_request_bsd) == INITREQ_DATA_SIZE,
	       "the BSD block fills the union exactly");
_Static_assert(offsetof(struct init_request, magic) == 0, "magic @0");
_Static_assert(offsetof(struct init_request, cmd) == 4, "cmd @4");
_Static_assert(offsetof(struct init_request, runlevel) == 8, "runlevel @8");
_Static_assert(offsetof(struct init_request, sleeptime) == 12, "sleeptime @12");
_Static_assert(offsetof(struct init_request, i.data) == 16, "data @16");
_Static_assert(offsetof(struct init_request, i.bsd.gen_id) == 16, "gen_id @16");
_Static_assert(offsetof(struct init_request, i.bsd.tty_id) == 24, "tty_id @24");
_Static_assert(offsetof(struct init_request, i.bsd.host) == 40, "host @40");
_Static_assert(offsetof(struct init_request, i.bsd.term_type) == 104,
	       "term_type @104");
_Static_assert(offsetof(struct init_request, i.bsd.signal) == 120, "signal @120");
_Static_assert(offsetof(struct init_request, i.bsd.pid) == 124, "pid @124");
_Static_assert(offsetof(struct init_request, i.bsd.exec_name) == 128,
	       "exec_name @128");
_Static_assert(offsetof(struct init_request, i.bsd.reserved) == 256,
	       "reserved @256");

#endif
