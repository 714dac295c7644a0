/* environ — KEY=VALUE lists and $VAR expansion.  See environ.h. */
#include "lib/environ.h"
#include "lib/strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char *const empty_vars[] = { NULL };

void
env_init(EnvList *env)
{
	env->vars = NULL;
	env->len = env->cap = 0;
}

void
env_clear(EnvList *env)
{
	for (size_t i = 0; i < env->len; i++)
		free(env->vars[i]);
	free(env->vars);
	env_init(env);
}

size_t
env_key_len(const char *s)
{
	const char *eq = strchr(s, '=');

	return eq ? (size_t)(eq - s) : strlen(s);
}

bool
env_is_assignment(const char *s)
{
	const char *eq = strchr(s, '=');

	return eq && eq != s;
}

/* Index of the entry whose key is the first `keylen` bytes of `key`. */
static ssize_t
env_index(const EnvList *env, const char *key, size_t keylen)
{
	for (size_t i = 0; i < env->len; i++) {
		const char *v = env->vars[i];

		if (strncmp(v, key, keylen) == 0 && v[keylen] == '=')
			return (ssize_t)i;
	}
	return -1;
}

/* Make room for one more entry plus the NULL terminator. */
static int
env_grow(EnvList *env)
{
	char **vars;
	size_t cap;

	if (env->len + 2 <= env->cap)
		return 0;
	cap = env->cap ? env->cap * 2 : 8;
	vars = reallocarray(env->vars, cap, sizeof *vars);
	if (!vars)
		return -1;
	env->vars = vars;
	env->cap = cap;
	return 0;
}

int
env_append(EnvList *env, const char *assignment)
{
	char *copy;

	if (env_grow(env) < 0 || !(copy = strdup(assignment)))
		return -1;
	env->vars[env->len++] = copy;
	env->vars[env->len] = NULL;
	return 0;
}

int
env_set(EnvList *env, const char *assignment)
{
	ssize_t i;
	char *copy;

	if (!env_is_assignment(assignment)) {
		errno = EINVAL;
		return -1;
	}
	i = env_index(env, assignment, env_key_len(assignment));
	if (i < 0)
		return env_append(env, assignment);
	if (!(copy = strdup(assignment)))
		return -1;
	free(env->vars[i]);
	env->vars[i] = copy;
	return 0;
}

int
env_set_kv(EnvList *env, const char *key, const char *value)
{
	size_t klen = strlen(key), vlen = strlen(value);
	char *s = malloc(klen + vlen + 2);
	int ret;

	if (!s)
		return -1;
	memcpy(s, key, klen);
	s[klen] = '=';
	memcpy(s + klen + 1, value, vlen + 1);
	ret = env_set(env, s);
	free(s);
	return ret;
}

bool
env_unset(EnvList *env, const char *key)
{
	ssize_t i = env_index(env, key, strlen(key));

	if (i < 0)
		return false;
	free(env->vars[i]);
	memmove(&env->vars[i], &env->vars[i + 1],
		(env->len - (size_t)i) * sizeof *env->vars);
	env->len--;
	return true;
}

const char *
env_lookup(const EnvList *env, const char *key)
{
	ssize_t i = env_index(env, key, strlen(key));

	return i < 0 ? NULL : env->vars[i];
}

const char *
env_get(const EnvList *env, const char *key)
{
	const char *entry = env_lookup(env, key);

	return entry ? strchr(entry, '=') + 1 : NULL;
}

/* ---- the key index ---- */

/* FNV-1a of a key. */
static size_t
key_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

/* The slot that holds the entry with this key, or the free slot where it
 * would go.  The index must have a free slot. */
static size_t *
index_slot(const EnvIndex *ix, const EnvList *env, const char *key, size_t klen)
{
	size_t i = key_hash(key, klen) & (ix->cap - 1);

	for (;; i = (i + 1) & (ix->cap - 1)) {
		size_t *slot = &ix->slots[i];
		const char *entry;

		if (!*slot)
			return slot;
		entry = env->vars[*slot - 1];
		if (env_key_len(entry) == klen && !strncmp(entry, key, klen))
			return slot;
	}
}

/* Rebuild the index from the list, at least twice as large as the list
 * plus one, so that it covers what was there before the index was made
 * and stays at most half full. */
static int
index_grow(EnvIndex *ix, const EnvList *env)
{
	size_t cap = ix->cap ? ix->cap * 2 : 64;
	EnvIndex grown;

	while (cap < (env->len + 1) * 2)
		cap *= 2;
	grown = (EnvIndex){ calloc(cap, sizeof (size_t)), cap, 0 };
	if (!grown.slots)
		return -1;
	for (size_t i = 0; i < env->len; i++) {
		size_t *slot = index_slot(&grown, env, env->vars[i], env_key_len(env->vars[i]));

		if (!*slot) {
			*slot = i + 1;
			grown.used++;
		}
	}
	free(ix->slots);
	*ix = grown;
	return 0;
}

int
env_index_set(EnvIndex *ix, EnvList *env, const char *entry)
{
	size_t *slot;
	char *copy;

	if ((ix->used + 1) * 2 > ix->cap && index_grow(ix, env) < 0)
		return -1;
	slot = index_slot(ix, env, entry, env_key_len(entry));
	if (*slot) {
		if (!(copy = strdup(entry)))
			return -1;
		free(env->vars[*slot - 1]);
		env->vars[*slot - 1] = copy;
		return 0;
	}
	if (env_append(env, entry) < 0)
		return -1;
	*slot = env->len;
	ix->used++;
	return 0;
}

