#!/usr/bin/env bash
# make mutation: mutation testing (MUTATION.md) of the one HTTP layer and the three API
# clients with gremlins' default mutators, one package at a time, each measured with its
# own tests, as `gremlins unleash ./internal/<package>` does. Prints each package's
# surviving mutants and figures, and fails naming every package whose efficacy is below
# its threshold: 85 % for transport, 90 % for nitro, nimble and cluster.
# GREMLINS is the command to run gremlins: `make mutation` passes the `go run` of the
# version the GNUmakefile pins, which is also the default. Arguments name a subset of
# the packages, e.g. `bash scripts/mutation.sh transport`.
set -euo pipefail
cd "$(dirname "$0")/.."
pinned=$(sed -n 's/^GREMLINS := //p' GNUmakefile)
read -r -a gremlins <<<"${GREMLINS:-go run $pinned}"
# gremlins times each mutant's tests out at three times its first, unmutated run; a
# result from the test cache would make that run take no time and every mutant time out.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-count=1"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

declare -A threshold=([transport]=85 [nitro]=90 [nimble]=90 [cluster]=90)
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(transport nitro nimble cluster)

# A member of gremlins' one-line JSON report.
member() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" "$2"; }

summary=()
failed=()
for package in "${packages[@]}"; do
  minimum=${threshold[$package]:-}
  [ -n "$minimum" ] || { echo "scripts/mutation.sh has no threshold for $package" >&2; exit 1; }
  echo "==> internal/$package: mutants that survive its tests (efficacy must be at least $minimum %)"
  report="$scratch/$package.json"
  # gremlins' --threshold-efficacy fails at the threshold itself (efficacy <= threshold),
  # so the gate is applied below, on its counts, as "at least". A mutant times out at a
  # multiple of the unmutated run; on a loaded machine the default multiple timed out
  # mutants the tests kill (101 of nitro's in one run), so it is 10.
  if ! "${gremlins[@]}" unleash --timeout-coefficient 10 --output-statuses l --output "$report" "./internal/$package"; then
    failed+=("internal/$package (gremlins failed)")
    continue
  fi
  # gremlins writes no report when it finds no mutant to run.
  [ -s "$report" ] || echo '{}' >"$report"
  killed=$(member mutants_killed "$report")
  lived=$(member mutants_lived "$report")
  if [ -z "$killed" ] || [ -z "$lived" ] || [ $((killed + lived)) -eq 0 ]; then
    failed+=("internal/$package (no mutant was killed or lived)")
    continue
  fi
  line=$(LC_ALL=C printf 'internal/%s: efficacy %.2f %% (killed %d, lived %d), mutant coverage %.2f %% (not covered %d)' \
    "$package" "$(member test_efficacy "$report")" "$killed" "$lived" \
    "$(member mutations_coverage "$report")" "$(member mutants_not_covered "$report")")
  echo "$line"
  summary+=("$line")
  # killed / (killed + lived) >= minimum %, in whole numbers.
  if [ $((100 * killed)) -lt $((minimum * (killed + lived))) ]; then
    failed+=("internal/$package (efficacy below $minimum %)")
  fi
done

echo
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "mutation testing failed:" >&2
  printf '  %s\n' "${failed[@]}" >&2
  exit 1
fi
