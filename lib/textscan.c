/* textscan — lines and words of a text.  See textscan.h. */
#include "lib/textscan.h"

#include <ctype.h>
#include <string.h>

bool
text_next_line(const char *text, size_t len, size_t *at, const char **line, const char **end)
{
	const char *nl;

	if (*at >= len)
		return false;
	*line = text + *at;
	nl = memchr(*line, '\n', len - *at);
	*end = nl ? nl : text + len;
	*at = (size_t)(*end - text) + (nl ? 1 : 0);
	return true;
}

bool
text_next_word(const char **at, const char *end, char *word, size_t size)
{
	for (;;) {
		const char *s = *at;
		size_t n;

		while (s < end && isspace((unsigned char)*s))
			s++;
		if (s == end) {
			*at = s;
			return false;
		}
		for (n = 0; s + n < end && !isspace((unsigned char)s[n]); n++)
			;
		*at = s + n;
		if (n < size && !memchr(s, '\0', n)) {
			memcpy(word, s, n);
			word[n] = '\0';
			return true;
		}
	}
}
