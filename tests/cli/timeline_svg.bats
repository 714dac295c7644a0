#!/usr/bin/env bats
# `initctl timeline --svg`, looked at in a real browser.
#
# tests/data/timeline.json (a Debian boot: rc-sysinit and rcS scripts,
# the rc task and runlevel 2's services, one failed script, a critical
# chain) is drawn by build/tests/svg_render, which calls the code of
# `initctl timeline --svg` (initctl/timeline_svg.c).  Headless Chromium
# takes a screenshot of the SVG, and python3 decodes the PNG (zlib and
# struct, nothing else) and checks the picture, not the XML: the colours
# are there, each bar lies where the fixture and the layout put it, the
# critical chain is outlined, the failed job marked, the image not blank.
# The unit test (tests/unit/initctl/test_timeline_svg.c) checks the text.
#
# Without chromium the browser tests are skipped, except in CI (CI set),
# where scripts/deps installs it: there its absence is a failure.  The
# same picture is checked in Firefox where one is installed.

load helpers

FIXTURE=$BATS_TEST_DIRNAME/../data/timeline.json

setup() {
	RENDER=$UPINIT_BUILD/tests/svg_render
	[ -x "$RENDER" ] || { echo "$RENDER is not built (make unit)" >&2; return 1; }
}

load helpers_svg

@test "svg_render draws the fixture: a well-formed SVG document, a row per job" {
	run "$RENDER" "$FIXTURE"
	[ "$status" -eq 0 ]
	[[ "$output" == '<?xml version="1.0" encoding="UTF-8"'* ]]
	[[ "$output" == *'</svg>' ]]
	"$RENDER" "$FIXTURE" >"$BATS_TEST_TMPDIR/boot.svg"
	run python3 -c '
import json, sys, xml.dom.minidom
svg = xml.dom.minidom.parse(sys.argv[1]).documentElement
rows = [g for g in svg.getElementsByTagName("g") if g.getAttribute("class").split()[:1] == ["row"]]
jobs = json.load(open(sys.argv[2]))["jobs"]
print(svg.tagName, len(rows), len(jobs))
assert svg.tagName == "svg" and len(rows) == len(jobs)
' "$BATS_TEST_TMPDIR/boot.svg" "$FIXTURE"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "svg_render refuses what is not a timeline document" {
	echo '{"jobs": {}}' >"$BATS_TEST_TMPDIR/bad.json"
	run "$RENDER" "$BATS_TEST_TMPDIR/bad.json"
	[ "$status" -eq 1 ]
	[ "$output" = "svg_render: $BATS_TEST_TMPDIR/bad.json: not a timeline document" ]
}

@test "initctl timeline --svg --input draws what svg_render draws" {
	"$INITCTL" timeline --help >/dev/null 2>&1 || skip "initctl has no timeline command"
	"$RENDER" "$FIXTURE" >"$BATS_TEST_TMPDIR/render.svg"
	run "$INITCTL" timeline --svg --input "$FIXTURE"
	[ "$status" -eq 0 ]
	"$INITCTL" timeline --svg --input "$FIXTURE" >"$BATS_TEST_TMPDIR/initctl.svg"
	cmp "$BATS_TEST_TMPDIR/render.svg" "$BATS_TEST_TMPDIR/initctl.svg"
}

@test "the timeline in headless Chromium: its colours, every bar where the layout puts it, not blank" {
	find_chromium
	"$RENDER" "$FIXTURE" >"$BATS_TEST_TMPDIR/boot.svg"
	shoot "$BATS_TEST_TMPDIR/boot.svg" "$BATS_TEST_TMPDIR/boot.png"
	run check_picture "$BATS_TEST_TMPDIR/boot.png" "$FIXTURE"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "the timeline in headless Firefox (where installed): the same picture" {
	FIREFOX=$(command -v firefox-esr || command -v firefox || true)
	[ -n "$FIREFOX" ] || skip "firefox is not installed"
	"$RENDER" "$FIXTURE" >"$BATS_TEST_TMPDIR/boot.svg"
	shoot "$BATS_TEST_TMPDIR/boot.svg" "$BATS_TEST_TMPDIR/boot.png" firefox
	run check_picture "$BATS_TEST_TMPDIR/boot.png" "$FIXTURE"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
}

# The check can fail: a colour changed, and the rows moved down by one,
# are both seen.
@test "the picture check sees a wrong colour and rows out of place" {
	find_chromium
	"$RENDER" "$FIXTURE" >"$BATS_TEST_TMPDIR/boot.svg"
	sed 's/#3f9f5f/#3f5f9f/g' "$BATS_TEST_TMPDIR/boot.svg" >"$BATS_TEST_TMPDIR/colour.svg"
	shoot "$BATS_TEST_TMPDIR/colour.svg" "$BATS_TEST_TMPDIR/colour.png"
	run check_picture "$BATS_TEST_TMPDIR/colour.png" "$FIXTURE"
	[ "$status" -eq 1 ]
	[[ "$output" == *'FAIL  running colour #3f9f5f'* ]]
	[[ "$output" == *'FAIL  cron: running segment'* ]]

	sed 's/<g class="jobs">/<g class="jobs" transform="translate(0,18)">/' \
		"$BATS_TEST_TMPDIR/boot.svg" >"$BATS_TEST_TMPDIR/moved.svg"
	shoot "$BATS_TEST_TMPDIR/moved.svg" "$BATS_TEST_TMPDIR/moved.png"
	run check_picture "$BATS_TEST_TMPDIR/moved.png" "$FIXTURE"
	[ "$status" -eq 1 ]
	[[ "$output" == *'FAIL  rc-sysinit: running segment'* ]]
}
