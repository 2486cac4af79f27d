#!/usr/bin/env bash
# fetch-csi-spec.sh VERSION SUM OUT: copies csi.proto of the CSI specification's Go module
# (github.com/container-storage-interface/spec, the file at its root) at VERSION into OUT.
#
# The Go client downloads the module (once per machine: later builds find it in the module
# cache) and checks it against the checksum database; the module's hash must also equal SUM,
# the pinned go.sum hash (h1:...), so a changed upstream tag cannot slip into a build. The
# checked file is kept in $KMETAL_CACHE/csi-spec/VERSION/.
set -euo pipefail
shopt -s inherit_errexit

module=github.com/container-storage-interface/spec
version=$1 want=$2 out=$3
cache=${KMETAL_CACHE:-$HOME/.cache/kmetal-storage}/csi-spec/$version

die() { echo "fetch-csi-spec: $*" >&2; exit 1; }
command -v go >/dev/null ||
  die "the csi-runtime module generates its gRPC stubs from csi.proto, which the Go client fetches; install Go (1.26) or put it on PATH"

# Outside any module, never another toolchain: the module proxy is the only network.
json=$(cd / && GOTOOLCHAIN=local GOFLAGS= go mod download -json "$module@$version") ||
  die "go mod download $module@$version failed: $json"
sum=$(sed -n 's/^[[:space:]]*"Sum": "\(.*\)",$/\1/p' <<<"$json")
dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$json")
[[ $sum == "$want" ]] ||
  die "$module@$version has hash $sum, the build pins $want (csi.spec.sum in csi-runtime/pom.xml)"
mkdir -p "$cache" "$out"
install -m 0644 "$dir/csi.proto" "$cache/csi.proto"
install -m 0644 "$cache/csi.proto" "$out/csi.proto"