void
env_index_free(EnvIndex *ix)
{
	free(ix->slots);
	*ix = (EnvIndex)ENV_INDEX_INIT;
}

/* Small lists go entry by entry; an index costs more than it saves. */
#define ENV_INDEX_MIN 16

int
env_merge(EnvList *dst, const EnvList *src)
{
	EnvIndex ix = ENV_INDEX_INIT;
	int ret = 0;

	if (dst->len + src->len < ENV_INDEX_MIN) {
		for (size_t i = 0; i < src->len; i++)
			if (env_set(dst, src->vars[i]) < 0)
				return -1;
		return 0;
	}
	for (size_t i = 0; i < src->len && ret == 0; i++)
		if (env_is_assignment(src->vars[i]))
			ret = env_index_set(&ix, dst, src->vars[i]);
	env_index_free(&ix);
	return ret;
}

int
env_copy(EnvList *dst, const EnvList *src)
{
	EnvList tmp = ENV_LIST_INIT;

	for (size_t i = 0; i < src->len; i++) {
		if (env_append(&tmp, src->vars[i]) < 0) {
			env_clear(&tmp);
			return -1;
		}
	}
	env_clear(dst);
	*dst = tmp;
	return 0;
}

char *const *
env_vars(const EnvList *env)
{
	return env->vars ? env->vars : empty_vars;
}

/* ---- expansion ---- */

static size_t
name_len(const char *s)
{
	size_t n = 0;

	if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	return n;
}

static int expand_into(StrBuf *sb, const char *str, size_t len,
		       const EnvList *env, char **unknown, int depth);

/* Value of the first `n` bytes of `name` in env, or NULL. */
static const char *
lookup_n(const EnvList *env, const char *name, size_t n)
{
	ssize_t i;

	if (!env)
		return NULL;
	i = env_index(env, name, n);
	return i < 0 ? NULL : env->vars[i] + n + 1;
}

static int
report_unknown(char **unknown, const char *name, size_t n)
{
	if (unknown)
		*unknown = strndup(name, n);
	errno = ENOENT;
	return -1;
}

/* Find the `}` that closes the `${` whose body starts at `s`. */
static const char *
find_close(const char *s, const char *end)
{
	int depth = 1;

	for (; s < end; s++) {
		if (s[0] == '$' && s + 1 < end && s[1] == '{') {
			depth++;
			s++;
		} else if (*s == '}' && --depth == 0) {
			return s;
		}
	}
	return NULL;
}

/* ${NAME}, ${NAME:-w}, ${NAME-w}, ${NAME:+w}, ${NAME+w}; body excludes braces. */
static int
expand_braced(StrBuf *sb, const char *body, size_t blen, const EnvList *env,
	      char **unknown, int depth)
{
	size_t n = name_len(body);
	const char *value, *op, *word;
	bool colon;

	if (blen == 0) {
		sb_add(sb, "$", 1);
		return 0;
	}
	if (n == 0 || n > blen) {
		errno = EINVAL;
		return -1;
	}
	value = lookup_n(env, body, n);
	if (n == blen) {
		if (!value)
			return report_unknown(unknown, body, n);
		sb_add(sb, value, strlen(value));
		return 0;
	}
	op = body + n;
	colon = *op == ':';
	if (colon)
		op++;
	if (op >= body + blen || (*op != '-' && *op != '+')) {
		errno = EINVAL;
		return -1;
	}
	word = op + 1;
	bool set = value && (!colon || *value);
	if (*op == '-') {
		if (set)
			sb_add(sb, value, strlen(value));
		else
			return expand_into(sb, word, (size_t)(body + blen - word), env,
					   unknown, depth + 1);
	} else if (set) {
		return expand_into(sb, word, (size_t)(body + blen - word), env,
				   unknown, depth + 1);
	}
	return 0;
}

static int
expand_into(StrBuf *sb, const char *str, size_t len, const EnvList *env,
	    char **unknown, int depth)
{
	const char *p = str, *end = str + len;

	if (depth > 32) {
		errno = EINVAL;
		return -1;
	}
	while (p < end) {
		const char *dollar = memchr(p, '$', (size_t)(end - p));

		if (!dollar) {
			sb_add(sb, p, (size_t)(end - p));
			break;
		}
		sb_add(sb, p, (size_t)(dollar - p));
		p = dollar + 1;
		if (p < end && *p == '{') {
			const char *close = find_close(p + 1, end);

			if (!close) {
				errno = EINVAL;
				return -1;
			}
			if (expand_braced(sb, p + 1, (size_t)(close - p - 1), env,
					  unknown, depth) < 0)
				return -1;
			p = close + 1;
		} else {
			size_t n = p < end ? name_len(p) : 0;
			const char *value;

			if (n > (size_t)(end - p))
				n = (size_t)(end - p);
			if (n == 0) {
				sb_add(sb, "$", 1);
				continue;
			}
			value = lookup_n(env, p, n);
			if (!value)
				return report_unknown(unknown, p, n);
			sb_add(sb, value, strlen(value));
			p += n;
		}
	}
	return 0;
}

char *
env_expand(const char *str, const EnvList *env, char **unknown)
{
	StrBuf sb = { 0 };

	if (unknown)
		*unknown = NULL;
	sb_add(&sb, "", 0);
	if (expand_into(&sb, str, strlen(str), env, unknown, 0) < 0) {
		free(sb.s);
		return NULL;
	}
	if (sb.failed) {
		free(sb.s);
		errno = ENOMEM;
		return NULL;
	}
	return sb.s;
}
