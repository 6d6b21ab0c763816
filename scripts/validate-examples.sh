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
# with for_each 1.7; actions 1.14, destroy-time triggers and `caller` 1.16, and OpenTofu
# has neither. The version is read whole: `grep -q` on the pipe could close it early,
# and under pipefail terraform's SIGPIPE made a new Terraform look old.
minor=$($tf version -json | sed -n 's/.*"terraform_version": *"1\.\([0-9]*\)\..*/\1/p')
modern=$([ "$minor" -ge 11 ] && echo yes || echo no)
case "$($tf version)" in OpenTofu*) minor=0 ;; esac

failed=0
for dir in $(find examples -name '*.tf' -exec dirname {} \; | sort -u); do
  if [ "$modern" = no ] && grep -Eqs 'password_wo|^ephemeral|^import' "$dir"/*.tf; then
    echo "skip  $dir (needs a newer Terraform)"
    continue
  fi
  if { [ "$minor" -lt 14 ] && grep -Eqs '^action ' "$dir"/*.tf; } || { [ "$minor" -lt 16 ] && grep -Eqs 'before_destroy|after_destroy|caller\.' "$dir"/*.tf; }; then
    echo "skip  $dir (actions need Terraform 1.14, destroy-time triggers 1.16)"
    continue
  fi
  rm -rf "$work/example" && cp -r "$dir" "$work/example"
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
