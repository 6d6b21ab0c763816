#!/usr/bin/env bash
# Prints the section of one version (a tag, v0.1.0, or 0.1.0) of CHANGELOG.md (or of the
# file $2) without its heading: the release notes `make release` gives goreleaser. A
# section runs from its "## <version> (...)" heading to the next "## " heading. Fails
# when the file has no such section, or an empty one, rather than publish a release
# without notes.
set -euo pipefail
version=${1:?usage: release-notes.sh VERSION [CHANGELOG]}
version=${version#v}
changelog=${2:-"$(dirname "$0")/../CHANGELOG.md"}
# Blank lines before the section's first line are left out; $(...) drops those at its end.
notes=$(awk -v version="$version" '
  /^## / { found = ($2 == version); next }
  found && (started || NF) { started = 1; print }
' "$changelog")
if [ -z "$notes" ]; then
  echo "$changelog has no notes under a \"## $version\" heading" >&2
  exit 1
fi
printf '%s\n' "$notes"
