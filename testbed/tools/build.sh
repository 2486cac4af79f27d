#!/usr/bin/env bash
# Builds the test bed's tools from the Go module proxy into a cache folder outside the work tree.
#
#   build.sh [all|<tool>...]   build (default: all); one line per tool: built / cached / FAILED
#   build.sh env               export lines, for: eval "$(testbed/tools/build.sh env)"
#   build.sh versions          the table of tools, versions and binaries
#
# Every version lives in versions.env. A tool is rebuilt only when its stamp file (its version
# plus a hash of its wrapper folder) differs or a binary is missing. Downloads go to the
# machine's default GOMODCACHE, so a second machine session reuses them.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=versions.env
source "$HERE/versions.env"

CACHE=${KMETAL_CACHE:-$HOME/.cache/kmetal-storage}/tools
BIN=$CACHE/bin
LOGS=$CACHE/logs
STAMPS=$CACHE/stamps
WORK=$CACHE/work

# Build order of `all`: the control plane first (the sandbox needs it), kwok last.
TOOLS=(etcd kubernetes pulumi pulumi-language-java pulumi-language-yaml pulumi-resource-kubernetes
  csi-sanity csi-provisioner csi-attacher csi-resizer csi-snapshotter kwok)

# The module proxy is the only network: never fetch another Go toolchain. Wrappers let the go
# command record their dependencies' requirements in their own (cache) go.mod and go.sum.
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
unset GOBIN

# --- what each tool is ----------------------------------------------------------------------

# tool_version TOOL: the version a tool is built at.
tool_version() {
  case $1 in
    etcd) echo "$ETCD_VERSION" ;;
    kubernetes) echo "$KUBERNETES_VERSION" ;;
    pulumi) echo "$PULUMI_VERSION" ;;
    pulumi-language-java) echo "$PULUMI_JAVA_VERSION" ;;
    pulumi-language-yaml) echo "$PULUMI_YAML_VERSION" ;;
    pulumi-resource-kubernetes) echo "$PULUMI_KUBERNETES_VERSION" ;;
    csi-sanity) echo "$CSI_SANITY_VERSION" ;;
    csi-provisioner) echo "$CSI_PROVISIONER_VERSION" ;;
    csi-attacher) echo "$CSI_ATTACHER_VERSION" ;;
    csi-resizer) echo "$CSI_RESIZER_VERSION" ;;
    csi-snapshotter) echo "$CSI_SNAPSHOTTER_VERSION" ;;
    kwok) echo "$KWOK_VERSION" ;;
    *) echo "unknown tool: $1 (known: ${TOOLS[*]})" >&2; return 1 ;;
  esac
}

# tool_bins TOOL: the binaries a tool puts into $BIN (all must exist for the cache to count).
tool_bins() {
  case $1 in
    kubernetes) echo kube-apiserver kube-controller-manager kube-scheduler kubectl ;;
    csi-snapshotter) echo csi-snapshotter snapshot-controller ;;
    *) echo "$1" ;;
  esac
}

# --- helpers shared by the build functions --------------------------------------------------

# stamp_of TOOL: version plus a hash of the wrapper folder, so editing a wrapper rebuilds too.
stamp_of() {
  local hash=none
  if [[ -d $HERE/wrappers/$1 ]]; then
    hash=$(cd "$HERE/wrappers/$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum |
      sha256sum | cut -c1-12)
  fi
  echo "$(tool_version "$1") wrapper=$hash"
}

is_cached() {
  local b
  [[ -f $STAMPS/$1 && $(<"$STAMPS/$1") == "$(stamp_of "$1")" ]] || return 1
  for b in $(tool_bins "$1"); do [[ -x $BIN/$b ]] || return 1; done
}

