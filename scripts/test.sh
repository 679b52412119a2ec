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
#   7. service coverage: stages 4 and 6 run with WEAVERGEN_RUN_RECORDS=test-results/runs, so every
#      workflow run (unit tests, the CLI they start, the editor's extension host in code-server) is
#      saved there; `weavergen spans coverage --runs test-results/runs --require-all` then counts as
#      one more test, failed when a registered service was never called by any test.
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

say "1/7 dependencies"
if ! bash scripts/install-deps.sh; then
  stage_failed "install-deps"
  finish
fi

say "2/7 build"
npm run build || stage_failed "build"

say "3/7 typecheck"
npx --no-install tsc -p . --noEmit || stage_failed "typecheck (tsconfig.json)"
npx --no-install tsc -p test/e2e --noEmit || stage_failed "typecheck (test/e2e)"

# Every run of the unit and e2e stages is saved here for the service coverage step (7).
runs_dir="$results_dir/runs"
rm -rf "$runs_dir"
mkdir -p "$runs_dir"
export WEAVERGEN_RUN_RECORDS="$runs_dir"

say "4/7 unit and conformance tests"
rm -f "$results_dir/unit.json"
npx --no-install vitest run --passWithNoTests --reporter=default --reporter=json --outputFile.json="$results_dir/unit.json"
add_vitest_counts "unit" "$results_dir/unit.json" $?

say "5/7 package"
rm -f dist/weavergen.vsix  # never let a stale package end up inside the new one
if npm run package; then
  say "6/7 end-to-end tests (code-server + Chromium)"
  rm -rf "$results_dir/e2e" "$results_dir/e2e.json"
  npx --no-install vitest run --config test/e2e/vitest.config.mts --reporter=default --reporter=json \
    --outputFile.json="$results_dir/e2e.json"
  add_vitest_counts "e2e" "$results_dir/e2e.json" $?
  say "e2e screenshots and logs: $results_dir/e2e/"
else
  stage_failed "package (the end-to-end tests need dist/weavergen.vsix and did not run)"
fi

say "7/7 service coverage of the runs the tests made"
if node dist/cli.js spans coverage --runs "$runs_dir" --require-all; then
  say "service coverage: every registered service was called (1 passed)"
  passed=$((passed + 1))
else
  say "service coverage: FAILED (counted as 1 failed): the services named above were never called by any test"
  failed=$((failed + 1))
fi

finish
