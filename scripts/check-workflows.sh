#!/usr/bin/env bash
# make workflows-check, after actionlint: what actionlint cannot know.
# 1. The acceptance matrix of .github/workflows/test.yml has exactly the legs that
#    `make test` runs, each installing the version the GNUmakefile names for it.
# 2. scripts/release-notes.sh, which the release workflow's `make release` runs, reads
#    one section of a changelog exactly (make release-check runs it on CHANGELOG.md).
set -euo pipefail
cd "$(dirname "$0")/.."
workflow=.github/workflows/test.yml

for variable in TERRAFORM_CI TERRAFORM_OLDEST TERRAFORM_NEWEST OPENTOFU_VERSION; do
  value=$(sed -n "s/^$variable := //p" GNUmakefile)
  [ -n "$value" ] || { echo "GNUmakefile sets no $variable" >&2; exit 1; }
  declare "$variable=$value"
done

# The leg each testacc target runs: its binary, and its version from the GNUmakefile.
declare -A leg=(
  [testacc]="terraform $TERRAFORM_CI"
  [testacc-oldest]="terraform $TERRAFORM_OLDEST"
  [testacc-newest]="terraform $TERRAFORM_NEWEST"
  [testacc-opentofu]="opentofu $OPENTOFU_VERSION"
)
want=$(
  for target in $(sed -n 's/^test: //p' GNUmakefile); do
    case "$target" in
      testacc*)
        [ -n "${leg[$target]:-}" ] || { echo "scripts/check-workflows.sh knows no version for make test's leg $target" >&2; exit 1; }
        echo "$target ${leg[$target]}" ;;
    esac
  done | sort
)

# The matrix entries of the workflow as "<first make target> <terraform|opentofu> <version>".
have=$(awk '
  /^ *matrix:/ { in_matrix = 1 }
  /^ *steps:/ { in_matrix = 0 }
  !in_matrix { next }
  /^ *- make: / { if (target) print target, tool, version; target = $3; tool = ""; version = "" }
  /^ *(terraform|opentofu): / { tool = $1; sub(/:$/, "", tool); version = $2; gsub(/"/, "", version) }
  END { if (target) print target, tool, version }
' "$workflow" | sort)

if [ "$have" != "$want" ]; then
  echo "the acceptance matrix of $workflow and the GNUmakefile disagree:" >&2
  diff <(echo "$want") <(echo "$have") | sed -n 's/^< /  make test runs:    /p; s/^> /  the workflow has: /p' >&2
  exit 1
fi
echo "$workflow: its acceptance matrix is make test's: $(echo "$want" | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $3 }')"

# release-notes.sh on a changelog of two versions: each section, and only it.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cat >"$scratch/CHANGELOG.md" <<'MD'
## 1.1.0 (Unreleased)

FEATURES:

* one
## 1.0.0 (June 1, 2026)

* two

MD
notes() { bash scripts/release-notes.sh "$@" 2>"$scratch/err" || { cat "$scratch/err" >&2; return 1; }; }
expect() {
  [ "$1" = "$2" ] || { printf 'release-notes.sh printed:\n%s\ninstead of:\n%s\n' "$1" "$2" >&2; exit 1; }
}
expect "$(notes v1.1.0 "$scratch/CHANGELOG.md")" "$(printf 'FEATURES:\n\n* one')"
expect "$(notes 1.0.0 "$scratch/CHANGELOG.md")" "* two"
if notes v1.0 "$scratch/CHANGELOG.md" >/dev/null 2>&1; then
  echo "release-notes.sh found notes for v1.0, a version the changelog has not" >&2
  exit 1
fi
echo "scripts/release-notes.sh reads each section of a changelog, and only it"
