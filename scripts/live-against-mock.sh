#!/usr/bin/env bash
# make test's proof of the live path: `make testacc-live` and `make sweep` against
# cmd/accessplane-mock started as its own process, as a lab appliance would be: the
# ADM string dialect, its own clock, a free port, every test of the run sharing it, and
# a second Nimble user for the person variables. Mock-only tests skip there; they run
# in-process in the testacc legs.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
mock_pid=
cleanup() {
  [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null && wait "$mock_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/accessplane-mock" ./cmd/accessplane-mock
person=tfacc-nimble-person
person_password=tfacc-person-Secret-1
"$work/accessplane-mock" -listen 127.0.0.1:0 -addr-file "$work/addr" -nitro-dialect strings \
  -nimble-user "$person:$person_password" 2>"$work/mock.log" &
mock_pid=$!
for _ in $(seq 100); do
  [ -s "$work/addr" ] && break
  sleep 0.1
done
[ -s "$work/addr" ] || { cat "$work/mock.log"; echo "the mock did not start" >&2; exit 1; }
url=$(cat "$work/addr")
export ACCESSPLANE_ADM_ENDPOINT=$url ACCESSPLANE_ADM_USERNAME=nsroot ACCESSPLANE_ADM_PASSWORD=nsroot
export ACCESSPLANE_CLUSTER_ENDPOINT=$url ACCESSPLANE_CLUSTER_API_TOKEN=mock-cluster-token
export ACCESSPLANE_NIMBLE_ENDPOINT=$url ACCESSPLANE_NIMBLE_USERNAME=admin ACCESSPLANE_NIMBLE_PASSWORD=admin
export ACCESSPLANE_TEST_NIMBLE_PERSON=$person ACCESSPLANE_TEST_NIMBLE_PERSON_PASSWORD=$person_password
# The mock takes any tenant id; an ADM only the tenants it has.
export ACCESSPLANE_TEST_ADM_TENANT_IDS=tenant-a,tenant-b
echo "==> the live path against cmd/accessplane-mock at $url"
make --no-print-directory testacc-live
make --no-print-directory sweep
