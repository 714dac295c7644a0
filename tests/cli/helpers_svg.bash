# Helpers to look at a drawn timeline (initctl timeline --svg) in a real
# headless browser: find_chromium, shoot SVG PNG [BROWSER], and
# check_picture PNG DOC, which decodes the screenshot and looks for each
# bar of DOC where the layout of initctl/timeline_svg.c puts it.
# Loaded by tests/cli/timeline_svg.bats and tests/system/debian.bats.

# Set CHROMIUM, or skip the test.
find_chromium() {
	CHROMIUM=${UPINIT_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
	[ -n "$CHROMIUM" ] && return 0
	if [ -n "${CI:-}" ]; then
		echo "chromium is not installed (scripts/deps installs it in CI)" >&2
		return 1
	fi
	skip "chromium is not installed"
}

# shoot SVG PNG [firefox]: a screenshot of SVG at its own size (one CSS
# pixel, one pixel of the PNG) by headless Chromium, or Firefox.
shoot() {
	local svg=$1 png=$2 browser=${3:-chromium} size rc=0 log=$BATS_TEST_TMPDIR/browser.log

	size=$(sed -n 's/^<svg [^>]* width="\([0-9]*\)" height="\([0-9]*\)".*/\1,\2/p' "$svg")
	[ -n "$size" ] || { echo "no width and height in $svg" >&2; return 1; }
	mkdir -p "$BATS_TEST_TMPDIR/home" "$BATS_TEST_TMPDIR/profile-$browser"
	rm -f "$png"
	if [ "$browser" = firefox ]; then
		HOME=$BATS_TEST_TMPDIR/home MOZ_HEADLESS=1 timeout 120 "$FIREFOX" -no-remote \
			-profile "$BATS_TEST_TMPDIR/profile-$browser" -screenshot "$png" \
			-window-size="$size" "file://$svg" >"$log" 2>&1 || rc=$?
	else
		HOME=$BATS_TEST_TMPDIR/home timeout 120 "$CHROMIUM" --headless --no-sandbox \
			--disable-gpu --disable-dev-shm-usage --hide-scrollbars --no-first-run \
			--no-default-browser-check --force-device-scale-factor=1 \
			--user-data-dir="$BATS_TEST_TMPDIR/profile-$browser" --window-size="$size" \
			--screenshot="$png" "file://$svg" >"$log" 2>&1 || rc=$?
	fi
	if [ "$rc" -ne 0 ] || [ ! -s "$png" ]; then
		echo "$browser: status $rc, no screenshot" >&2
		tail -20 "$log" >&2
		return 1
	fi
}

# check_picture PNG DOC [real]: the picture of the timeline document DOC,
# as the layout of initctl/timeline_svg.c draws it; "real" for a real
# boot's document (the colour counts fit the fixture only).  Prints what it measured; exits 1 with
# every check that failed.
check_picture() {
	python3 - "$1" "$2" "${3:-}" <<'PY'
import collections, json, struct, sys, zlib

png_path, fixture_path = sys.argv[1], sys.argv[2]

# The layout and colours of initctl/timeline_svg.c.
PLOT_X, PLOT_W, PLOT_Y, ROW_H, BAR_PAD, BAR_H = 260, 1200, 154, 18, 3, 12
STARTING = (0xf2, 0xc1, 0x4e)
RUNNING = (0x3f, 0x9f, 0x5f)
TASK = (0x4a, 0x90, 0xd9)
STOPPING = (0xe8, 0x95, 0x5a)
CRITICAL = (0x14, 0x28, 0x6e)
FAILED = (0xd6, 0x27, 0x28)
REACHED = (0x0b, 0x7a, 0x75)
BAR_COLOURS = (STARTING, RUNNING, TASK, STOPPING)
STAGES = ("goal", "starting", "running", "stopping", "stopped")


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("%s: not a PNG" % path)
    pos, idat = 8, []
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if depth != 8 or ctype not in (2, 6) or interlace:
        sys.exit("PNG of depth %d, colour type %d, interlace %d: not decoded" % (depth, ctype, interlace))
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        if f == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 255
        elif f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f == 3:
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + ((left + prev[x]) >> 1)) & 255
        elif f == 4:
            for x in range(bpp):
                line[x] = (line[x] + prev[x]) & 255
            for x in range(bpp, stride):
                a, b, c = line[x - bpp], prev[x], prev[x - bpp]
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - c - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        elif f != 0:
            sys.exit("PNG filter %d" % f)
        rows.append(line)
        prev = line
    return w, h, bpp, rows


W, H, BPP, ROWS = read_png(png_path)


def pixel(x, y):
    o = x * BPP
    return tuple(ROWS[y][o:o + 3])


def near(p, q, tol=4):
    return all(abs(a - b) <= tol for a, b in zip(p, q))


def window(cx, cy, dx, dy):
    return [pixel(x, y) for y in range(cy - dy, cy + dy + 1) for x in range(cx - dx, cx + dx + 1)
            if 0 <= x < W and 0 <= y < H]


def hatched(colour):
    """A SysV bar's stripes: white, 55% opaque, over its colour."""
    return tuple(round(c * 0.45 + 255 * 0.55) for c in colour)


def in_bar(p, colour, sysv):
    """Is p of a bar of that colour?  Hatched, anything from the colour
    to its stripes'."""
    if not sysv:
        return near(p, colour)
    return all(min(a, b) - 4 <= c <= max(a, b) + 4 for a, b, c in zip(colour, hatched(colour), p))


doc = json.load(open(fixture_path))
jobs = doc["jobs"]
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


# The axis, as choose_axis() makes it.
times = [j[s] for j in jobs for s in STAGES if isinstance(j.get(s), (int, float))]
times += [e["t"] for e in doc["events"]] + [doc["boot"]["reached"]]
span = max(times) * 1.02
step = None
for k in range(-3, 10):
    for m in (1, 2, 5):
        step = m * 10 ** k if k >= 0 else m / 10 ** -k
        if span / step <= 19:
            break
    else:
        continue
    break
q = span / step
n = int(q)
if n < q - 1e-9:
    n += 1
END = n * step


def xt(t):
    return PLOT_X + min(max(t, 0), END) / END * PLOT_W


# (c) Not blank.
white = sum(1 for y in range(0, H, 2) for x in range(0, W, 2) if pixel(x, y) == (255, 255, 255))
total = len(range(0, H, 2)) * len(range(0, W, 2))
colours = {pixel(x, y) for y in range(0, H, 3) for x in range(0, W, 3)}
check(W == 1510 and H == PLOT_Y + len(jobs) * ROW_H + 26, "size %dx%d" % (W, H))
check(white < total * 0.9, "not blank: %.1f%% white" % (100.0 * white / total))
check(len(colours) > 30, "%d colours" % len(colours))

# (a) The colours, in the plot (the legend above it does not count).
plot = collections.Counter(pixel(x, y) for y in range(PLOT_Y, H - 26) for x in range(PLOT_X - 4, W))
wanted = (("starting", STARTING, 300), ("running", RUNNING, 2000),
          ("task running", TASK, 1000), ("stopping", STOPPING, 150),
          ("critical chain", CRITICAL, 300), ("failed", FAILED, 30),
          ("reached", REACHED, 100))
REAL = len(sys.argv) > 3 and sys.argv[3] == "real"
if REAL:
    # A real boot's document: only what it must have (services that
    # ran, a critical chain, the moment the runlevel was reached).
    wanted = (("running", RUNNING, 200), ("critical chain", CRITICAL, 50),
              ("reached", REACHED, 50))
for name, colour, least in wanted:
    got = sum(k for p, k in plot.items() if near(p, colour, 3))
    check(got >= least, "%s colour %s: %d pixels in the plot (at least %d)"
          % (name, "#%02x%02x%02x" % colour, got, least))

# (b) Every bar where the layout puts it: the middle of each segment in
# its colour (a SysV bar is hatched: fewer), nothing of a bar's colour
# just left of where it begins; the critical outline around the links of
# the chain, a red end on the failed one.
for i, j in enumerate(jobs):
    label = j["job"] + (" (%s)" % j["instance"] if j["instance"] else "")
    mid = PLOT_Y + i * ROW_H + BAR_PAD + BAR_H // 2
    t = [j[s] for s in STAGES]
    first = min(k for k in range(5) if t[k] is not None)
    active = t[4] is None and j["state"] != "waiting"

    def end_of(k):
        for later in range(k + 1, 5):
            if t[later] is not None:
                return t[later]
        return END if active else t[k]

    segments = []
    if first <= 1:
        segments.append(("starting", STARTING, t[first], end_of(1)))
    if t[2] is not None:
        segments.append(("running", TASK if j["task"] else RUNNING, t[2], end_of(2)))
    if t[3] is not None:
        segments.append(("stopping", STOPPING, t[3], end_of(3)))
    top = PLOT_Y + i * ROW_H + BAR_PAD
    for name, colour, t0, t1 in segments:
        x0, x1 = xt(t0), xt(t1)
        # A real boot puts event marks and the chain's arrows anywhere:
        # a short segment may be half covered by them.
        if x1 - x0 < (30 if REAL else 10):
            continue
        # Its middle, its first and last lines in its colour (a failed
        # bar's are red); the lines just above and below it in no bar's
        # colour.
        cx = int((x0 + x1) / 2)
        shares = []
        for y in (mid,) if j["result"] == "failed" else (mid, top, top + BAR_H - 1):
            got = window(cx, y, 6, 0 if y != mid else 2)
            shares.append(sum(1 for p in got if in_bar(p, colour, j["sysv"])) / len(got))
        check(min(shares) >= 0.6, "%s: %s segment %.3f-%.3f s at x %d-%d, y %d-%d: %s"
              % (label, name, t0, t1, x0, x1, top, top + BAR_H - 1,
                 "/".join("%d%%" % (100 * s) for s in shares)))
        around = window(cx, top - 1, 3, 0) + window(cx, top + BAR_H, 3, 0)
        check(not any(near(p, c, 3) for p in around for c in BAR_COLOURS),
              "%s: %s segment: nothing of a bar at y %d and %d" % (label, name, top - 1, top + BAR_H))
    x0 = xt(t[first])
    x1 = max(xt(s[3]) for s in segments)
    if x0 - 8 > PLOT_X:
        before = window(int(x0) - 7, mid, 1, 2)
        check(not any(near(p, c, 3) for p in before for c in BAR_COLOURS),
              "%s: nothing of a bar left of x %d" % (label, x0))
    if j["critical"]:
        got = [pixel(x, mid) for x in range(int(x0) - 4, int(x0) + 1)]
        check(any(near(p, CRITICAL, 12) for p in got), "%s: critical outline at x %d" % (label, x0 - 2))
    if j["result"] == "failed":
        got = window(int(x1) - 2, mid, 1, 2)
        check(sum(1 for p in got if near(p, FAILED, 6)) >= len(got) // 2,
              "%s: red end at x %d" % (label, x1 - 2))
    if j["sysv"] and segments:
        # Hatched: stripes of white over the colour, 55% opaque.
        name, colour, t0, t1 = max(segments, key=lambda s: xt(s[3]) - xt(s[2]))
        light = hatched(colour)
        got = window(int((xt(t0) + xt(t1)) / 2), mid, 6, 3)
        check(any(near(p, light, 8) for p in got), "%s: hatched" % label)

# The boot settled: a vertical teal line at "reached", between the bars.
xr = int(xt(doc["boot"]["reached"]))
column = [pixel(x, y) for y in range(PLOT_Y, PLOT_Y + len(jobs) * ROW_H) for x in (xr - 1, xr, xr + 1)]
check(sum(1 for p in column if near(p, REACHED, 6)) >= len(jobs) * 4,
      "reached line at x %d" % xr)

if failures:
    sys.exit("%d checks failed" % len(failures))
PY
}
