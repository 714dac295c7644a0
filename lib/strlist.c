/* strlist — see strlist.h. */
#include "lib/strlist.h"

#include <stdlib.h>
#include <string.h>

/* Append `s` (taking ownership) keeping the NULL terminator; on failure
 * the caller still owns `s`. */
static bool
strlist_adopt(StrList *list, char *s)
{
	char **grown = reallocarray(list->items, list->len + 2, sizeof(*grown));

	if (grown == NULL)
		return false;
	grown[list->len++] = s;
	grown[list->len] = NULL;
	list->items = grown;
	return true;
}

/* Append a copy of `s`. */
bool
strlist_push(StrList *list, const char *s)
{
	char *copy = strdup(s);

	if (copy == NULL)
		return false;
	if (!strlist_adopt(list, copy)) {
		free(copy);
		return false;
	}
	return true;
}

/* Append the non-empty fields of `s` split at `sep`. */
bool
strlist_push_split(StrList *list, const char *s, char sep)
{
	while (*s != '\0') {
		size_t len = strcspn(s, (char[]){ sep, '\0' });
		char  *field;

		if (len > 0) {
			field = strndup(s, len);
			if (field == NULL || !strlist_adopt(list, field)) {
				free(field);
				return false;
			}
		}
		s += len;
		if (*s == sep)
			s++;
	}
	return true;
}

/* Release everything the list owns. */
void
strlist_free(StrList *list)
{
	for (size_t i = 0; i < list->len; i++)
		free(list->items[i]);
	free(list->items);
	list->items = NULL;
	list->len = 0;
}
