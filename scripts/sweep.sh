#!/usr/bin/env bash
# make sweep: terraform-plugin-testing's sweepers (-sweep) remove, from the appliances
# the ACCESSPLANE_* variables name, every tfacc- user with its sessions and the tokens
# of ACCESSPLANE_TEST_NIMBLE_PERSON, and print what they removed; nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "==> sweeping tfacc- objects from the appliances the ACCESSPLANE_* variables name"
ACCESSPLANE_TEST_TARGET=live go test -count=1 -timeout 30m -v ./internal/provider/ -sweep=all
