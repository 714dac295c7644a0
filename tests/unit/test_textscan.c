/* Unit tests for lib/textscan: lines and words of texts that need not
 * end in a newline nor be NUL-terminated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "lib/textscan.h"

static void
test_lines(void **state)
{
	static const char text[] = "one\n\nthree\r\nlast";
	const char *line, *end;
	size_t at = 0;

	(void)state;
	assert_true(text_next_line(text, sizeof text - 1, &at, &line, &end));
	assert_int_equal(end - line, 3);
	assert_true(text_next_line(text, sizeof text - 1, &at, &line, &end));
	assert_int_equal(end - line, 0);
	assert_true(text_next_line(text, sizeof text - 1, &at, &line, &end));
	assert_memory_equal(line, "three\r", 6);
	assert_int_equal(end - line, 6);
	assert_true(text_next_line(text, sizeof text - 1, &at, &line, &end));
	assert_memory_equal(line, "last", 4);
	assert_int_equal(end - line, 4);
	assert_false(text_next_line(text, sizeof text - 1, &at, &line, &end));
	at = 0;
	assert_false(text_next_line(text, 0, &at, &line, &end));
}

static void
test_words(void **state)
{
	static const char text[] = " \ta  bb\r\nccc toolongword x\0y z ";
	const char *at = text, *end = text + sizeof text - 1;
	char word[8];

	(void)state;
	assert_true(text_next_word(&at, end, word, sizeof word));
	assert_string_equal(word, "a");
	assert_true(text_next_word(&at, end, word, sizeof word));
	assert_string_equal(word, "bb");
	assert_true(text_next_word(&at, end, word, sizeof word));
	assert_string_equal(word, "ccc");
	/* "toolongword" does not fit in 8 bytes, "x\0y" holds a NUL: skipped. */
	assert_true(text_next_word(&at, end, word, sizeof word));
	assert_string_equal(word, "z");
	assert_false(text_next_word(&at, end, word, sizeof word));
	assert_ptr_equal(at, end);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
