#!/usr/bin/env bash
# make demo: build the provider and the mock, start the mock on a free loopback port,
# apply examples/demo with the local build (dev_overrides, no registry), show the
# outputs (among them an offboarding: a seeded person signed out of all three planes)
# and a second plan with no changes, destroy, and stop the mock. On Terraform 1.14 and
# later it also adopts the seeded users with `terraform query` before the apply and
# signs a person out with `terraform apply -invoke` after it.
# TERRAFORM names the binary: terraform (the default) or tofu.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
tf=${TERRAFORM:-terraform}

work=$(mktemp -d)
mock_pid=""
cleanup() {
  [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Terraform 1.14 and later have list resources and actions; OpenTofu has neither. The
# outputs are read whole, so that no early close of a pipe fails terraform (pipefail).
tf_release=$("$tf" version)
tf_release=${tf_release%%$'\n'*}
tf_version=$("$tf" version -json | sed -n 's/.*"terraform_version": *"\([0-9.]*\).*/\1/p')
case "$tf_release" in OpenTofu*) tf_version=0 ;; esac
has_actions_and_queries=$(printf '1.14\n%s\n' "$tf_version" | sort -V -C && echo yes || echo no)

# skip_older says that this Terraform cannot run a part of the demo that needs 1.14.
skip_older() {
  echo "==> skipping $1 need Terraform 1.14 or later, and this is $tf_release"
  echo "    (make demo-newest runs the demo with the newest Terraform of the test matrix)"
}

echo "==> building the provider and the mock"
go build -o "$work/plugins/terraform-provider-accessplane" .
go build -o "$work/accessplane-mock" ./cmd/accessplane-mock

echo "==> starting the mock"
"$work/accessplane-mock" -listen 127.0.0.1:0 -addr-file "$work/addr" -seed-tokens 12 -seed-sessions 3 -seed-users 3 \
  -seed-cluster-sessions 3 -seed-people dana,eve 2>"$work/mock.log" &
mock_pid=$!
for _ in $(seq 1 100); do [ -s "$work/addr" ] && break; sleep 0.1; done
[ -s "$work/addr" ] || { cat "$work/mock.log"; echo "the mock did not start" >&2; exit 1; }
endpoint=$(cat "$work/addr")
echo "    mock at $endpoint"

# "accessplane/accessplane" means registry.terraform.io/… to Terraform and
# registry.opentofu.org/… to OpenTofu: override both.
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
export TF_IN_AUTOMATION=1
export ACCESSPLANE_ADM_ENDPOINT="$endpoint" ACCESSPLANE_ADM_USERNAME=nsroot ACCESSPLANE_ADM_PASSWORD=nsroot
export ACCESSPLANE_CLUSTER_ENDPOINT="$endpoint" ACCESSPLANE_CLUSTER_API_TOKEN=mock-cluster-token
export ACCESSPLANE_NIMBLE_ENDPOINT="$endpoint" ACCESSPLANE_NIMBLE_USERNAME=admin ACCESSPLANE_NIMBLE_PASSWORD=admin

# ---- Adopt existing users in one command: terraform query (Terraform 1.14+) ----
# The three users seeded on the mock (group readonly) exist before Terraform knows
# them: terraform query -generate-config-out writes a resource and an import block for
# each, the plan imports them and changes nothing, and after the apply the plan is empty.
demo_adopt_with_query() {
  if [ "$has_actions_and_queries" = no ]; then
    skip_older "the adoption with terraform query: list resources"
    return
  fi
  mkdir -p "$work/adopt"
  cp "$repo/examples/guides/adopting-existing-users/query/main.tf" "$work/adopt/"
  cat >"$work/adopt/users.tfquery.hcl" <<'HCL'
list "accessplane_mpsuser" "user" {
  provider         = accessplane
  include_resource = true
  config {
    group = "readonly"
  }
}
HCL
  (
    cd "$work/adopt"
    echo "==> $tf query -generate-config-out=users.tf (the users already on the appliance)"
    "$tf" query -generate-config-out=users.tf -no-color >"$work/query.log" 2>&1 || { cat "$work/query.log"; exit 1; }
    grep -E "^list\." "$work/query.log" || true
    echo "==> $tf plan of the generated configuration"
    "$tf" plan -input=false -no-color -out=adopt.tfplan >"$work/adopt-plan.log" 2>&1 || { cat "$work/adopt-plan.log"; exit 1; }
    grep -E "^Plan:" "$work/adopt-plan.log"
    grep -q "Plan: 3 to import, 0 to add, 0 to change, 0 to destroy" "$work/adopt-plan.log" || { cat "$work/adopt-plan.log"; echo "the adoption plan is not 3 imports and nothing else" >&2; exit 1; }
    "$tf" apply -input=false -no-color adopt.tfplan >"$work/adopt-apply.log" 2>&1 || { cat "$work/adopt-apply.log"; exit 1; }
    grep -E "^Apply complete" "$work/adopt-apply.log"
    "$tf" plan -detailed-exitcode -input=false -no-color >"$work/adopt-plan.log" 2>&1 || { cat "$work/adopt-plan.log"; echo "the plan after the adoption is not empty" >&2; exit 1; }
    echo "    the plan after the adoption: no changes"
  )
}
demo_adopt_with_query
# ---- end of the adoption with terraform query ----

cp -r examples/demo "$work/demo"
cd "$work/demo"

echo "==> $tf apply"
"$tf" apply -auto-approve -input=false -no-color 2>&1 | grep -v "Warning: Provider development overrides" || true
"$tf" output -no-color >/dev/null || { echo "apply failed" >&2; exit 1; }

echo "==> $tf output"
"$tf" output -no-color

echo "==> offboarding (accessplane_user_signout): dana, seeded with 2 ADM sessions, 3 Dynatrace sessions and 2 Nimble tokens"
offboarding=$("$tf" output -raw -no-color offboarding)
echo "    $offboarding"
case "$offboarding" in
  *": 2 ADM sessions, 3 Dynatrace sessions and 2 Nimble tokens ended") ;;
  *) echo "the offboarding step did not end exactly dana's sessions" >&2; exit 1 ;;
