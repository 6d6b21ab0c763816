#!/usr/bin/env bash
# make release-check: `goreleaser check`, then a snapshot release of .goreleaser.yml for
# the host platform only (the full OS/arch matrix is a release's job, and would take
# most of make test's time), and a check that dist/ holds what the registry needs.
# GORELEASER is the command to run goreleaser (the Makefile's pinned `go run`).
set -euo pipefail
cd "$(dirname "$0")/.."
read -r -a goreleaser <<<"${GORELEASER:-goreleaser}"

"${goreleaser[@]}" check

# `goreleaser release` has no --single-target, so the snapshot runs on a copy of the
# configuration whose build names the host as its only target (targets win over
# goos/goarch; goreleaser warns that it ignores those).
target="$(go env GOOS)_$(go env GOARCH)"
sed -E "s/^( *)binary: (.*)$/&\n\1targets: [\"$target\"]/" .goreleaser.yml |
  "${goreleaser[@]}" release --snapshot --clean --skip=sign --config -

version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' dist/metadata.json)
name="terraform-provider-accessplane_${version}"
zip="${name}_${target}.zip"
sums="dist/${name}_SHA256SUMS"
[ -s "dist/$zip" ] && [ -s "$sums" ] || { ls dist; echo "dist/ lacks $zip or its SHA256SUMS" >&2; exit 1; }
# The registry reads the manifest from the release (it is uploaded, not archived), and
# the checksums must cover it under its release name.
(cd dist && sha256sum --check --strict --ignore-missing "${name}_SHA256SUMS")
manifest_sum=$(sha256sum terraform-registry-manifest.json | cut -d' ' -f1)
grep -qx "$manifest_sum  ${name}_manifest.json" "$sums" ||
  { cat "$sums"; echo "SHA256SUMS does not cover ${name}_manifest.json" >&2; exit 1; }
unzip -Z1 "dist/$zip" | grep -qx "terraform-provider-accessplane_v${version}" ||
  { unzip -Z1 "dist/$zip"; echo "dist/$zip does not hold terraform-provider-accessplane_v${version}" >&2; exit 1; }
echo "snapshot $version: dist/$zip, with SHA256SUMS covering it and the registry manifest"
