/* fuzz_env_expand — env_expand() on an arbitrary template.
 *
 * The input up to its first NUL byte is the template (copied to its own
 * exactly sized string); whatever follows the NUL becomes the value of
 * $INPUT, so values that themselves hold `$`, `{` or `}` are tried too.
 * The rest of the environment is fixed: set, empty and long variables,
 * names with digits and underscores.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/environ.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fixed_env[] = {
	"FOO=bar",
	"EMPTY=",
	"PATH=/usr/bin:/bin",
	"A_1=one",
	"JOB=net/apache",
	"DOLLAR=$FOO",
	"BRACES=${FOO}}",
	"LONG=0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	EnvList env = ENV_LIST_INIT;
	char *template, *value, *result, *unknown = NULL;

	template = strndup((const char *)data, tlen);
	if (!template)
		return 0;
	for (size_t i = 0; i < sizeof fixed_env / sizeof *fixed_env; i++)
		if (env_set(&env, fixed_env[i]) < 0)
			goto out;
	if (nul) {
		value = strndup((const char *)nul + 1, size - tlen - 1);
		if (!value)
			goto out;
		/* The value may hold another NUL: strndup stops there. */
		if (env_set_kv(&env, "INPUT", value) < 0) {
			free(value);
			goto out;
		}
		free(value);
	}

	errno = 0;
	result = env_expand(template, &env, &unknown);
	if (result) {
		if (unknown)
			abort();        /* set only on failure */
		free(result);
	} else {
		if (errno == ENOENT && !unknown)
			abort();        /* ENOENT names the variable */
		free(unknown);
	}
out:
	env_clear(&env);
	free(template);
	return 0;
}
