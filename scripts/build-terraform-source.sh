#!/usr/bin/env bash
# Builds Terraform $1 from the Go module proxy into the file $2.
# Terraform's module since 1.6 has replace directives (so `go install module@version`
# refuses it) and its zip lacks the nested modules of the remote-state backends
# azure, consul, cos, gcs, kubernetes, oss, pg, s3 and oci and of internal/legacy. The
# build runs in a scratch copy with those backends left out; the tests need none of
# them (they use the local backend).
set -euo pipefail
version=$1 out=$2
src=$(go mod download -json "github.com/hashicorp/terraform@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
test -n "$src"
scratch=$(mktemp -d)
trap 'chmod -R u+w "$scratch"; rm -rf "$scratch"' EXIT
cp -r "$src/." "$scratch"
chmod -R u+w "$scratch"
cd "$scratch"
backends='azure|consul|cos|gcs|kubernetes|oss|pg|s3|oci'
sed -i -E "/internal\/backend\/remote-state\/($backends)( |$)/d; /internal\/legacy( |$)/d" go.mod
sed -i -E "/internal\/backend\/remote-state\/($backends)\"/d; /backend(Azure|Consul|Cos|GCS|Kubernetes|OCI|OSS|Pg|S3)\.New\(\)/d" internal/backend/init/init.go
mkdir -p "$(dirname "$out")"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/hashicorp/terraform/version.dev=no" -o "$out.tmp" .
mv "$out.tmp" "$out"
