#!/usr/bin/env bash
# Builds the test bed's tools from the Go module proxy into a cache folder outside the work tree.
#
#   build.sh [all|<tool>...]   build (default: all); one line per tool: built / cached / FAILED
#   build.sh env               export lines, for: eval "$(testbed/tools/build.sh env)"
#   build.sh versions          the table of tools, versions and binaries
#
# Every version lives in versions.env. A tool is rebuilt only when its stamp (its version plus
# hashes of its build function and wrapper folder) changed or one of its files is missing.
# Downloads go to the machine's default GOMODCACHE, so later sessions on the machine reuse them.
set -euo pipefail
# Let a failure inside $(...) stop the script too.
shopt -s inherit_errexit

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
  pulumi-sdkgen csi-sanity csi-provisioner csi-attacher csi-resizer csi-snapshotter kwok)
# Tools whose modules the proxy does not serve (403): built only when named, so that `all`
# stays green; naming one shows the proxy's current answer.
UNAVAILABLE_TOOLS=(pulumi-language-nodejs pulumi-language-python livenessprobe
  csi-node-driver-registrar)

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
    pulumi-sdkgen) echo "$PULUMI_VERSION" ;;
    pulumi-resource-kubernetes) echo "$PULUMI_KUBERNETES_VERSION" ;;
    csi-sanity) echo "$CSI_SANITY_VERSION" ;;
    csi-provisioner) echo "$CSI_PROVISIONER_VERSION" ;;
    csi-attacher) echo "$CSI_ATTACHER_VERSION" ;;
    csi-resizer) echo "$CSI_RESIZER_VERSION" ;;
    csi-snapshotter) echo "$CSI_SNAPSHOTTER_VERSION" ;;
    kwok) echo "$KWOK_VERSION" ;;
    pulumi-language-nodejs | pulumi-language-python) echo "$PULUMI_LANGUAGE_HOSTS_VERSION" ;;
    livenessprobe) echo "$LIVENESSPROBE_VERSION" ;;
    csi-node-driver-registrar) echo "$NODE_DRIVER_REGISTRAR_VERSION" ;;
    *) echo "unknown tool: $1 (known: ${TOOLS[*]} ${UNAVAILABLE_TOOLS[*]})" >&2; return 1 ;;
  esac
}

# tool_files TOOL: what a tool puts into $CACHE/tools (all must exist for the cache to count).
tool_files() {
  case $1 in
    kubernetes) echo bin/kube-apiserver bin/kube-controller-manager bin/kube-scheduler bin/kubectl ;;
    csi-snapshotter) echo bin/csi-snapshotter bin/snapshot-controller ;;
    kwok) echo bin/kwok share/kwok-stages.yaml ;;
    *) echo "bin/$1" ;;
  esac
}

# --- helpers shared by the build functions --------------------------------------------------

# stamp_of TOOL: the version plus hashes of the tool's build function and wrapper folder, so
# that editing either rebuilds the tool too.
stamp_of() {
  local wrapper=none recipe
  if [[ -d $HERE/wrappers/$1 ]]; then
    wrapper=$(cd "$HERE/wrappers/$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum |
      sha256sum | cut -c1-12)
  fi
  recipe=$(declare -f "build_${1//-/_}" | sha256sum | cut -c1-12)
  echo "$(tool_version "$1") recipe=$recipe wrapper=$wrapper"
}

