#!/bin/sh
# Regenerates cfn-lint-expected.json: what cfn-lint (the pinned version in
# tools/requirements.txt, installed into .venv by `cargo xtask ci`) reports on
# every template of cfn-lint/, normalized (relative file, rule, level, line,
# column, message) and sorted. The corpus test compares `infra-check` with
# this snapshot; it is cfn-lint's output, never ours. With --check it only
# verifies that the committed snapshot is what cfn-lint says (CI does this).
set -eu
check=${1:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cfn_lint=${CFN_LINT:-$root/.venv/bin/cfn-lint}
cd "$here/cfn-lint"
files=$(find . -type f | sed 's|^\./||' | LC_ALL=C sort)
# cfn-lint exits non-zero when it finds anything; its JSON is what matters.
out="$here/cfn-lint-expected.json"
version="$here/cfn-lint-version.txt"
raw=$(mktemp)
if [ "$check" = --check ]; then
    out=$(mktemp)
    version=$(mktemp)
fi
"$cfn_lint" --version > "$version"
PYTHONHASHSEED=0 "$cfn_lint" --format json -- $files > "$raw" 2>/dev/null || true
python3 - "$raw" "$out" <<'PY'
import json, sys
matches = json.load(open(sys.argv[1]))
out = sorted(
    ({
        "file": m["Filename"],
        "rule": m["Rule"]["Id"],
        "level": m["Level"],
        "line": m["Location"]["Start"]["LineNumber"],
        "column": m["Location"]["Start"]["ColumnNumber"],
        "message": m["Message"],
    } for m in matches),
    key=lambda m: (m["file"], m["line"], m["column"], m["rule"], m["message"]),
)
json.dump(out, open(sys.argv[2], "w"), indent=1, sort_keys=True)
open(sys.argv[2], "a").write("\n")
PY
rm "$raw"
if [ "$check" = --check ]; then
    status=0
    if ! cmp -s "$out" "$here/cfn-lint-expected.json" || ! cmp -s "$version" "$here/cfn-lint-version.txt"; then
        echo "cfn-lint-expected.json is not what $(cat "$version") reports: run $0" >&2
        status=1
    fi
    rm "$out" "$version"
    exit $status
fi
