/* parse_job — the job file language (init(5)) into a JobClass.
 *
 * A lexer splits the text into stanzas (one per logical line; quotes and
 * parentheses may span lines; backslash-newline continues a line; `#`
 * comments; `script` ... `end script` blocks are raw text) and a table of
 * stanza handlers fills one field each.  Nothing is half-applied: on any
 * error the class is left unchanged when it was given (override files)
 * or freed when it was new.
 */
#ifndef UPINIT_PARSE_JOB_H
#define UPINIT_PARSE_JOB_H

#include <stddef.h>

#include "init/job_class.h"

typedef struct parse_error {
	size_t      line;       /* 1-based line of the fault */
	const char *message;    /* static text, one of init(5)'s messages */
} ParseError;

/* Parse `len` bytes of `text` (need not be NUL-terminated; a NUL byte in
 * it is an error) as the definition of job `name` read from `path`.
 *
 * With `into` NULL a new class (one reference) is returned.  With `into`
 * set (an .override file), the stanzas are applied to a copy of `into`,
 * and the copy is returned (one reference) while `into` is untouched.
 * Returns NULL and fills *error on a syntax error (errno EINVAL) or ENOMEM. */
JobClass *parse_job(const JobClass *into, const char *name, const char *path,
		    const char *text, size_t len, ParseError *error);

/* /etc/init.conf style files accept comments and blank lines only. */
int       parse_empty_conf(const char *text, size_t len, ParseError *error);

#endif
