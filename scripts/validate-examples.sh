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
# with for_each 1.7.
modern=$($tf version -json | grep -Eq '"terraform_version": *"1\.(1[1-9]|[2-9][0-9])' && echo yes || echo no)
# Import blocks with identity (import-by-identity.tf) need Terraform 1.12; examples of
# terraform query require 1.14.
version=$($tf version -json | sed -n 's/.*"terraform_version": *"\([0-9.]*\)".*/\1/p')
at_least() { [ "$(printf '%s\n%s\n' "$1" "$version" | sort -V | head -n1)" = "$1" ]; }

failed=0
for dir in $(find examples -name '*.tf' -exec dirname {} \; | sort -u); do
  if [ "$modern" = no ] && grep -Eqs 'password_wo|^ephemeral|^import' $(ls "$dir"/*.tf | grep -v /import-by-identity.tf); then
    echo "skip  $dir (needs a newer Terraform)"
    continue
  fi
  if ! at_least 1.14 && grep -qs 'required_version = ">= 1.14"' "$dir"/*.tf; then
    echo "skip  $dir (needs a newer Terraform)"
    continue
  fi
  rm -rf "$work/example" && cp -r "$dir" "$work/example"
  if ! at_least 1.12; then
    rm -f "$work/example/import-by-identity.tf"
  fi
  if ! grep -qs required_providers "$work/example"/*.tf; then
    printf 'terraform {\n  required_providers {\n    accessplane = { source = "accessplane/accessplane" }\n  }\n}\n' >"$work/example/versions.tf"
  fi
  if out=$(cd "$work/example" && "$tf" validate -no-color 2>&1); then
    echo "valid $dir"
  else
    echo "FAIL  $dir"; echo "$out"; failed=1
  fi
done
exit $failed
