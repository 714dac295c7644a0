/* json_out — see json_out.h. */
#include "initctl/json_out.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "initctl/messages.h"

int
json_out_print(struct json_object *doc)
{
	const char *text;

	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
						   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL) {
		msg_error("Cannot allocate memory");
		return 1;
	}
	msg_out(text);
	if (fflush(stdout) != 0) {
		msg_error("Unable to write output: %s", strerror(errno));
		return 1;
	}
	return 0;
}
