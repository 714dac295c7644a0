/* strbuf — a growable string for text built piece by piece (the job file
 * lexer, $VAR expansion).
 *
 * Appends never fail visibly: on ENOMEM the buffer is marked failed and
 * ignores further appends, so a caller checks `failed` once at the end.
 * The buffer owns `s` (NUL-terminated once anything was added); the
 * caller frees it, or takes it over.
 */
#ifndef UPINIT_STRBUF_H
#define UPINIT_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct str_buf {
	char  *s;
	size_t len;
	size_t cap;
	bool   failed;
} StrBuf;

void sb_add(StrBuf *sb, const char *s, size_t n);

#endif
