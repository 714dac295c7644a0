/* textscan — walking a text line by line and word by word, for the small
 * parsers of configuration files (LSB headers, insserv's files).
 *
 * Texts are `len` bytes that need not be NUL-terminated and may hold NUL
 * bytes.  A line ends at '\n' (not included) or at the end of the text.
 * A word is a run of bytes other than white space; a word holding a NUL
 * byte, or longer than the caller's buffer allows, names nothing any
 * file could mean and is skipped.
 *
 * Nothing is allocated.
 */
#ifndef UPINIT_TEXTSCAN_H
#define UPINIT_TEXTSCAN_H

#include <stdbool.h>
#include <stddef.h>

/* The next line at *at: [*line, *end).  *at moves past it.  False at the
 * end of the text. */
bool text_next_line(const char *text, size_t len, size_t *at,
		    const char **line, const char **end);

/* The next word of [*at, end) copied NUL-terminated into `word` (`size`
 * bytes); *at moves past it.  False when no word is left. */
bool text_next_word(const char **at, const char *end, char *word, size_t size);

#endif
