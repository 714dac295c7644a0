/* rc_dirs — the links of the rc directories.  See rc_dirs.h. */
#include "sysv/rc_dirs.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int
want(const struct dirent *d)
{
	return (d->d_name[0] == 'K' || d->d_name[0] == 'S') && strlen(d->d_name) >= 4;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int
rc_dir_scan(const char *etc, char level, RcDir *dir)
{
	char path[4096];
	struct dirent **list = NULL;
	int n, ret = 0;

	memset(dir, 0, sizeof *dir);
	dir->level = level;
	snprintf(path, sizeof path, "%s/rc%c.d", etc, level);
	if ((n = scandir(path, &list, want, by_name)) < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	dir->exists = true;
	if (n > 0 && !(dir->links = calloc((size_t)n, sizeof *dir->links)))
		ret = -1;
	for (int i = 0; i < n; i++) {
		RcLink *l = &dir->links[dir->len];
		struct stat st;
		char *full = NULL;

		if (ret == 0 && asprintf(&full, "%s/%s", path, list[i]->d_name) < 0) {
			full = NULL;
			ret = -1;
		}
		if (ret == 0 && stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
			char *name = strdup(list[i]->d_name + 3);

			if (!name) {
				ret = -1;
			} else {
				*l = (RcLink){ .kind = list[i]->d_name[0], .name = name, .path = full };
				dir->len++;
				full = NULL;
			}
		}
		free(full);
		free(list[i]);
	}
	free(list);
	if (ret < 0) {
		rc_dir_free(dir);
		errno = ENOMEM;
	}
	return ret;
}

void
rc_dir_free(RcDir *dir)
{
	for (size_t i = 0; i < dir->len; i++) {
		free(dir->links[i].name);
		free(dir->links[i].path);
	}
	free(dir->links);
	dir->links = NULL;
	dir->len = 0;
	dir->exists = false;
}

bool
rc_dir_has(const RcDir *dir, char kind, const char *name)
{
	for (size_t i = 0; i < dir->len; i++)
		if (dir->links[i].kind == kind && !strcmp(dir->links[i].name, name))
			return true;
	return false;
}
