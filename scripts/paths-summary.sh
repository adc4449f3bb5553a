#!/usr/bin/env bash
# The path report of a snapshot as GitHub-flavoured Markdown (for $GITHUB_STEP_SUMMARY): a Mermaid picture
# of every path into a deploy or privileged role, then the findings; the SARIF for code scanning is written
# to OUT/paths.sarif. Usage: scripts/paths-summary.sh [--report-input-problems] SNAPSHOT-DIR OUT-DIR [WHAT] > summary.md
# WHAT says what the snapshot is, in the summary (default: the folder's name).
# Exit status: 0 whether or not there are path findings (they are in the report and the SARIF); 2, with no
# report, when the snapshot could not be read whole or trust-guard paths failed otherwise (messages on stderr).
# --report-input-problems: a snapshot folder that was read, but not whole (trust-guard paths exit 2 with a
# report: a value the code graph does not know, an AWS-managed policy it has no document for), is reported
# with its problems named in the summary, exit 0, as npm start reports the code graph's input problems.
set -uo pipefail
report_problems=false
if [ "${1:-}" = "--report-input-problems" ]; then
  report_problems=true
  shift
fi
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: scripts/paths-summary.sh [--report-input-problems] SNAPSHOT-DIR OUT-DIR [WHAT]" >&2
  exit 2
fi
snapshot=$1
out=$2
what=${3:-\`$snapshot\`}
mkdir -p "$out" || exit 2
incomplete=false
for format in mermaid text sarif; do
  npx --no-install trust-guard paths "$snapshot" --format "$format" > "$out/paths.$format"
  code=$?
  if [ "$code" -eq 2 ] && $report_problems && [ -d "$snapshot" ] && [ -s "$out/paths.$format" ]; then
    incomplete=true
  elif [ "$code" -gt 1 ]; then
    echo "scripts/paths-summary.sh: trust-guard paths $snapshot --format $format exited $code." >&2
    exit 2
  fi
done
echo "## Access paths into deploy and privileged roles"
echo
echo "Snapshot: $what (\`trust-guard paths\`; the findings are also in code scanning, category trust-guard-paths)."
echo
if $incomplete; then
  echo "**Input problems:** trust-guard paths could not judge everything in the snapshot; the problems are listed at the end of \"Paths and findings\", and paths they would open are not shown."
  echo
fi
echo '```mermaid'
cat "$out/paths.mermaid"
echo '```'
echo
echo '<details><summary>Paths and findings</summary>'
echo
echo '```text'
cat "$out/paths.text"
echo '```'
echo
echo '</details>'
