#!/usr/bin/env bash
# fetch-proto.sh MODULE VERSION SUM FILE OUT: copies FILE (a path inside the Go module MODULE at
# VERSION) into the folder OUT. The build uses it for the CSI specification's csi.proto
# (github.com/container-storage-interface/spec) and the kubelet's plugin-registration API
# (k8s.io/kubelet, pkg/apis/pluginregistration/v1/api.proto).
#
# The Go client downloads the module (once per machine: later builds find it in the module
# cache) and checks it against the checksum database; the module's hash must also equal SUM,
# the pinned go.sum hash (h1:...), so a changed upstream tag cannot slip into a build. The
# checked file is kept in $KMETAL_CACHE/protos/MODULE@VERSION/.
set -euo pipefail
shopt -s inherit_errexit

module=$1 version=$2 want=$3 file=$4 out=$5
cache=${KMETAL_CACHE:-$HOME/.cache/kmetal-storage}/protos/$module@$version

die() { echo "fetch-proto: $*" >&2; exit 1; }
command -v go >/dev/null ||
  die "the csi-runtime module generates its gRPC stubs from $(basename "$file") of $module, which the Go client fetches; install Go (1.26) or put it on PATH"

# Outside any module, never another toolchain: the module proxy is the only network.
json=$(cd / && GOTOOLCHAIN=local GOFLAGS='' go mod download -json "$module@$version") ||
  die "go mod download $module@$version failed: $json"
sum=$(jq -r '.Sum // empty' <<<"$json")
dir=$(jq -r '.Dir // empty' <<<"$json")
[[ $sum == "$want" ]] ||
  die "$module@$version has hash $sum, the build pins $want (in csi-runtime/pom.xml)"
mkdir -p "$cache" "$out"
install -m 0644 "$dir/$file" "$cache/$(basename "$file")"
install -m 0644 "$cache/$(basename "$file")" "$out/$(basename "$file")"
