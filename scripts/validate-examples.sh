#!/usr/bin/env bash
# Runs `terraform validate` on every example directory against the local build of the
# provider (dev_overrides, no registry), so the documented examples cannot rot.
# TERRAFORM names the binary: terraform (the default) or tofu.
set -euo pipefail
cd "$(dirname "$0")/.."
tf=${TERRAFORM:-terraform}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/plugins/terraform-provider-accessplane" .
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/accessplane/accessplane"  = "$work/plugins"
    "registry.opentofu.org/accessplane/accessplane" = "$work/plugins"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"

# Write-only attributes need Terraform 1.11, ephemeral resources 1.10, import blocks
# with for_each 1.7; for_each on provider blocks needs OpenTofu.
modern=$($tf version -json | grep -Eq '"terraform_version": *"1\.(1[1-9]|[2-9][0-9])' && echo yes || echo no)
opentofu=$($tf version | grep -q '^OpenTofu' && echo yes || echo no)

failed=0
for dir in $(find examples -name '*.tf' -exec dirname {} \; | sort -u); do
  if [ "$modern" = no ] && grep -Eqs 'password_wo|^ephemeral|^import' "$dir"/*.tf; then
    echo "skip  $dir (needs a newer Terraform)"
    continue
  fi
  if [ "$opentofu" = no ] && awk '/^provider /{p=1} p && /for_each/{f=1} /^}/{p=0} END{exit !f}' "$dir"/*.tf; then
    echo "skip  $dir (for_each on provider blocks needs OpenTofu)"
    continue
  fi
  rm -rf "$work/example" && cp -r "$dir" "$work/example"
  if ! grep -qs required_providers "$work/example"/*.tf; then
    printf 'terraform {\n  required_providers {\n    accessplane = { source = "accessplane/accessplane" }\n  }\n}\n' >"$work/example/versions.tf"
  fi
  # Local modules are installed by get, which, unlike init, asks no registry for the
  # provider the CLI configuration overrides.
  if out=$(cd "$work/example" && "$tf" get -no-color 2>&1 && "$tf" validate -no-color 2>&1); then
    echo "valid $dir"
  else
    echo "FAIL  $dir"; echo "$out"; failed=1
  fi
done
exit $failed
