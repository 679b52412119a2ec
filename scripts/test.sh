#!/usr/bin/env bash
# The README's test command: everything from a fresh clone to one verdict.
#
#   1. installs what is missing (scripts/install-deps.sh: npm packages, chromium, code-server, ...)
#   2. builds (npm run build)
#   3. typechecks the project and the e2e harness (tsc --noEmit)
#   4. runs the unit and conformance tests (vitest; JSON report in test-results/unit.json)
#   5. packages the extension (npm run package -> dist/weavergen.vsix)
#   6. runs the end-to-end tests in a real VS Code (code-server + headless Chromium; JSON report in
#      test-results/e2e.json, screenshots and logs in test-results/e2e/)
#
# The last line of output is exactly `N passed, M failed`: N and M sum the unit and e2e tests; a
# stage that cannot produce test results (build, typecheck, package, a test run that crashed) counts
# as one failed. Exits non-zero if anything failed or if no test ran at all.
set -uo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

results_dir="$repo_root/test-results"
mkdir -p "$results_dir"

passed=0
failed=0

say() { echo "[test] $*"; }

stage_failed() {
  say "$1: FAILED (counted as 1 failed)"
  failed=$((failed + 1))
}

# Adds the counts of one vitest JSON report; a run that wrote no report, or a test file that failed
# to load (a failed file with no failed test in it), counts as a failure too.
add_vitest_counts() {
  local label="$1" report="$2" exit_code="$3"
  if [[ ! -s "$report" ]]; then
    stage_failed "$label (vitest exited $exit_code and wrote no report)"
    return
  fi
  local counts
  if ! counts="$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const brokenFiles = (r.testResults ?? []).filter(
      (f) => f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed"),
    ).length;
    console.log(`${r.numPassedTests ?? 0} ${(r.numFailedTests ?? 0) + brokenFiles}`);
  ' "$report")"; then
    stage_failed "$label (unreadable report $report)"
    return
  fi
  local p="${counts% *}" f="${counts#* }"
  if [[ "$exit_code" -ne 0 && "$f" -eq 0 ]]; then
    # vitest failed for a reason outside any test (e.g. an unhandled error between tests).
    f=1
  fi
  say "$label: $p passed, $f failed"
  passed=$((passed + p))
  failed=$((failed + f))
}

finish() {
  echo "$passed passed, $failed failed"
  if [[ $failed -ne 0 || $((passed + failed)) -eq 0 ]]; then
    exit 1
  fi
  exit 0
}

say "1/6 dependencies"
if ! bash scripts/install-deps.sh; then
  stage_failed "install-deps"
  finish
fi

say "2/6 build"
npm run build || stage_failed "build"

say "3/6 typecheck"
npx --no-install tsc -p . --noEmit || stage_failed "typecheck (tsconfig.json)"
npx --no-install tsc -p test/e2e --noEmit || stage_failed "typecheck (test/e2e)"

say "4/6 unit and conformance tests"
rm -f "$results_dir/unit.json"
npx --no-install vitest run --passWithNoTests --reporter=default --reporter=json --outputFile.json="$results_dir/unit.json"
add_vitest_counts "unit" "$results_dir/unit.json" $?

say "5/6 package"
rm -f dist/weavergen.vsix  # never let a stale package end up inside the new one
if npm run package; then
  say "6/6 end-to-end tests (code-server + Chromium)"
  rm -rf "$results_dir/e2e" "$results_dir/e2e.json"
  npx --no-install vitest run --config test/e2e/vitest.config.mts --reporter=default --reporter=json \
    --outputFile.json="$results_dir/e2e.json"
  add_vitest_counts "e2e" "$results_dir/e2e.json" $?
  say "e2e screenshots and logs: $results_dir/e2e/"
else
  stage_failed "package (the end-to-end tests need dist/weavergen.vsix and did not run)"
fi

finish
