/* cmdline — the kernel command line, split and classified.  See
 * cmdline.h for the word forms. */
#include "sysv/cmdline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What a word means (table below). */
typedef enum word_kind {
	WORD_RUNLEVEL,
	WORD_EMERGENCY,
	WORD_AUTOBOOT,
} WordKind;

typedef struct word_meaning {
	const char *word;
	WordKind    kind;
	char        level;   /* WORD_RUNLEVEL only */
} WordMeaning;

static const WordMeaning meanings[] = {
	{ "0", WORD_RUNLEVEL, '0' },
	{ "1", WORD_RUNLEVEL, '1' },
	{ "2", WORD_RUNLEVEL, '2' },
	{ "3", WORD_RUNLEVEL, '3' },
	{ "4", WORD_RUNLEVEL, '4' },
	{ "5", WORD_RUNLEVEL, '5' },
	{ "6", WORD_RUNLEVEL, '6' },
	{ "S", WORD_RUNLEVEL, 'S' },
	{ "s", WORD_RUNLEVEL, 'S' },
	{ "single", WORD_RUNLEVEL, 'S' },
	{ "-s", WORD_RUNLEVEL, 'S' },
	{ "emergency", WORD_EMERGENCY, 0 },
	{ "-b", WORD_EMERGENCY, 0 },
	{ "auto", WORD_AUTOBOOT, 0 },
	{ "-a", WORD_AUTOBOOT, 0 },
};

void
cmdline_init(Cmdline *cl)
{
	cl->runlevel = '\0';
	cl->emergency = false;
	cl->autoboot = false;
	env_init(&cl->env);
	env_init(&cl->options);
}

void
cmdline_clear(Cmdline *cl)
{
	env_clear(&cl->env);
	env_clear(&cl->options);
	cmdline_init(cl);
}

/* ---- splitting ---------------------------------------------------------- */

static bool
is_separator(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r' || c == '\0';
}

/* One word of the command line, quotes removed, as a new string in
 * *word (NULL on ENOMEM).  Starts at text[*pos], which is not a
 * separator, and leaves *pos after the word.  *has_value tells whether
 * the word is KEY=VALUE (the first '=' splits it, quoted or not, as in
 * the kernel). */
static char *
next_word(const char *text, size_t len, size_t *pos, bool *has_value)
{
	size_t start = *pos, end, equals = SIZE_MAX;
	size_t val_start, val_end, key_len;
	bool in_quote = false, quoted = false;
	char *word;

	if (text[start] == '"') {
		quoted = in_quote = true;
		start++;
	}
	for (end = start; end < len; end++) {
		/* A NUL ends the word even inside quotes: words are C
		 * strings. */
		if (text[end] == '\0' || (!in_quote && is_separator(text[end])))
			break;
		if (equals == SIZE_MAX && text[end] == '=')
			equals = end;
		if (text[end] == '"')
			in_quote = !in_quote;
	}
	*pos = end;

	/* Drop the closing quote of a quoted word or value: the last
	 * character, when it is a quote. */
	*has_value = equals != SIZE_MAX && equals > start;
	val_end = end;
	if (*has_value) {
		val_start = equals + 1;
		if (val_start < end && text[val_start] == '"') {
			val_start++;
			if (val_end > val_start && text[val_end - 1] == '"')
				val_end--;
		} else if (quoted && val_end > val_start &&
			   text[val_end - 1] == '"') {
			val_end--;
		}
	} else if (quoted && end > start && text[end - 1] == '"') {
		val_end--;
	}

	/* KEY= (nothing for a plain word), then the value or the word. */
	key_len = *has_value ? equals + 1 - start : 0;
	if (!*has_value)
		val_start = start;
	word = malloc(key_len + (val_end - val_start) + 1);
	if (!word)
		return NULL;
	memcpy(word, text + start, key_len);
	memcpy(word + key_len, text + val_start, val_end - val_start);
	word[key_len + (val_end - val_start)] = '\0';
	return word;
}

/* ---- environment: later words win -------------------------------------- */

/* Sort helper: entries of `all` by key, then by position. */
static int
compare_keys(const void *a, const void *b, void *arg)
{
	char *const *vars = arg;
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	const char *va = vars[ia], *vb = vars[ib];
	size_t la = env_key_len(va), lb = env_key_len(vb);
	int cmp = memcmp(va, vb, la < lb ? la : lb);

	if (cmp == 0 && la != lb)
		cmp = la < lb ? -1 : 1;
	if (cmp == 0)
		cmp = ia < ib ? -1 : ia > ib;
	return cmp;
}

