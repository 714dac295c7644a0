/* rc-compare ETC — does the order upinit makes from the scripts' LSB
 * headers (sysv/rc_lsb.h) agree with the one insserv wrote into
 * ETC/init.d/.depend.boot, .depend.start and .depend.stop?
 *
 * For each file, every pair of scripts that insserv lists is compared
 * by reachability: "a runs (directly or not) after b" must hold in both
 * orders or in neither.  Each disagreement is printed; the exit status
 * is 1 when there is one, 2 when something cannot be read, else 0.  The
 * system tests run it on the Debian trees.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "sysv/insserv_conf.h"
#include "sysv/lsb_header.h"
#include "sysv/rc_depend.h"
#include "sysv/rc_lsb.h"

#define MAX_FILE (1 << 20)
#define MAX_SCRIPTS 4096

/* Files of init.d that insserv does not read as scripts. */
static bool
skipped(const char *name)
{
	return name[0] == '.' || !strcmp(name, "README") || !strcmp(name, "rc") ||
	       !strcmp(name, "rcS") || !strcmp(name, "skeleton") || strstr(name, ".dpkg-");
}

/* reach[i * n + j]: node i runs after node j, directly or not. */
static char *
reachability(const RcDepend *g)
{
	size_t n = g->len;
	char *reach = calloc(n * n + 1, 1);
	size_t *stack = malloc((n + 1) * sizeof *stack);

	for (size_t i = 0; reach && stack && i < n; i++) {
		size_t top = 0;

		stack[top++] = i;
		while (top) {
			const RcDependNode *node = &g->nodes[stack[--top]];

			for (size_t k = 0; k < node->nafter; k++) {
				size_t j = node->after[k];

				if (!reach[i * n + j]) {
					reach[i * n + j] = 1;
					stack[top++] = j;
				}
			}
		}
	}
	free(stack);
	return reach;
}

static int
compare(const char *etc, const char *mode, const RcScript *scripts, size_t n,
	const InsservConf *conf)
{
	char path[4096], *text, *mine_text;
	RcDepend *theirs, *mine;
	char *rt, *rm;
	size_t len;
	int differences = 0;

	snprintf(path, sizeof path, "%s/init.d/.depend.%s", etc, mode);
	if (!(text = read_regular_file(path, MAX_FILE, &len))) {
		perror(path);
		return -1;
	}
	theirs = rc_depend_parse(text, len);
	free(text);
	mine_text = rc_lsb_depend_text(scripts, n, conf,
				       strcmp(mode, "stop") ? RC_LSB_START : RC_LSB_STOP);
	mine = mine_text ? rc_depend_parse(mine_text, strlen(mine_text)) : NULL;
	free(mine_text);
	if (!theirs || !mine)
		return -1;
	rt = reachability(theirs);
	rm = reachability(mine);
	for (size_t i = 0; rt && rm && i < theirs->len; i++) {
		ssize_t mi = rc_depend_index(mine, theirs->nodes[i].name);

		for (size_t j = 0; mi >= 0 && j < theirs->len; j++) {
			ssize_t mj = rc_depend_index(mine, theirs->nodes[j].name);
			bool a, b;

			if (mj < 0)
				continue;
			a = rt[i * theirs->len + j];
			b = rm[(size_t)mi * mine->len + (size_t)mj];
			if (a != b) {
				printf("%s: %s runs after %s in %s only\n", mode, theirs->nodes[i].name,
				       theirs->nodes[j].name, a ? "insserv's order" : "upinit's order");
				differences++;
			}
		}
	}
	printf("%s: %zu scripts in .depend.%s, %d differences\n", mode, theirs->len, mode,
	       differences);
	free(rt);
	free(rm);
	rc_depend_free(theirs);
	rc_depend_free(mine);
	return differences;
}

int
main(int argc, char **argv)
{
	static RcScript scripts[MAX_SCRIPTS];
	static LsbHeader headers[MAX_SCRIPTS];
	InsservConf conf = INSSERV_CONF_INIT;
	const char *etc = argc > 1 ? argv[1] : "/etc";
	char path[4096], *text;
	struct dirent *e;
	size_t n = 0, len;
	int total = 0, r;
	DIR *d;

	snprintf(path, sizeof path, "%s/insserv.conf", etc);
	if ((text = read_regular_file(path, MAX_FILE, &len)))
		insserv_conf_parse(&conf, text, len);
	free(text);
	snprintf(path, sizeof path, "%s/init.d", etc);
	if (!(d = opendir(path))) {
		perror(path);
		return 2;
	}
	while ((e = readdir(d)) && n < MAX_SCRIPTS) {
		if (skipped(e->d_name))
			continue;
		snprintf(path, sizeof path, "%s/init.d/%s", etc, e->d_name);
		if (!(text = read_regular_file(path, MAX_FILE, &len)))
			continue;
		if (lsb_header_parse(text, len, &headers[n]) == 0) {
			scripts[n] = (RcScript){ strdup(e->d_name), &headers[n] };
			n++;
		}
		free(text);
	}
	closedir(d);
	for (const char *const *mode = (const char *const[]){ "boot", "start", "stop", NULL };
	     *mode; mode++) {
		if ((r = compare(etc, *mode, scripts, n, &conf)) < 0)
			return 2;
		total += r;
	}
	return total ? 1 : 0;
}
