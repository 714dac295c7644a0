/* libFuzzer target: what PID 1 makes of a SysV script and of
 * /etc/default/upinit for the jobs sysv/NAME (compat/sysv/sysv_jobs.h).
 *
 * The input is the defaults file, a NUL byte, then the script.  Any
 * defaults text is read without harm.  Whatever the script's LSB header
 * says (its Short-Description goes into the job text), the job text must
 * parse, as the job file parser reads it, into a class whose pre-start
 * and post-stop are the two actions and that has no main process: a
 * header must never make a job that fails to load or that runs anything
 * else.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "init/conf.h"
#include "init/job_class.h"
#include "init/log.h"
#include "sysv/lsb_header.h"
#include "sysv/sysv_jobs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t dlen = nul ? (size_t)(nul - data) : size;
	char *defaults = strndup((const char *)data, dlen);
	const char *script = nul ? (const char *)nul + 1 : "";
	size_t slen = nul ? size - dlen - 1 : 0;
	LsbHeader h = LSB_HEADER_INIT;
	JobClass *c;
	char *text;

	if (!defaults)
		return 0;
	(void)sysv_jobs_native(defaults);
	free(defaults);
	if (lsb_header_parse(script, slen, &h) < 0)
		return 0;
	text = sysv_jobs_text("x", "/etc", "/lib/init/upinit-rc", &h);
	if (text) {
		log_set_priority(LOG_PRIO_FATAL);
		c = conf_class_from_text("sysv/x", "/etc/init.d/x", text, NULL, NULL);
		if (!c || c->process[PROCESS_MAIN].command ||
		    !c->process[PROCESS_PRE_START].command ||
		    strncmp(c->process[PROCESS_PRE_START].command,
			    "/lib/init/upinit-rc --job start", 31) ||
		    !c->process[PROCESS_POST_STOP].command ||
		    strncmp(c->process[PROCESS_POST_STOP].command,
			    "/lib/init/upinit-rc --job stop", 30))
			abort();
		job_class_unref(c);
		free(text);
	}
	lsb_header_free(&h);
	return 0;
}