is_cached() {
  local f
  [[ -f $STAMPS/$1 && $(<"$STAMPS/$1") == "$(stamp_of "$1")" ]] || return 1
  for f in $(tool_files "$1"); do [[ -f $CACHE/$f ]] || return 1; done
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
  local json
  json=$(go mod download -json "$2") || { echo "$json" >&2; return 1; }
  sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\$/\1/p" <<<"$json"
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

# SDK generation for nodejs, python and go: `pulumi package gen-sdk` needs those languages' host
# plugins, which the proxy does not serve; wrappers/pulumi-sdkgen calls the CLI's own codegen.
build_pulumi_sdkgen() {
  local dir gomod module=github.com/pulumi/pulumi/pkg/v3
  dir=$(new_wrapper pulumi-sdkgen)
  (cd "$dir" && go mod edit -require="$module@$PULUMI_VERSION")
  gomod=$(cd "$dir" && mod_info GoMod "$module@$PULUMI_VERSION")
  adopt_replaces "$dir" "$gomod" "$PULUMI_VERSION"
  go_build "$dir" "" . # the binary is named after the wrapper module: pulumi-sdkgen
  install_out "$dir"
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

# The language hosts' go.mod replaces pkg/v3 and sdk/v3 with the folders of the same commit,
# which are tagged $PULUMI_VERSION.
build_pulumi_language_host() {
  local tool=pulumi-language-$1 module dir gomod
  module=github.com/pulumi/pulumi/sdk/$1/cmd/pulumi-language-$1/v3
  dir=$(new_wrapper "$tool")
  (cd "$dir" && go mod edit -require="$module@$PULUMI_LANGUAGE_HOSTS_VERSION")
  gomod=$(cd "$dir" && mod_info GoMod "$module@$PULUMI_LANGUAGE_HOSTS_VERSION")
  adopt_replaces "$dir" "$gomod" "$PULUMI_VERSION"
  go_build "$dir" "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
    "$module"
  install_out "$dir"
}

build_pulumi_language_nodejs() { build_pulumi_language_host nodejs; }
build_pulumi_language_python() { build_pulumi_language_host python; }

build_livenessprobe() {
  build_module livenessprobe github.com/kubernetes-csi/livenessprobe/v2 \
    "$LIVENESSPROBE_VERSION" "-X main.version=$LIVENESSPROBE_VERSION" \
    github.com/kubernetes-csi/livenessprobe/v2/cmd/livenessprobe
}

build_csi_node_driver_registrar() {
  build_module csi-node-driver-registrar github.com/kubernetes-csi/node-driver-registrar/v2 \
    "$NODE_DRIVER_REGISTRAR_VERSION" "-X main.version=$NODE_DRIVER_REGISTRAR_VERSION" \
    github.com/kubernetes-csi/node-driver-registrar/v2/cmd/csi-node-driver-registrar
}

build_kwok() {
  local src f
  build_module kwok sigs.k8s.io/kwok "$KWOK_VERSION" \
    "-X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}" sigs.k8s.io/kwok/cmd/kwok
  # kwok does nothing without Stage documents. Install the fast ones from its module: nodes
  # become Ready and keep a lease heartbeat; pods become Ready at once, complete and go away.
  src=$(cd "$WORK/kwok" && mod_info Dir "sigs.k8s.io/kwok@$KWOK_VERSION")/kustomize/stage
  mkdir -p "$CACHE/share"
  for f in "$src"/node/fast/node-initialize.yaml \
    "$src"/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml "$src"/pod/fast/pod-*.yaml; do
    echo "---"
    cat "$f"
  done >"$CACHE/share/kwok-stages.yaml"
}

# --- commands -------------------------------------------------------------------------------

# failure_reason LOG: the last line of a build log that looks like the cause.
failure_reason() {
  local line
  line=$(tac "$1" | grep -m1 -iE 'error|forbidden|cannot|fail|undefined' || tail -n1 "$1")
  line=${line#*\"Error\": }
  echo "${line:0:240}"
}

# build_one TOOL: prints one status line; on failure also the tail of the log, and returns 1.
# A lock per tool lets several build.sh run at once (the sandbox calls it too): the second
# waits for the first and then finds the tool cached.
build_one() {
  local tool=$1 log=$LOGS/$1.log start lock rc=0
  mkdir -p "$LOGS" "$STAMPS" "$CACHE/locks"
  exec {lock}>"$CACHE/locks/$tool.lock"
  flock "$lock"
  if is_cached "$tool"; then
    echo "$tool: cached ($(tool_version "$tool"))"
  else
    rm -f "$STAMPS/$tool"
    start=$SECONDS
    # A process of its own: build_one runs as a condition (`build_one || …`), where bash
    # ignores errexit in every function and subshell it calls.
    "$BASH" "$HERE/build.sh" __build "$tool" >"$log" 2>&1 || rc=$?
    if ((rc == 0)); then
      stamp_of "$tool" >"$STAMPS/$tool"
      echo "$tool: built $(tool_version "$tool") in $((SECONDS - start))s" | tee -a "$log"
    else
      echo "$tool: FAILED: $(failure_reason "$log")"
      echo "    after $((SECONDS - start))s; last lines of $log:"
      tail -n 15 "$log" | sed 's/^/    /'
    fi
  fi
  exec {lock}>&-
  ((rc == 0))
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
  printf '%-28s %-30s %s\n' TOOL VERSION FILES
  for tool in "${TOOLS[@]}"; do
    printf '%-28s %-30s %s\n' "$tool" "$(tool_version "$tool")" "$(tool_files "$tool")"
  done
  for tool in "${UNAVAILABLE_TOOLS[@]}"; do
    printf '%-28s %-30s %s\n' "$tool" "$(tool_version "$tool")" "(not on the proxy; not in all)"
  done
}

case ${1:-all} in
  all) cmd_build "${TOOLS[@]}" ;;
  env) cmd_env ;;
  versions) cmd_versions ;;
  __build) "build_${2//-/_}" ;; # internal: one tool's build, in a process of its own
  *) cmd_build "$@" ;;
esac
