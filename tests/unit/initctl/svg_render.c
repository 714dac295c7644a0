/* svg_render — draw a saved timeline document as SVG, with the code of
 * `initctl timeline --svg` (initctl/timeline_svg.c), without a daemon.
 *
 *   build/tests/svg_render FILE > boot.svg     (FILE "-": standard input)
 *
 * FILE is what `initctl timeline --json` printed.  Exit status 0, or 1
 * with a message when FILE cannot be read, is not JSON or is not a
 * timeline document.  tests/cli/timeline_svg.bats draws its fixture with
 * it and looks at the picture in a headless browser.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "initctl/timeline_svg.h"

int
main(int argc, char **argv)
{
	struct json_object *doc;
	int                 rc;

	if (argc != 2) {
		fprintf(stderr, "usage: svg_render FILE\n");
		return 1;
	}
	doc = strcmp(argv[1], "-") ? json_object_from_file(argv[1]) : json_object_from_fd(0);
	if (!doc) {
		const char *err = json_util_get_last_err();

		fprintf(stderr, "svg_render: %s: %s", argv[1], err ? err : "not JSON\n");
		return 1;
	}
	rc = timeline_svg_write(stdout, doc);
	json_object_put(doc);
	if (rc < 0) {
		fprintf(stderr, "svg_render: %s: not a timeline document\n", argv[1]);
		return 1;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("svg_render: stdout");
		return 1;
	}
	return 0;
}