# new_wrapper TOOL: a fresh wrapper main module in $WORK/TOOL; prints its path. It starts from
# wrappers/TOOL when that folder exists (for tools that need more than a require), else from an
# empty module. The cache copy gets the requires, replaces and go.sum; the repo stays minimal.
new_wrapper() {
  local dir=$WORK/$1
  rm -rf "$dir"
  mkdir -p "$dir"
  if [[ -d $HERE/wrappers/$1 ]]; then
    cp -R "$HERE/wrappers/$1/." "$dir/"
  else
    printf 'module kmetal.local/testbed/%s\n\ngo 1.26.0\n' "$1" >"$dir/go.mod"
  fi
  echo "$dir"
}

# mod_info FIELD MODULE@VERSION: a field (GoMod, Dir, ...) of `go mod download -json`.
# Run it inside a wrapper so that the wrapper's go.sum is used to verify the download.
mod_info() {
  go mod download -json "$2" | sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\$/\1/p"
}

# replaces_of GOMOD: the replace directives of a go.mod, one "old [v] => new [v]" a line.
replaces_of() {
  awk '/^replace \($/ { block = 1; next }
       block && /^\)/ { block = 0; next }
       block { print; next }
       /^replace / { sub(/^replace /, ""); print }' "$1" | sed 's|//.*||'
}

# requires_of GOMOD: the module paths a go.mod requires.
requires_of() {
  awk '/^require \($/ { block = 1; next }
       block && /^\)/ { block = 0; next }
       block { print $1; next }
       /^require / { print $2 }' "$1"
}

