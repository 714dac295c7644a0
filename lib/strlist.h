/* strlist — a growable, NULL-terminated list of owned strings.
 *
 * initctl collects positional arguments, `emit -e KEY=VALUE` values and
 * `check-config -i` event names in these; the SysV layer's parsers the
 * words of LSB headers and insserv's files.  The list owns every string in
 * it: strlist_free() releases them and the array.  `items` is always
 * either NULL (empty, never grown) or NULL-terminated, so it can be
 * walked or handed on as a char *const * without counting.
 */
#ifndef UPINIT_STRLIST_H
#define UPINIT_STRLIST_H

#include <stdbool.h>
#include <stddef.h>

typedef struct str_list {
	char  **items;
	size_t  len;
} StrList;

#define STRLIST_INIT { NULL, 0 }

/* Append a copy of `s`; false (list unchanged) when out of memory. */
bool strlist_push(StrList *list, const char *s);
/* Append each comma-separated, non-empty field of `s` (libnih's
 * nih_str_split with repeat: "a,,b" gives a and b). */
bool strlist_push_split(StrList *list, const char *s, char sep);
/* Free every string and the array; the list is empty and reusable. */
void strlist_free(StrList *list);

#endif