/* env := `all` with every key once, at its first position, holding its
 * last value: what env_set() for each word in turn gives, in
 * O(n log n) instead of O(n²).  -1 on ENOMEM. */
static int
env_take_last(EnvList *env, const EnvList *all)
{
	size_t n = all->len, *order, *source;
	int ret = 0;

	if (n == 0)
		return 0;
	order = reallocarray(NULL, n, sizeof *order);
	source = reallocarray(NULL, n, sizeof *source);
	if (!order || !source) {
		free(order);
		free(source);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		order[i] = i;
		source[i] = SIZE_MAX;      /* not the first of its key */
	}
	qsort_r(order, n, sizeof *order, compare_keys, all->vars);
	for (size_t g = 0; g < n;) {
		size_t end = g + 1;
		size_t klen = env_key_len(all->vars[order[g]]);

		while (end < n &&
		       env_key_len(all->vars[order[end]]) == klen &&
		       memcmp(all->vars[order[end]], all->vars[order[g]],
			      klen) == 0)
			end++;
		source[order[g]] = order[end - 1];
		g = end;
	}
	for (size_t i = 0; i < n && ret == 0; i++)
		if (source[i] != SIZE_MAX)
			ret = env_append(env, all->vars[source[i]]);
	free(order);
	free(source);
	return ret;
}

/* ---- classification ----------------------------------------------------- */

static const WordMeaning *
word_meaning(const char *word)
{
	for (size_t i = 0; i < sizeof meanings / sizeof *meanings; i++)
		if (strcmp(word, meanings[i].word) == 0)
			return &meanings[i];
	return NULL;
}

/* Apply one word; `assignments` collects KEY=VALUE words for
 * env_take_last().  -1 on ENOMEM. */
static int
classify(Cmdline *cl, EnvList *assignments, const char *word, bool has_value,
	 bool after_dashes)
{
	const WordMeaning *m;

	if (word[0] == '-' && strcmp(word, "--") != 0 && !word_meaning(word))
		return env_append(&cl->options, word);
	if (has_value) {
		size_t klen = env_key_len(word);

		if (after_dashes || memchr(word, '.', klen))
			return 0;
		return env_append(assignments, word);
	}
	if (!(m = word_meaning(word)))
		return 0;
	switch (m->kind) {
	case WORD_RUNLEVEL:
		cl->runlevel = m->level;
		break;
	case WORD_EMERGENCY:
		cl->emergency = true;
		break;
	case WORD_AUTOBOOT:
		cl->autoboot = true;
		break;
	}
	return 0;
}

int
cmdline_parse(Cmdline *cl, const char *text, size_t len)
{
	EnvList assignments = ENV_LIST_INIT;
	bool after_dashes = false;
	size_t pos = 0;

	cmdline_clear(cl);
	while (pos < len) {
		bool has_value;
		char *word;
		int ret;

		if (is_separator(text[pos])) {
			pos++;
			continue;
		}
		if (!(word = next_word(text, len, &pos, &has_value)))
			goto nomem;
		if (!has_value && strcmp(word, "--") == 0 && !after_dashes) {
			after_dashes = true;
			ret = 0;
		} else {
			ret = classify(cl, &assignments, word, has_value,
				       after_dashes);
		}
		free(word);
		if (ret < 0)
			goto nomem;
	}
	if (env_take_last(&cl->env, &assignments) < 0)
		goto nomem;
	env_clear(&assignments);
	return 0;
nomem:
	env_clear(&assignments);
	cmdline_clear(cl);
	errno = ENOMEM;
	return -1;
}

int
cmdline_read(Cmdline *cl, const char *path)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int fd, err, ret;

	cmdline_clear(cl);
	fd = open(path ? path : CMDLINE_DEFAULT_PATH,
		  O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	/* /proc files report size 0: read until end of file. */
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *bigger;

			if (cap >= CMDLINE_READ_MAX) {
				err = EFBIG;
				goto fail;
			}
			cap = cap ? cap * 2 : 4096;
			if (cap > CMDLINE_READ_MAX)
				cap = CMDLINE_READ_MAX;
			if (!(bigger = realloc(buf, cap))) {
				err = ENOMEM;
				goto fail;
			}
			buf = bigger;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	ret = cmdline_parse(cl, buf ? buf : "", len);
	free(buf);
	return ret;
fail:
	close(fd);
	free(buf);
	errno = err;
	return -1;
}
