/* strbuf — a growable string.  See strbuf.h. */
#include "lib/strbuf.h"

#include <stdlib.h>
#include <string.h>

void
sb_add(StrBuf *sb, const char *s, size_t n)
{
	if (sb->failed)
		return;
	if (sb->len + n + 1 > sb->cap) {
		size_t cap = sb->cap ? sb->cap : 32;
		char *p;

		while (cap < sb->len + n + 1)
			cap *= 2;
		if (!(p = realloc(sb->s, cap))) {
			sb->failed = true;
			return;
		}
		sb->s = p;
		sb->cap = cap;
	}
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}
