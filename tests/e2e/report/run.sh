#!/usr/bin/env bash
# kdsim run --report, judged by a real browser: headless Chromium renders OUTDIR/report.html
# (a screenshot that must not be blank) and dumps the DOM it built, which must hold the memory
# maps, the symbolized timeline, the marked console and the decoded vmcore; the page fetches
# nothing (self-contained).
#   run.sh KDSIM SCENARIO WORKDIR
set -euo pipefail
kdsim=$1 scenario=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
"$kdsim" run "$scenario" -o "$work/out" --quiet --report >"$work/run.log"
report=$work/out/report.html
[ -s "$report" ] || { echo "no report.html"; exit 1; }
if grep -qiE '(src|href)="(https?:)?//' "$report"; then echo "report.html refers to the network"; exit 1; fi

browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "chromium is not installed (scripts/setup.sh installs it)"; exit 1; }
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --user-data-dir="$work/profile")
timeout 120 "$browser" "${flags[@]}" --window-size=1200,2400 --screenshot="$work/report.png" "file://$report" \
  >"$work/chromium.log" 2>&1 || { echo "chromium --screenshot failed"; tail -20 "$work/chromium.log"; exit 1; }
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$report" >"$work/dom.html" 2>>"$work/chromium.log" ||
  { echo "chromium --dump-dom failed"; tail -20 "$work/chromium.log"; exit 1; }

arch=$(basename "$(dirname "$scenario")")  # scenarios/<arch>/...
python3 - "$work/report.png" "$work/dom.html" "$arch" <<'PY'
import html.parser, struct, sys, zlib
png, dom, arch = sys.argv[1], open(sys.argv[2], encoding="utf-8").read(), sys.argv[3]

# The screenshot: a PNG of the requested size whose pixels are not all one colour.
data = open(png, "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
assert (w, h) == (1200, 2400), f"screenshot is {w}x{h}"
idat, at = b"", 8
while at < len(data):
    n, kind = struct.unpack(">I4s", data[at:at + 8])
    if kind == b"IDAT":
        idat += data[at + 8:at + 8 + n]
    at += 12 + n
raw = zlib.decompress(idat)
assert len(set(raw[i] for i in range(0, len(raw), 97))) > 8, "the screenshot is blank"

class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.rects, self.marks, self.rows, self.stack, self.text = {}, {}, 0, [], [], {}
        self.svg = None
        self.row = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids[a["id"]] = tag
            self.stack.append(a["id"])
            self.text[a["id"]] = ""
            if tag == "svg":
                self.svg = a["id"]
        if tag == "rect" and self.svg:
            self.rects[self.svg] = self.rects.get(self.svg, 0) + 1
        if tag == "mark":
            self.marks += 1
        if tag == "tr":
            self.row = []
    def handle_endtag(self, tag):
        if tag == "svg":
            self.svg = None
        if tag == "tr" and self.row is not None:
            self.rows.append(" ".join(self.row))
            self.row = None
    def handle_data(self, d):
        for i in self.stack:
            self.text[i] += d
        if self.row is not None:
            self.row.append(d.strip())

p = Dom()
p.feed(dom)
for need in ("summary", "memory-map", "crash-region-map", "timeline", "console", "steps", "vmcore", "outcome"):
    assert need in p.ids, f"the DOM has no #{need}"
assert p.rects.get("memory-map", 0) >= 8, f"memory map: {p.rects.get('memory-map')} bands"
assert p.rects.get("crash-region-map", 0) >= 5, f"crash region map: {p.rects.get('crash-region-map')} bands"
assert "power-off" in p.text["outcome"], p.text["outcome"]
if arch == "arm64":
    assert any("mmu_off" in r and "cpu_soft_restart+0x" in r and "kernels/arch/arm64/kernel/cpu-reset.S:" in r
               and "SCTLR_EL1.M = 0 (arch/arm64/kernel/cpu-reset.S)" in r for r in p.rows), \
        "no mmu_off row with its function, source line and the Linux code it mirrors"
else:  # x86_64: relocate_kernel runs from its copy in the control page, which has no symbol
    assert any("identity_mapped" in r and "identity-mapped tables, paging stays on (arch/x86/kernel/relocate_kernel_64.S" in r
               for r in p.rows), "no identity_mapped row with the Linux code it mirrors"
assert any("purgatory_entry" in r and "seen" in r and "purgatory:purgatory_start" in r for r in p.rows), \
    "no observed purgatory_entry row"
assert p.marks >= 4, f"{p.marks} marked console lines"
assert "Starting crashdump kernel" in p.text["console"]
assert "NT_PRSTATUS" in p.text["vmcore"] and "sysrq_handle_crash+0x" in p.text["vmcore"], "vmcore summary"
assert "Call trace:" in p.text["vmcore"] and "write_sysrq_trigger+0x" in p.text["vmcore"], "no backtrace in the vmcore summary"
print(f"report: {w}x{h} screenshot, {len(p.rows)} timeline rows, {p.rects['memory-map']} memory bands, {p.marks} marked console lines")
PY
echo "report.html in headless Chromium: OK"
