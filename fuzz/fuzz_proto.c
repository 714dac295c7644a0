/* fuzz_proto — proto_decode() on an arbitrary control-socket packet.
 *
 * The input is one packet as init receives it from a client, copied into
 * a buffer of exactly its size (a packet is not NUL-terminated).  A
 * message that decodes is read the way control.c reads requests: the
 * string, bool and string-array fields of every command.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const string_keys[] = {
	"cmd", "job", "instance", "event", "priority", "error", "v",
};
static const char *const bool_keys[] = {
	"wait", "self", "enumerate", "warn", "global", "retain",
};
static const char *const array_keys[] = {
	"env", "vars", "ignore_events", "lines",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *error = NULL;
	struct json_object *msg;
	char *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	msg = proto_decode(buf, size, &error);
	free(buf);          /* the message must not point into the packet */
	if (!msg) {
		if (!error)
			abort();
		return 0;
	}
	for (size_t k = 0; k < sizeof string_keys / sizeof *string_keys; k++) {
		const char *s = proto_get_string(msg, string_keys[k]);

		if (s)
			(void)strlen(s);
	}
	for (size_t k = 0; k < sizeof bool_keys / sizeof *bool_keys; k++)
		(void)proto_get_bool(msg, bool_keys[k], false);
	for (size_t k = 0; k < sizeof array_keys / sizeof *array_keys; k++) {
		size_t count = 0;
		bool bad = false;
		const char **v = proto_get_strings(msg, array_keys[k], &count, &bad);

		if (v) {
			for (size_t j = 0; j < count; j++)
				if (!v[j])
					abort();
			if (v[count])
				abort();
		}
		free(v);
	}
	json_object_put(msg);
	return 0;
}
