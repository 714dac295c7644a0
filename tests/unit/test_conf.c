/* Unit tests for init/conf.c's generated sources: the interface through
 * which a layer (the SysV layer's /etc/inittab) defines jobs from text.
 * A generator's jobs go through the parser and into the registry as a
 * file's do, rank after the job directories, are dropped when a load no
 * longer defines them, and keep their old definition when new text does
 * not parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "init/conf.h"
#include "init/log.h"
#include "init/registry.h"

/* What the generator defines on its next load: NAME=TEXT pairs. */
static const char *defs[4][2];
static char dropped_names[256];
static bool last_asked;

static void
generate(ConfGenerator *gen, bool asked, void *data)
{
	last_asked = asked;
	(void)data;
	for (size_t i = 0; i < 4 && defs[i][0]; i++)
		conf_generator_define(gen, defs[i][0], "/etc/generated", defs[i][1]);
}

static void
dropped(const char *name, bool asked, void *data)
{
	(void)data;
	strlcat(dropped_names, name, sizeof dropped_names);
	strlcat(dropped_names, asked ? "(asked) " : " ", sizeof dropped_names);
}

static char dir[] = "/tmp/upinit-conf.XXXXXX";

static int
setup(void **state)
{
	(void)state;
	log_set_priority(LOG_PRIO_FATAL);
	memset(defs, 0, sizeof defs);
	dropped_names[0] = '\0';
	if (!mkdtemp(dir))
		return -1;
	registry_set_source(conf_best);
	conf_add_dir(dir);
	return conf_add_generator(generate, dropped, NULL) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[64];

	(void)state;
	conf_free();
	registry_free();
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	strcpy(dir, "/tmp/upinit-conf.XXXXXX");
	return system(cmd);
}

static void
test_defined_like_a_file(void **state)
{
	JobClass *class;

	(void)state;
	defs[0][0] = "gen/a";
	defs[0][1] = "task\nexec true\n";
	conf_reload();
	assert_false(last_asked);
	class = registry_find("gen/a");
	assert_non_null(class);
	assert_string_equal(class->conf_text, "task\nexec true\n");
	assert_true(class->task);
}

static void
test_files_win(void **state)
{
	char path[128];
	FILE *f;

	(void)state;
	snprintf(path, sizeof path, "%s/both.conf", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("exec sleep 1\n", f);
	fclose(f);
	defs[0][0] = "both";
	defs[0][1] = "task\nexec true\n";
	conf_reload();
	assert_non_null(registry_find("both"));
	assert_string_equal(registry_find("both")->path, path);
	/* The file goes: the generated job takes over. */
	unlink(path);
	conf_reload();
	assert_non_null(registry_find("both"));
	assert_string_equal(registry_find("both")->path, "/etc/generated");
}

static void
test_dropped_when_not_defined_again(void **state)
{
	(void)state;
	defs[0][0] = "gen/a";
	defs[0][1] = "exec true\n";
	defs[1][0] = "gen/b";
	defs[1][1] = "exec true\n";
	conf_reload();
	assert_non_null(registry_find("gen/b"));
	defs[1][0] = NULL;
	conf_reload_asked();
	assert_true(last_asked);
	assert_null(registry_find("gen/b"));
	assert_non_null(registry_find("gen/a"));
	assert_string_equal(dropped_names, "gen/b(asked) ");
}

static void
test_bad_text_keeps_the_old_definition(void **state)
{
	(void)state;
	defs[0][0] = "gen/a";
	defs[0][1] = "exec true\n";
	conf_reload();
	defs[0][1] = "no-such-stanza here\n";
	conf_reload();
	assert_non_null(registry_find("gen/a"));
	assert_string_equal(registry_find("gen/a")->conf_text, "exec true\n");
	assert_string_equal(dropped_names, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defined_like_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files_win, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dropped_when_not_defined_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_text_keeps_the_old_definition, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
