/* fuzz_event_operator — event_operator_parse() on arbitrary tokens.
 *
 * The input is split on spaces and newlines into tokens, as the job file
 * lexer would hand them over (each a separate NUL-terminated string, so a
 * read past one is caught).  A tree that parses is printed, copied,
 * printed again (the copy must print the same) and freed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "init/event_operator.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_TOKENS 4096

static int
is_separator(uint8_t c)
{
	return c == ' ' || c == '\n';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *tokens[MAX_TOKENS];
	size_t ntokens = 0, i = 0, error_token = 0;
	const char *error = NULL;
	EventOperator *op, *copy;

	while (i < size && ntokens < MAX_TOKENS) {
		size_t start;

		while (i < size && is_separator(data[i]))
			i++;
		if (i == size)
			break;
		start = i;
		while (i < size && !is_separator(data[i]))
			i++;
		tokens[ntokens] = strndup((const char *)data + start, i - start);
		if (!tokens[ntokens])
			goto out;
		ntokens++;
	}

	op = event_operator_parse(tokens, ntokens, &error, &error_token);
	if (op) {
		char *a = event_operator_to_string(op);

		copy = event_operator_copy(op);
		if (copy) {
			char *b = event_operator_to_string(copy);

			/* A copy that prints differently is a bug. */
			if (a && b && strcmp(a, b) != 0)
				abort();
			free(b);
			event_operator_free(copy);
		}
		free(a);
		event_operator_free(op);
	} else if (error == NULL || error_token > ntokens) {
		/* The contract: a static message and an index within range. */
		abort();
	}
out:
	while (ntokens)
		free(tokens[--ntokens]);
	return 0;
}
