#!/usr/bin/env bash
# One leg of the compatibility matrix: the acceptance suite against one Terraform or
# OpenTofu binary (TF_ACC_TERRAFORM_PATH; unset means the terraform on PATH). Prints
# each skipped test with its reason, the whole log when a test fails, and the leg's time.
# $1 names the leg; extra arguments go to `go test` (e.g. -run).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
leg=$1
shift

# The suite needs no CLI configuration (providers are served in-process), and a
# TF_CLI_CONFIG_FILE that names a missing file makes OpenTofu print a warning on
# stdout, where terraform-plugin-testing reads the version.
export TF_CLI_CONFIG_FILE=/dev/null
binary=${TF_ACC_TERRAFORM_PATH:-$(command -v terraform)}
echo "==> acceptance tests against $leg ($("$binary" version | head -n 1))"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s)
TF_ACC=1 go test -v -count=1 -timeout 60m "$@" ./internal/provider/... >"$log" 2>&1
status=$?
elapsed=$(($(date +%s) - start))

if [ "$status" -ne 0 ]; then
  cat "$log"
else
  # go test -v prints a test's t.Skip message on the line before its "--- SKIP".
  awk '/^--- SKIP: / { sub(/^ *[^ :]+:[0-9]+: /, "", prev); print "skipped " $3 ": " prev } { prev = $0 }' "$log"
fi
passed=$(grep -cE '^--- PASS' "$log")
skipped=$(grep -cE '^--- SKIP' "$log")
failed=$(grep -cE '^--- FAIL' "$log")
grep -E '^(ok|FAIL|---)[[:space:]]' "$log" | grep -vE '^--- (PASS|SKIP)' || true
# TestMain's tally: how many tests ran against the target and how many are mock-only.
grep -E '^==> acceptance tests: ' "$log" || true
echo "==> $leg: $passed passed, $failed failed, $skipped skipped in ${elapsed}s"
exit "$status"
