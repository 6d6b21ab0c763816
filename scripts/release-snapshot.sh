#!/usr/bin/env bash
# make release-check: `goreleaser check`, then a snapshot release of .goreleaser.yml for
# the host platform only (the full OS/arch matrix is a release's job, and would take
# most of make test's time), and a check that dist/ holds what the registry needs; then
# a release of a tag for the host platform, to prove it takes its notes from CHANGELOG.md.
# GORELEASER is the command to run goreleaser (the Makefile's pinned `go run`).
set -euo pipefail
cd "$(dirname "$0")/.."
read -r -a goreleaser <<<"${GORELEASER:-goreleaser}"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

"${goreleaser[@]}" check

# `goreleaser release` has no --single-target, so the snapshot runs on a copy of the
# configuration whose build names the host as its only target (targets win over
# goos/goarch; goreleaser warns that it ignores those).
target="$(go env GOOS)_$(go env GOARCH)"
config="$scratch/goreleaser.yml"
sed -E "s/^( *)binary: (.*)$/&\n\1targets: [\"$target\"]/" .goreleaser.yml >"$config"
"${goreleaser[@]}" release --snapshot --clean --skip=sign --config "$config"

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

# Install the zip as an air-gapped user would (README, "Installing"): from a
# filesystem mirror in the packed layout, pinned to its exact version, with Terraform
# and with OpenTofu (TOFU), each under its own registry host.
mirror="$scratch/mirror"
for host in registry.terraform.io registry.opentofu.org; do
  mkdir -p "$mirror/packages/$host/accessplane/accessplane"
  cp "dist/$zip" "$mirror/packages/$host/accessplane/accessplane/"
done
cat >"$mirror/cli.tfrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror/packages"
    include = ["registry.terraform.io/accessplane/accessplane", "registry.opentofu.org/accessplane/accessplane"]
  }
  direct {
    exclude = ["registry.terraform.io/accessplane/accessplane", "registry.opentofu.org/accessplane/accessplane"]
  }
}
RC
for bin in terraform "${TOFU:-tofu}"; do
  work="$mirror/work-$(basename "$bin")"
  mkdir -p "$work"
  printf 'terraform {\n  required_providers {\n    accessplane = {\n      source  = "accessplane/accessplane"\n      version = "= %s"\n    }\n  }\n}\n' "$version" >"$work/main.tf"
  (
    cd "$work"
    export TF_CLI_CONFIG_FILE="$mirror/cli.tfrc" TF_IN_AUTOMATION=1
    unset TF_PLUGIN_CACHE_DIR
    "$bin" init -input=false -no-color >init.log 2>&1 || { cat init.log; echo "$bin init from the filesystem mirror failed" >&2; exit 1; }
    "$bin" providers schema -json | grep -q '"accessplane_mpsuser"' ||
      { echo "$bin did not run the provider installed from the mirror" >&2; exit 1; }
    grep -q "version *= \"$version\"" .terraform.lock.hcl && grep -q '"h1:' .terraform.lock.hcl ||
      { cat .terraform.lock.hcl; echo "the lock file does not pin $version with its checksum" >&2; exit 1; }
  )
  echo "installed $version from a filesystem mirror with $(TF_CLI_CONFIG_FILE=/dev/null "$bin" version | head -n 1)"
done

# A snapshot has no release notes, so this is a release, neither signed nor published,
# of a clone of HEAD tagged with CHANGELOG.md's newest version, given the notes file
# `make release` gives: goreleaser must read it (a disabled changelog would skip it, and
# publish the release without notes).
newest=$(sed -n 's/^## \([^ ]*\).*/\1/p' CHANGELOG.md | head -n 1)
bash scripts/release-notes.sh "v$newest" >"$scratch/notes.md"
git clone -q . "$scratch/clone"
git -C "$scratch/clone" tag -f "v$newest" >/dev/null
(cd "$scratch/clone" && "${goreleaser[@]}" release --clean --skip=publish,sign --verbose \
  --release-notes "$scratch/notes.md" --config "$config") >"$scratch/release.log" 2>&1 ||
  { cat "$scratch/release.log"; echo "the release of v$newest failed" >&2; exit 1; }
grep -qF "loading file \"$scratch/notes.md\"" "$scratch/release.log" ||
  { cat "$scratch/release.log"; echo "the release of v$newest did not read its notes, CHANGELOG.md's section" >&2; exit 1; }
echo "a release of v$newest takes its notes from CHANGELOG.md ($(wc -l <"$scratch/notes.md") lines)"
