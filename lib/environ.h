/* environ — lists of KEY=VALUE strings and $VAR expansion.
 *
 * An EnvList owns every string in it and keeps them NULL-terminated in
 * `vars`, so `vars` can be handed to execve() as it is.  Order is kept:
 * replacing a key keeps its position, new keys go to the end (event
 * environments are matched by position, see event_operator.h).
 *
 * Every function that allocates returns -1 (or NULL) with errno ENOMEM on
 * failure and leaves the list as it was.
 */
#ifndef UPINIT_ENVIRON_H
#define UPINIT_ENVIRON_H

#include <stdbool.h>
#include <stddef.h>

typedef struct env_list {
	char  **vars;   /* NULL-terminated; NULL itself when empty and unused */
	size_t  len;
	size_t  cap;
} EnvList;

#define ENV_LIST_INIT { NULL, 0, 0 }

void        env_init(EnvList *env);
/* Frees every string and the array; the list is empty and reusable. */
void        env_clear(EnvList *env);

/* Set from "KEY=VALUE" (copied).  A string without '=' is rejected (EINVAL). */
int         env_set(EnvList *env, const char *assignment);
int         env_set_kv(EnvList *env, const char *key, const char *value);
/* Appends without looking for an existing key (used to keep duplicates). */
int         env_append(EnvList *env, const char *assignment);
/* Removes KEY; returns true when something was removed. */
bool        env_unset(EnvList *env, const char *key);
/* Value of KEY inside the list (not a copy), or NULL. */
const char *env_get(const EnvList *env, const char *key);
/* The whole "KEY=VALUE" entry for KEY, or NULL. */
const char *env_lookup(const EnvList *env, const char *key);
/* dst := dst with every entry of src set over it (linear time). */
int         env_merge(EnvList *dst, const EnvList *src);
/* dst := copy of src (dst is cleared first). */
int         env_copy(EnvList *dst, const EnvList *src);
/* The vars array, never NULL (an empty list returns a static { NULL }). */
char *const *env_vars(const EnvList *env);

/* A hash index over a list's keys, to set many entries in linear time
 * (env_set() looks the key up entry by entry).  It stays right while the
 * list changes only through env_index_set(); after any other change,
 * free it and start again.  The first entry of a repeated key is the one
 * found, as with env_set(). */
typedef struct env_index {
	size_t *slots;   /* 1 + position in the list, 0 for a free slot */
	size_t  cap;     /* a power of two, at least twice `used` */
	size_t  used;
} EnvIndex;

#define ENV_INDEX_INIT { NULL, 0, 0 }

/* env_set() through the index: `entry` ("KEY=VALUE", or a bare "KEY",
 * which env_set() would refuse) replaces the entry with its key in
 * place, or is appended.  -1 with ENOMEM, list and index as before. */
int         env_index_set(EnvIndex *ix, EnvList *env, const char *entry);
void        env_index_free(EnvIndex *ix);

/* True for "KEY=VALUE" with a non-empty KEY. */
bool        env_is_assignment(const char *s);
/* Length of the key part of "KEY=VALUE" (or of the whole string). */
size_t      env_key_len(const char *s);

/* Expand $VAR, ${VAR}, ${VAR:-word}, ${VAR-word}, ${VAR:+word} and
 * ${VAR+word} in `str` against `env` (libnih's rules; `${}` and a `$` not
 * followed by a name stay literal `$`).  Returns a new string the caller
 * frees, or NULL: errno ENOENT with *unknown set to the (malloc'd) name of
 * an undefined variable, EINVAL for an unterminated `${`, ENOMEM.
 * `unknown` may be NULL. */
char       *env_expand(const char *str, const EnvList *env, char **unknown);

#endif