# adopt_replaces DIR GOMOD VERSION: repeats the replace directives of the tool's go.mod in the
# wrapper at DIR, since the go command ignores replaces outside the main module. A replace to a
# local folder names a sibling module of the same repository: upstream builds it from the same
# commit, so the wrapper requires it at the tool's own tag. Local replaces of modules the tool
# does not require (etcd's FORBIDDEN_DEPENDENCY guards) are dropped.
adopt_replaces() {
  local dir=$1 gomod=$2 version=$3 old new
  local -a required
  mapfile -t required < <(requires_of "$gomod")
  while IFS= read -r line; do
    old=${line%%=>*} new=${line#*=>}
    read -r old _ <<<"$old"
    new=$(xargs <<<"$new")
    if [[ $new == .* || $new == /* ]]; then
      if printf '%s\n' "${required[@]}" | grep -qxF "$old"; then
        (cd "$dir" && go mod edit -require="$old@$version")
      fi
    else
      (cd "$dir" && go mod edit -replace="$old=${new% *}@${new#* }")
    fi
  done < <(replaces_of "$gomod")
}

# go_build DIR LDFLAGS PKG...: builds the packages from the module in DIR into DIR/out.
go_build() {
  local dir=$1 ldflags=$2
  shift 2
  mkdir -p "$dir/out"
  (cd "$dir" && go build -trimpath -p 2 -ldflags "-s -w $ldflags" -o "$dir/out/" "$@")
}

# install_out DIR: moves the binaries of DIR/out into $BIN. Building into DIR/out first means a
# failed build never leaves a half-updated $BIN.
install_out() {
  mkdir -p "$BIN"
  mv "$1/out/"* "$BIN/"
}

# build_module TOOL MODULE VERSION LDFLAGS PKG...: the common case: a wrapper that requires
# MODULE@VERSION, repeats its replaces, and builds PKG... into $BIN.
build_module() {
  local tool=$1 module=$2 version=$3 ldflags=$4 dir gomod
  shift 4
  dir=$(new_wrapper "$tool")
  (cd "$dir" && go mod edit -require="$module@$version")
  gomod=$(cd "$dir" && mod_info GoMod "$module@$version")
  adopt_replaces "$dir" "$gomod" "$version"
  go_build "$dir" "$ldflags" "$@"
  install_out "$dir"
}

# --- one function per tool ------------------------------------------------------------------

build_etcd() {
  local dir=$WORK/etcd
  # server/v3's root package is etcd's own main (it only calls etcdmain.Main), named after the
  # folder "server" by go build.
  build_module etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" "" go.etcd.io/etcd/server/v3
  mv "$BIN/server" "$BIN/etcd"
  rmdir "$dir/out"
}

build_kubernetes() {
  local dir kmod minor staging v=k8s.io/component-base/version
  dir=$(new_wrapper kubernetes)
  minor=$(cut -d. -f2 <<<"$KUBERNETES_VERSION")
  (cd "$dir" && go mod edit -require="k8s.io/kubernetes@$KUBERNETES_VERSION")
  kmod=$(cd "$dir" && mod_info GoMod "k8s.io/kubernetes@$KUBERNETES_VERSION")
  # k/k requires its staging modules at v0.0.0 and replaces them with ./staging/src/k8s.io/<x>.
  # Pin each to its published v0.<minor>.<patch> tag; reading the list from k/k's own go.mod
  # keeps this right when staging modules come and go (1.36 added streaming, cri-streaming).
  for staging in $(replaces_of "$kmod" | awk '$2 == "=>" && $3 ~ /^\.\/staging\// { print $1 }'); do
    (cd "$dir" && go mod edit -replace="$staging=$staging@v0.${KUBERNETES_VERSION#v1.}")
  done
  # One go build for all four shares the compile work of the common packages.
  go_build "$dir" "-X $v.gitVersion=$KUBERNETES_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$minor \
-X $v.gitTreeState=clean" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
  install_out "$dir"
}

build_pulumi() {
  # pkg/v3 replaces sdk/v3 with ../sdk: adopt_replaces requires sdk/v3 at the same tag.
  build_module pulumi github.com/pulumi/pulumi/pkg/v3 "$PULUMI_VERSION" \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
}

build_pulumi_language_java() {
  # Its own wrapper: pulumi-java pins older pulumi pkg/sdk versions than the CLI.
  build_module pulumi-language-java github.com/pulumi/pulumi-java "$PULUMI_JAVA_VERSION" \
    "-X github.com/pulumi/pulumi-java/pkg/version.Version=${PULUMI_JAVA_VERSION#v}" \
    github.com/pulumi/pulumi-java/pkg/cmd/pulumi-language-java
}

build_pulumi_language_yaml() {
  build_module pulumi-language-yaml github.com/pulumi/pulumi-yaml "$PULUMI_YAML_VERSION" \
    "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=${PULUMI_YAML_VERSION#v}" \
    github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
}

build_pulumi_resource_kubernetes() {
  local dir src mod=github.com/pulumi/pulumi-kubernetes/provider/v4
  # The wrapper's go.sum pins the provider's hash: the sum database does not know this
  # pseudo-version, and a download inside a module with go.sum trusts go.sum.
  dir=$(new_wrapper pulumi-resource-kubernetes)
  src=$(cd "$dir" && mod_info Dir "$mod@$PULUMI_KUBERNETES_MODULE_VERSION")
  # main.go embeds schema-embed.json and terraform-mapping-embed.json, which upstream writes
  # with `go generate` and does not commit, so build from a writable copy of the module, the
  # way upstream builds it (in provider/, with its own go.sum).
  cp -R "$src" "$dir/provider"
  chmod -R u+w "$dir/provider"
  # The copy has no ../sdk sibling: use the sdk/v4 version its go.mod requires instead.
  (cd "$dir/provider" && go mod edit -dropreplace=github.com/pulumi/pulumi-kubernetes/sdk/v4)
  (cd "$dir/provider/cmd/pulumi-resource-kubernetes" &&
    VERSION=$PULUMI_KUBERNETES_VERSION go run generate.go)
  go_build "$dir/provider" "-X $mod/pkg/version.Version=$PULUMI_KUBERNETES_VERSION" \
    ./cmd/pulumi-resource-kubernetes
  install_out "$dir/provider"
}

build_csi_sanity() {
  build_module csi-sanity github.com/kubernetes-csi/csi-test/v5 "$CSI_SANITY_VERSION" "" \
    github.com/kubernetes-csi/csi-test/v5/cmd/csi-sanity
}

# The sidecars print main.version (upstream's release.tools sets it the same way).
build_csi_provisioner() {
  build_module csi-provisioner github.com/kubernetes-csi/external-provisioner/v6 \
    "$CSI_PROVISIONER_VERSION" "-X main.version=$CSI_PROVISIONER_VERSION" \
    github.com/kubernetes-csi/external-provisioner/v6/cmd/csi-provisioner
}

build_csi_attacher() {
  build_module csi-attacher github.com/kubernetes-csi/external-attacher/v4 \
    "$CSI_ATTACHER_VERSION" "-X main.version=$CSI_ATTACHER_VERSION" \
    github.com/kubernetes-csi/external-attacher/v4/cmd/csi-attacher
}

build_csi_resizer() {
  build_module csi-resizer github.com/kubernetes-csi/external-resizer/v2 \
    "$CSI_RESIZER_VERSION" "-X main.version=$CSI_RESIZER_VERSION" \
    github.com/kubernetes-csi/external-resizer/v2/cmd/csi-resizer
}

build_csi_snapshotter() {
  # The module replaces client/v8 with ./client: adopt_replaces requires client/v8 at this tag.
  build_module csi-snapshotter github.com/kubernetes-csi/external-snapshotter/v8 \
    "$CSI_SNAPSHOTTER_VERSION" "-X main.version=$CSI_SNAPSHOTTER_VERSION" \
    github.com/kubernetes-csi/external-snapshotter/v8/cmd/csi-snapshotter \
    github.com/kubernetes-csi/external-snapshotter/v8/cmd/snapshot-controller
}

build_kwok() {
  build_module kwok sigs.k8s.io/kwok "$KWOK_VERSION" \
    "-X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}" sigs.k8s.io/kwok/cmd/kwok
}

# --- commands -------------------------------------------------------------------------------

# build_one TOOL: prints one status line; on failure also the tail of the log, and returns 1.
build_one() {
  local tool=$1 log=$LOGS/$1.log start
  if is_cached "$tool"; then
    echo "$tool: cached ($(tool_version "$tool"))"
    return 0
  fi
  mkdir -p "$LOGS" "$STAMPS"
  rm -f "$STAMPS/$tool"
  start=$SECONDS
  if ("build_${tool//-/_}") >"$log" 2>&1; then
    stamp_of "$tool" >"$STAMPS/$tool"
    echo "$tool: built $(tool_version "$tool") in $((SECONDS - start))s" | tee -a "$log"
  else
    echo "$tool: FAILED after $((SECONDS - start))s; last lines of $log:"
    tail -n 15 "$log" | sed 's/^/    /'
    return 1
  fi
}

cmd_build() {
  local tool failed=()
  for tool in "$@"; do tool_version "$tool" >/dev/null; done
  for tool in "$@"; do
    build_one "$tool" || failed+=("$tool")
  done
  if ((${#failed[@]})); then
    echo "FAILED: ${failed[*]}" >&2
    return 1
  fi
}

cmd_env() {
  cat <<EOF
export KMETAL_TOOLS_BIN="$BIN"
export PATH="$BIN:\$PATH"
# No network but package registries: never look for CLI updates or download plugins; the
# language hosts and the kubernetes provider are found on PATH (ambient plugins).
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
EOF
}

cmd_versions() {
  local tool
  printf '%-28s %-30s %s\n' TOOL VERSION BINARIES
  for tool in "${TOOLS[@]}"; do
    printf '%-28s %-30s %s\n' "$tool" "$(tool_version "$tool")" "$(tool_bins "$tool")"
  done
}

case ${1:-all} in
  all) cmd_build "${TOOLS[@]}" ;;
  env) cmd_env ;;
  versions) cmd_versions ;;
  *) cmd_build "$@" ;;
esac
