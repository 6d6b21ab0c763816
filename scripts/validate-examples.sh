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
# with for_each 1.7; actions, action triggers and list resources 1.14, destroy-time
# triggers and `caller` 1.16, and OpenTofu has none of those; for_each on provider blocks
# needs OpenTofu; import blocks with identity (import-by-identity.tf) 1.12. `make docs-check` runs this
# with the newest Terraform of the matrix, which validates every example. The version is
# read whole: `grep -q` on the pipe could close it early, and under pipefail terraform's
# SIGPIPE made a new Terraform look old.
version=$($tf version -json | sed -n 's/.*"terraform_version": *"\([0-9.]*\).*/\1/p')
opentofu=$(case "$($tf version)" in OpenTofu*) echo yes ;; *) echo no ;; esac)
[ "$opentofu" = yes ] && version=1.11
at_least() { printf '%s\n%s\n' "$1" "$version" | sort -V -C; }
modern=$(at_least 1.11 && echo yes || echo no)
actions=$(at_least 1.14 && echo yes || echo no)
destroy_triggers=$(at_least 1.16 && echo yes || echo no)

failed=0
for dir in $(find examples -name '*.tf' -o -name '*.tfquery.hcl' | xargs -n1 dirname | sort -u); do
  if [ "$modern" = no ] && grep -Eqs 'password_wo|^ephemeral|^import' /dev/null $(ls "$dir"/*.tf 2>/dev/null | grep -v /import-by-identity.tf); then
    echo "skip  $dir (needs a newer Terraform)"
    continue
  fi
  # Recursive: a root module needs actions when a local module it calls has them.
  if [ "$actions" = no ] && { grep -rEqs --include='*.tf' '^action |action_trigger' "$dir" || ls "$dir"/*.tfquery.hcl >/dev/null 2>&1; }; then
    echo "skip  $dir (actions and list resources need Terraform 1.14)"
    continue
  fi
  if [ "$destroy_triggers" = no ] && grep -Eqs 'before_destroy|after_destroy|caller\.' "$dir"/*.tf; then
    echo "skip  $dir (destroy-time action triggers need Terraform 1.16)"
    continue
  fi
  if [ "$opentofu" = no ] && awk '/^provider /{p=1} p && /for_each/{f=1} /^}/{p=0} END{exit !f}' "$dir"/*.tf 2>/dev/null; then
    echo "skip  $dir (for_each on provider blocks needs OpenTofu)"
    continue
  fi
  rm -rf "$work/example" && cp -r "$dir" "$work/example"
  if ! at_least 1.12; then
    rm -f "$work/example/import-by-identity.tf"
  fi
  if ! grep -qs required_providers "$work/example"/*.tf; then
    printf 'terraform {\n  required_providers {\n    accessplane = { source = "accessplane/accessplane" }\n  }\n}\n' >"$work/example/versions.tf"
  fi
  validate=(validate -no-color)
  [ "$actions" = yes ] && validate+=(-query)
  # Local modules are installed by get, which, unlike init, asks no registry for the
  # provider the CLI configuration overrides.
  if out=$(cd "$work/example" && "$tf" get -no-color 2>&1 && "$tf" "${validate[@]}" 2>&1); then
    echo "valid $dir"
  else
    echo "FAIL  $dir"; echo "$out"; failed=1
  fi
done
exit $failed