esac

echo "==> $tf plan (expect no changes)"
set +e
"$tf" plan -detailed-exitcode -input=false -no-color >"$work/plan.txt" 2>&1
plan_status=$?
set -e
grep -E "No changes|Plan:" "$work/plan.txt" || true
if [ "$plan_status" -ne 0 ]; then
  cat "$work/plan.txt"
  echo "the second plan was not empty (exit $plan_status)" >&2
  exit 1
fi

# ---- Sign a person out with an action: terraform apply -invoke (Terraform 1.14+) ----
# Runs the incident-response guide (examples/guides/incident-response) for eve, seeded
# with 2 ADM sessions, 3 Dynatrace sessions and 2 Nimble tokens: where she is signed in,
# the sign-out by the action accessplane_user_signout, and the list again, now empty.
# Older Terraform and OpenTofu have no actions: say so and go on.
demo_signout_action() {
  if [ "$has_actions_and_queries" = no ]; then
    skip_older "the sign-out with terraform apply -invoke: actions"
    return
  fi
  local person='person={adm_username = "eve", cluster_user_id = "eve@example.com", nimble_username = "eve"}'
  cp -r "$repo/examples/guides/incident-response" "$work/incident"
  (
    cd "$work/incident"
    echo "==> incident response: where is eve signed in?"
    "$tf" apply -auto-approve -input=false -no-color -var "$person" >"$work/incident.log" 2>&1 || { cat "$work/incident.log"; exit 1; }
    "$tf" output -no-color signed_in
    echo "==> $tf apply -invoke=action.accessplane_user_signout.person (the action keeps nothing in the state)"
    "$tf" apply -invoke=action.accessplane_user_signout.person -auto-approve -input=false -no-color -var "$person" >"$work/invoke.log" 2>&1 || { cat "$work/invoke.log"; exit 1; }
    grep -E "^Action |Actions: " "$work/invoke.log"
    grep -q 'ADM: ended 2 sessions of "eve"' "$work/invoke.log" || { echo "the action did not end eve's ADM sessions" >&2; exit 1; }
    echo "==> where is eve signed in now?"
    "$tf" apply -auto-approve -input=false -no-color -var "$person" >"$work/incident.log" 2>&1 || { cat "$work/incident.log"; exit 1; }
    "$tf" output -no-color signed_in
    [ "$("$tf" output -json signed_in)" = "[]" ] || { echo "eve is still signed in somewhere" >&2; exit 1; }
  )
}
demo_signout_action
# ---- end of the sign-out with an action ----

echo "==> $tf destroy"
"$tf" destroy -auto-approve -input=false -no-color 2>&1 | grep -E "Destroy complete|Error" 
echo "==> demo finished; the mock is stopped and $work removed"
