/* libFuzzer target: the /run/initctl request decoder.
 *
 * Any bytes, any length.  A decoded request must obey what
 * initctl_fifo.h promises: a known type, a runlevel from the allowed set
 * (upper-cased), a sleeptime in range, and for SETENV at most
 * INITREQ_ENV_MAX entries, each an INIT_ name inside env_buf.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sysv/initctl_fifo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	InitRequest req;
	const char *why = NULL;

	if (initreq_decode(data, size, &req, &why) < 0) {
		if (!why)
			abort();
		return 0;
	}
	if (size != INITREQ_SIZE)
		abort();
	switch (req.type) {
	case INIT_REQUEST_RUNLEVEL:
		if (!req.runlevel || !strchr("0123456789SQUABC", req.runlevel))
			abort();
		/* fall through */
	case INIT_REQUEST_POWERFAIL:
	case INIT_REQUEST_POWERFAILNOW:
	case INIT_REQUEST_POWEROK:
		if (req.sleeptime < 0 || req.sleeptime > INITREQ_SLEEPTIME_MAX)
			abort();
		break;
	case INIT_REQUEST_SETENV:
		if (req.env_len > INITREQ_ENV_MAX)
			abort();
		for (size_t i = 0; i < req.env_len; i++) {
			const char *entry = initreq_env(&req, i);

			if (req.env_at[i] >= INITREQ_DATA_SIZE ||
			    strnlen(entry, INITREQ_DATA_SIZE - req.env_at[i]) ==
			    INITREQ_DATA_SIZE - req.env_at[i] ||
			    strncmp(entry, "INIT_", 5) != 0)
				abort();
		}
		break;
	case INIT_REQUEST_UNIMPLEMENTED:
		break;
	default:
		abort();
	}
	return 0;
}
