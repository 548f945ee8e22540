#!/bin/sh
# SPDX-License-Identifier: MIT
# Peer comparison on one template: the official-form stand-in (the real I-918B field names).
# pdftk (one JVM per form, as it is used), pypdf and pikepdf (N forms in one process) against
# `lecert fill --official` (one process per form) and `lecert batch --official` (per record).
# Optional tools: install with scripts/setup-bench.sh. Usage: run_peers.sh BUILD_DIR [N]
set -eu
build=${1:?build dir, e.g. build/release}; n=${2:-20}
py=${PYTHON:-/usr/bin/python3}  # the Debian packages python3-pypdf / python3-pikepdf
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"${STANDIN:-$build/tests/make_official_standin}" "$work" >/dev/null
tpl="$work/i918b-standin.pdf"
value="Rivera"
echo "template: $tpl ($(stat -c %s "$tpl") bytes), $n forms each, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
if command -v pdftk >/dev/null; then
    pdftk "$tpl" dump_data_fields_utf8 | awk -F': ' '/^FieldType: Text/{t=1} /^FieldName: /{name=$2} /^---/{ if (t && name!="") print name; t=0; name=""} END{if(t&&name!="")print name}' > "$work/names"
    { printf '%%FDF-1.2\n1 0 obj << /FDF << /Fields [\n'
      while read -r f; do printf '<< /T (%s) /V (%s) >>\n' "$f" "$value"; done < "$work/names"
      printf '] >> >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n'; } > "$work/data.fdf"
    k=$(( n < 5 ? n : 5 ))
    /usr/bin/time -o "$work/t" -f "%e %U %S" sh -c "for i in \$(seq $k); do pdftk '$tpl' fill_form '$work/data.fdf' output '$work/pdftk.pdf'; done"
    awk -v k="$k" '{printf "pdftk %.1f wall-ms %.1f cpu-ms per form (one JVM each)\n", 1000*$1/k, 1000*($2+$3)/k}' "$work/t"
else echo "pdftk: not installed"; fi
for p in pypdf pikepdf; do
    if "$py" -c "import $p" 2>/dev/null; then "$py" "$here/fill_$p.py" "$tpl" "$value" "$n"
    else echo "$p: not installed"; fi
done
rec="$root/examples/i918b-003-judge.json"
/usr/bin/time -o "$work/t" -f "%e %U %S" sh -c "for i in \$(seq $n); do '$build/app/cli/lecert' fill --official '$tpl' --no-cover --today 2026-11-28 --force -o '$work/l.pdf' '$rec' 2>/dev/null; done"
awk -v k="$n" '{printf "lecert-fill %.1f wall-ms %.1f cpu-ms per form (one process each, start included)\n", 1000*$1/k, 1000*($2+$3)/k}' "$work/t"
"$py" - "$rec" "$n" > "$work/recs.jsonl" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for i in range(int(sys.argv[2]) * 10):
    r["id"] = f"p{i}"; print(json.dumps(r, ensure_ascii=False))
PY
mkdir -p "$work/off" && cp "$tpl" "$work/off/i918b-2025-01-20.pdf"  # <form>-<edition>.pdf
/usr/bin/time -o "$work/t" -f "%e %U %S" "$build/app/cli/lecert" batch --official "$work/off" --no-cover -j 1 --quiet --today 2026-11-28 -o "$work/bout" "$work/recs.jsonl" >/dev/null 2>&1 || true
awk -v k="$((n * 10))" '{printf "lecert-batch %.2f wall-ms %.2f cpu-ms per form (-j 1, one process)\n", 1000*$1/k, 1000*($2+$3)/k}' "$work/t"
