/* sysv_jobs — SysV scripts as jobs sysv/NAME.  See sysv_jobs.h. */
#include "sysv/sysv_jobs.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/strlist.h"

#include "init/conf.h"
#include "init/job_process.h"
#include "init/log.h"
#include "sysv/rc_dirs.h"

/* Scripts and defaults files are small; this stops a runaway file. */
#define SCRIPT_MAX_SIZE (1024 * 1024)

static char *etc_dir, *helper_cmd;
static int (*runner_main)(int argc, char **argv);
static bool (*runner_is_job)(char *const *argv);

bool
sysv_jobs_name_ok(const char *name)
{
	if (!*name || *name == '.')
		return false;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-+@", *p))
			return false;
	return true;
}

bool
sysv_jobs_native(const char *text)
{
	bool native = true;

	while (*text) {
		const char *end = strchr(text, '\n');
		size_t len = end ? (size_t)(end - text) : strlen(text);
		char value[32];
		size_t n = 0;
		const char *p = text;

		while (p < text + len && (*p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(text + len - p) > 3 && !strncmp(p, "RC=", 3)) {
			/* Only the quotes a shell would drop: RC=native,
			 * RC="native", RC='native'. */
			for (p += 3; p < text + len && n < sizeof value - 1; p++) {
				if (*p == '"' || *p == '\'')
					continue;
				if (*p == ' ' || *p == '\t' || *p == ';' || *p == '#')
					break;
				value[n++] = *p;
			}
			value[n] = 0;
			native = strcmp(value, "debian") != 0;
		}
		text += len + (end != NULL);
	}
	return native;
}

/* `s` as the inside of a job file's double-quoted string: control
 * characters become blanks. */
static void
put_quoted(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(iscntrl((unsigned char)*s) ? ' ' : *s, f);
	}
}

/* A description worth the name: some printable character other than a
 * blank (the parser refuses an empty string). */
static bool
has_text(const char *s)
{
	for (; s && *s; s++)
		if (isgraph((unsigned char)*s) || (unsigned char)*s >= 0x80)
			return true;
	return false;
}

char *
sysv_jobs_text(const char *name, const char *etc, const char *helper,
	       const LsbHeader *header)
{
	bool interactive = header && header->found && header->interactive;
	const char *desc = header && header->found && has_text(header->short_description)
			   ? header->short_description : NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	fprintf(f, "# The SysV script %s/init.d/%s, as upinit runs it (upinit-rc(8)).\n",
		etc, name);
	fputs("description \"", f);
	put_quoted(f, desc ? desc : name);
	fputs("\"\n", f);
	/* Interactive scripts get the console to ask on; the others write
	 * through upinit-rc, which keeps each script's output whole. */
	fprintf(f, "console %s\n", interactive ? "owner" : "output");
	/* What the rc job gives the scripts it runs (jobs/rc/rc.conf). */
	fputs("env INIT_VERSION=upinit\nenv CONSOLE=/dev/console\nenv SHELL=/bin/sh\n"
	      "env INIT_VERBOSE\n", f);
	fprintf(f, "pre-start exec %s --job start%s %s\n", helper,
		interactive ? " --interactive" : "", name);
	fprintf(f, "post-stop exec %s --job stop%s %s\n", helper,
		interactive ? " --interactive" : "", name);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* ---- the generator ---- */

/* Every script some rc?.d links to, once, in name order of discovery. */
static void
linked_scripts(StrList *names)
{
	static const char levels[] = "S0123456";

	for (const char *l = levels; *l; l++) {
		RcDir dir;

		if (rc_dir_scan(etc_dir, *l, &dir) < 0)
			continue;
		for (size_t i = 0; i < dir.len; i++) {
			bool seen = false;

			for (size_t k = 0; k < names->len && !seen; k++)
				seen = !strcmp(names->items[k], dir.links[i].name);
			if (!seen)
				strlist_push(names, dir.links[i].name);
		}
		rc_dir_free(&dir);
	}
}

static void
define_script(ConfGenerator *gen, const char *name)
{
	char path[4096], job[sizeof SYSV_JOB_PREFIX + 256];
	LsbHeader header = LSB_HEADER_INIT;
	char *script, *text;
	size_t len;
	JobClass *class;

	if (!sysv_jobs_name_ok(name) || strlen(name) > 255) {
		log_warn("%s/init.d/%s: no job for a script of that name", etc_dir, name);
		return;
	}
	snprintf(path, sizeof path, "%s/init.d/%s", etc_dir, name);
	if ((script = read_regular_file(path, SCRIPT_MAX_SIZE, &len))) {
		if (lsb_header_parse(script, len, &header) < 0)
			lsb_header_free(&header);
		free(script);
	}
	text = sysv_jobs_text(name, etc_dir, helper_cmd, &header);
	lsb_header_free(&header);
	if (!text)
		return;
	snprintf(job, sizeof job, "%s%s", SYSV_JOB_PREFIX, name);
	class = conf_generator_define(gen, job, path, text);
	free(text);
	if (class)
		class->script_actions = true;
}

static bool
native_wanted(void)
{
	char path[4096], *text;
	size_t len;
	bool native;

	snprintf(path, sizeof path, "%s/default/upinit", etc_dir);
	if (!(text = read_regular_file(path, SCRIPT_MAX_SIZE, &len)))
		return true;
	native = sysv_jobs_native(text);
	free(text);
	return native;
}

static void
generate(ConfGenerator *gen, bool asked, void *data)
{
	StrList names = STRLIST_INIT;

	if (!native_wanted())
		return;
	linked_scripts(&names);
	for (size_t i = 0; i < names.len; i++)
		define_script(gen, names.items[i]);
	strlist_free(&names);
}

/* ---- the runner as init's builtin ---- */

/* In the child: is `argv` the helper's --job command line, as the jobs'
 * exec lines give it (first word the helper program, called upinit-rc,
 * and there)? */
static bool
runner_accepts(char *const *argv)
{
	size_t len = strcspn(helper_cmd, " ");
	const char *base = strrchr(argv[0], '/');

	return strlen(argv[0]) == len && !strncmp(argv[0], helper_cmd, len) &&
	       !strcmp(base ? base + 1 : argv[0], "upinit-rc") &&
	       runner_is_job(argv) && access(argv[0], X_OK) == 0;
}

static int
runner_run(int argc, char **argv)
{
	return runner_main(argc, argv);
}

static const JobBuiltin runner_builtin = {
	.name = "upinit-rc", .accepts = runner_accepts, .run = runner_run,
};

void
sysv_jobs_set_runner(int (*run)(int argc, char **argv), bool (*is_job)(char *const *argv))
{
	runner_main = run;
	runner_is_job = is_job;
}

int
sysv_jobs_add(const char *etc, const char *helper)
{
	sysv_jobs_free();
	if (!(etc_dir = strdup(etc)) || !(helper_cmd = strdup(helper))) {
		sysv_jobs_free();
		return -1;
	}
	if (runner_main && runner_is_job)
		job_process_set_builtin(&runner_builtin);
	return conf_add_generator(generate, NULL, NULL) ? 0 : -1;
}

void
sysv_jobs_free(void)
{
	job_process_set_builtin(NULL);
	free(etc_dir);
	free(helper_cmd);
	etc_dir = helper_cmd = NULL;
}
