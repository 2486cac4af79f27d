#!/usr/bin/env bash
# Builds the test bed's tools from the Go module proxy into a cache folder outside the work tree.
#
#   build.sh [all|<tool>...]   build (default: all); one line per build unit: built / cached / FAILED
#   build.sh cached [all|<tool>...]  exit 0 when nothing needs building
#   build.sh env               export lines, for: eval "$(testbed/tools/build.sh env)"
#   build.sh versions          the table of units, tools, versions and files
#
# Every version lives in versions.env. A unit is rebuilt only when its stamp (its tools' versions
# plus hashes of its build function and wrapper folder) changed or one of its files is missing.
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
TIMES=$CACHE/times
WORK=$CACHE/work

# A build unit is one Go module (or one set of downloads) that installs one or more tools. The
# tools of a unit share one dependency graph, so a package they have in common (client-go,
# grpc, the Pulumi SDK...) compiles once, not once per tool. `all` builds these, in this order:
# the control plane, the CRDs and the node runtime first (the sandbox needs them), then Pulumi.
UNITS=(kubernetes crds node local-path-provisioner shellcheck pulumi pulumi-resource-kubernetes)
# Tools whose modules the proxy does not serve (403): built only when named, so that `all`
# stays green; naming one shows the proxy's current answer.
UNAVAILABLE_TOOLS=(pulumi-language-nodejs pulumi-language-python livenessprobe
  csi-node-driver-registrar)

# The module proxy is the only network: never fetch another Go toolchain. Wrappers let the go
# command record their dependencies' requirements in their own (cache) go.mod and go.sum.
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
# The compiler with a lighter garbage collector: the machine has memory to spare, not cores.
export GOGC=400
unset GOBIN

# --- what each unit and tool is ---------------------------------------------------------------

# unit_tools UNIT: the tools a unit installs.
unit_tools() {
  case $1 in
    kubernetes) echo etcd kubernetes csi-sanity csi-provisioner csi-attacher csi-resizer \
      csi-snapshotter kwok ;;
    pulumi) echo pulumi pulumi-sdkgen pulumi-language-java pulumi-language-yaml ;;
    *) echo "$1" ;;
  esac
}

# unit_of TOOL: the unit that builds a tool.
unit_of() {
  local unit
  for unit in "${UNITS[@]}"; do
    if [[ " $(unit_tools "$unit") " == *" $1 "* ]]; then
      echo "$unit"
      return
    fi
  done
  tool_version "$1" >/dev/null
  echo "$1"
}

# unit_title UNIT: what the progress lines call a unit.
unit_title() {
  case $1 in
    kubernetes) echo "kubernetes $KUBERNETES_VERSION (etcd, control plane, kubelet, kubectl, CSI sidecars, csi-sanity, kwok)" ;;
    node) echo "node (Debian's containerd $CONTAINERD_VERSION, runc $RUNC_VERSION, CNI plugins $CNI_PLUGINS_VERSION, iptables $IPTABLES_VERSION)" ;;
    crds) echo "crds (KubeVirt $KUBEVIRT_VERSION, snapshot $SNAPSHOT_CRDS_VERSION, Kamaji $KAMAJI_VERSION)" ;;
    pulumi) echo "pulumi $PULUMI_VERSION (CLI, sdkgen, java and yaml hosts)" ;;
    *) echo "$1 $(tool_version "$1")" ;;
  esac
}

# What a first build of each unit took on the 2-core machine, shown until this machine has
# measured its own (times/<unit> in the cache).
expected_seconds() {
  case $1 in
    kubernetes) echo 380 ;;
    crds) echo 30 ;;
    node) echo 20 ;;
    local-path-provisioner) echo 150 ;;
    shellcheck) echo 5 ;;
    pulumi) echo 255 ;;
    pulumi-resource-kubernetes) echo 560 ;;
    *) echo 300 ;;
  esac
}

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
    local-path-provisioner) echo "$LOCAL_PATH_PROVISIONER_VERSION" ;;
    shellcheck) echo "$SHELLCHECK_VERSION" ;;
    node) node_packages | xargs ;;
    crds) echo "kubevirt=$KUBEVIRT_VERSION snapshot=$SNAPSHOT_CRDS_VERSION kamaji=$KAMAJI_VERSION" ;;
    pulumi-language-nodejs | pulumi-language-python) echo "$PULUMI_LANGUAGE_HOSTS_VERSION" ;;
    livenessprobe) echo "$LIVENESSPROBE_VERSION" ;;
    csi-node-driver-registrar) echo "$NODE_DRIVER_REGISTRAR_VERSION" ;;
    *) echo "unknown tool: $1 (known: $(all_tools) ${UNAVAILABLE_TOOLS[*]})" >&2; return 1 ;;
  esac
}

all_tools() {
  local unit
  for unit in "${UNITS[@]}"; do unit_tools "$unit"; done | xargs
}

# tool_files TOOL: what a tool puts into $CACHE (all must exist for the cache to count).
tool_files() {
  case $1 in
    kubernetes) echo bin/kube-apiserver bin/kube-controller-manager bin/kube-scheduler bin/kubectl \
      bin/kubelet bin/kube-proxy ;;
    csi-snapshotter) echo bin/csi-snapshotter bin/snapshot-controller ;;
    kwok) echo bin/kwok share/kwok-stages.yaml ;;
    node) echo node/usr/bin/containerd node/usr/bin/containerd-shim-runc-v2 node/usr/sbin/runc \
      node/usr/lib/cni/bridge node/usr/lib/cni/host-local node/usr/lib/cni/loopback \
      node/bin/iptables node/bin/conntrack ;;
    crds) echo share/crds/kubevirt.io/kubevirt.io_kubevirts.yaml \
      share/crds/kubevirt.io/kubevirt.io_virtualmachines.yaml \
      share/crds/kubevirt.io/kubevirt.io_virtualmachineinstances.yaml \
      share/crds/snapshot.storage.k8s.io/snapshot.storage.k8s.io_volumesnapshots.yaml \
      share/crds/groupsnapshot.storage.k8s.io/groupsnapshot.storage.k8s.io_volumegroupsnapshots.yaml \
      share/crds/kamaji.clastix.io/kamaji.clastix.io_tenantcontrolplanes.yaml ;;
    *) echo "bin/$1" ;;
  esac
}

# --- helpers shared by the build functions --------------------------------------------------

# stamp_of UNIT: its tools' versions plus hashes of its build function and wrapper folder, so
# that editing either rebuilds the unit too.
stamp_of() {
  local wrapper=none recipe tool versions=""
  if [[ -d $HERE/wrappers/$1 ]]; then
    wrapper=$(cd "$HERE/wrappers/$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum |
      sha256sum | cut -c1-12)
  fi
  recipe=$(declare -f "build_${1//-/_}" go_build | sha256sum | cut -c1-12)
  for tool in $(unit_tools "$1"); do versions+="$tool=$(tool_version "$tool") "; done
  echo "${versions}recipe=$recipe wrapper=$wrapper"
}

is_cached() {
  local tool f
  [[ -f $STAMPS/$1 && $(<"$STAMPS/$1") == "$(stamp_of "$1")" ]] || return 1
  for tool in $(unit_tools "$1"); do
    for f in $(tool_files "$tool"); do [[ -f $CACHE/$f ]] || return 1; done
  done
}

# new_wrapper UNIT: a fresh wrapper main module in $WORK/UNIT; prints its path. It starts from
# wrappers/UNIT when that folder exists (for units that need more than requires), else from an
# empty module. The cache copy gets the requires, replaces and go.sum; the repo stays minimal.
new_wrapper() {
  local dir=$WORK/$1
  rm -rf "$dir"
  mkdir -p "$dir/out"
  if [[ -d $HERE/wrappers/$1 ]]; then
    cp -R "$HERE/wrappers/$1/." "$dir/"
  else
    printf 'module kmetal.local/testbed/%s\n\ngo 1.26.0\n' "$1" >"$dir/go.mod"
  fi
  echo "$dir"
}

# mod_info FIELD MODULE@VERSION: a field (GoMod, Dir, Sum, ...) of `go mod download -json`.
# Run it inside a wrapper so that the wrapper's go.sum is used to verify the download.
mod_info() {
  local json
  json=$(go mod download -json "$2") || { echo "$json" >&2; return 1; }
  jq -r --arg field "$1" '.[$field] // empty' <<<"$json"
}

# replaces_of GOMOD: the replace directives of a go.mod, one "old [v] => new [v]" a line.
replaces_of() {
  go mod edit -json "$1" | jq -r '.Replace[]? |
    "\(.Old.Path)\(if .Old.Version then " " + .Old.Version else "" end) => " +
    "\(.New.Path)\(if .New.Version then " " + .New.Version else "" end)"'
}

# requires_of GOMOD: the module paths a go.mod requires.
requires_of() {
  go mod edit -json "$1" | jq -r '.Require[]?.Path'
}

# require DIR MODULE VERSION [SIBLINGS]: makes the wrapper at DIR require MODULE@VERSION and
# repeats the replace directives of MODULE's go.mod, since the go command ignores replaces
# outside the main module. A replace to a local folder names a sibling module of the same
# repository: upstream builds it from the same commit, so the wrapper requires it at the
# module's own tag (or SIBLINGS). Local replaces of modules the module does not require (etcd's
# FORBIDDEN_DEPENDENCY guards) are dropped.
require() {
  local dir=$1 module=$2 version=$3 siblings=${4:-$3} gomod old new
  local -a required
  (cd "$dir" && go mod edit -require="$module@$version")
  gomod=$(cd "$dir" && mod_info GoMod "$module@$version")
  mapfile -t required < <(requires_of "$gomod")
  while IFS= read -r line; do
    old=${line%%=>*} new=${line#*=>}
    read -r old _ <<<"$old"
    new=$(xargs <<<"$new")
    if [[ $new == .* || $new == /* ]]; then
      if printf '%s\n' "${required[@]}" | grep -qxF "$old"; then
        (cd "$dir" && go mod edit -require="$old@$siblings")
      fi
    else
      (cd "$dir" && go mod edit -replace="$old=${new% *}@${new#* }")
    fi
  done < <(replaces_of "$gomod")
}

# go_build DIR OUT LDFLAGS PKG...: builds the packages from the module in DIR to OUT (a folder
# ending in /, or a file for one package). No debug information: the binaries are stripped.
go_build() {
  local dir=$1 out=$2 ldflags=$3
  shift 3
  (cd "$dir" && go build -trimpath -p 2 -gcflags=all=-dwarf=false -ldflags "-s -w $ldflags" \
    -o "$out" "$@")
}

# install_out DIR: moves what DIR/out holds (bin/..., share/...) into $CACHE. Building into
# DIR/out first means a failed build never leaves a half-updated cache.
install_out() {
  local sub
  for sub in "$1"/out/*/; do
    sub=$(basename "$sub")
    mkdir -p "$CACHE/$sub"
    cp -R "$1/out/$sub/." "$CACHE/$sub/"
  done
}

# --- one function per unit ------------------------------------------------------------------

# One wrapper module for etcd, the Kubernetes binaries, the CSI sidecars, csi-sanity and kwok,
# with Kubernetes' own staging versions for all: the sidecars and kwok (built upstream against
# k8s.io v0.36.1) get the patch release of the control plane, and grpc, protobuf and the rest
# resolve once for all of them (minimal version selection: the newest any of them asks for).
build_kubernetes() {
  local dir kmod minor staging v=k8s.io/component-base/version src f
  dir=$(new_wrapper kubernetes)
  require "$dir" go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
  require "$dir" github.com/kubernetes-csi/csi-test/v5 "$CSI_SANITY_VERSION"
  require "$dir" github.com/kubernetes-csi/external-provisioner/v6 "$CSI_PROVISIONER_VERSION"
  require "$dir" github.com/kubernetes-csi/external-attacher/v4 "$CSI_ATTACHER_VERSION"
  require "$dir" github.com/kubernetes-csi/external-resizer/v2 "$CSI_RESIZER_VERSION"
  # Its client/v8 => ./client becomes a require of client/v8 at this tag.
  require "$dir" github.com/kubernetes-csi/external-snapshotter/v8 "$CSI_SNAPSHOTTER_VERSION"
  require "$dir" sigs.k8s.io/kwok "$KWOK_VERSION"
  # Last, so that its pins win over the sidecars' replaces of the same modules. k/k requires
  # its staging modules at v0.0.0 and replaces them with ./staging/src/k8s.io/<x>: pin each to
  # its published v0.<minor>.<patch> tag; reading the list from k/k's own go.mod keeps this
  # right when staging modules come and go (1.36 added streaming, cri-streaming).
  (cd "$dir" && go mod edit -require="k8s.io/kubernetes@$KUBERNETES_VERSION")
  kmod=$(cd "$dir" && mod_info GoMod "k8s.io/kubernetes@$KUBERNETES_VERSION")
  for staging in $(replaces_of "$kmod" | awk '$2 == "=>" && $3 ~ /^\.\/staging\// { print $1 }'); do
    (cd "$dir" && go mod edit -replace="$staging=$staging@v0.${KUBERNETES_VERSION#v1.}")
  done
  minor=$(cut -d. -f2 <<<"$KUBERNETES_VERSION")
  # One go build for the Kubernetes binaries (the control plane, kubectl, and kubelet and
  # kube-proxy for the sandbox's real nodes); then one per tool with a -X of its own
  # (every later build finds the packages it shares in the build cache).
  go_build "$dir" "$dir/out/bin/" "-X $v.gitVersion=$KUBERNETES_VERSION -X $v.gitMajor=1 \
-X $v.gitMinor=$minor -X $v.gitTreeState=clean" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl \
    k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy
  # server/v3's root package is etcd's own main (it only calls etcdmain.Main).
  go_build "$dir" "$dir/out/bin/etcd" "" go.etcd.io/etcd/server/v3
  go_build "$dir" "$dir/out/bin/" "" github.com/kubernetes-csi/csi-test/v5/cmd/csi-sanity
  # The sidecars print main.version (upstream's release.tools sets it the same way).
  go_build "$dir" "$dir/out/bin/" "-X main.version=$CSI_PROVISIONER_VERSION" \
    github.com/kubernetes-csi/external-provisioner/v6/cmd/csi-provisioner
  go_build "$dir" "$dir/out/bin/" "-X main.version=$CSI_ATTACHER_VERSION" \
    github.com/kubernetes-csi/external-attacher/v4/cmd/csi-attacher
  go_build "$dir" "$dir/out/bin/" "-X main.version=$CSI_RESIZER_VERSION" \
    github.com/kubernetes-csi/external-resizer/v2/cmd/csi-resizer
  go_build "$dir" "$dir/out/bin/" "-X main.version=$CSI_SNAPSHOTTER_VERSION" \
    github.com/kubernetes-csi/external-snapshotter/v8/cmd/csi-snapshotter \
    github.com/kubernetes-csi/external-snapshotter/v8/cmd/snapshot-controller
  go_build "$dir" "$dir/out/bin/" "-X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}" \
    sigs.k8s.io/kwok/cmd/kwok
  # kwok does nothing without Stage documents. Install the fast ones from its module: nodes
  # become Ready and keep a lease heartbeat; pods become Ready at once, complete and go away.
  src=$(cd "$dir" && mod_info Dir "sigs.k8s.io/kwok@$KWOK_VERSION")/kustomize/stage
  mkdir -p "$dir/out/share"
  for f in "$src"/node/fast/node-initialize.yaml \
    "$src"/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml "$src"/pod/fast/pod-*.yaml; do
    echo "---"
    cat "$f"
  done >"$dir/out/share/kwok-stages.yaml"
  install_out "$dir"
}

# node_packages: the Debian packages of a real node, as "package=upstream-version": containerd
# with its CRI plugin, runc, the CNI plugins (bridge, host-local, loopback, ...), and for
# kube-proxy iptables (the nf_tables backend) and conntrack with the libraries the base system
# lacks. The upstream versions are pinned; the Debian revision is what the archive serves now
# (security updates replace older ones), and `versions` shows it in the stamp.
node_packages() {
  printf '%s\n' "containerd=$CONTAINERD_VERSION" "runc=$RUNC_VERSION" \
    "containernetworking-plugins=$CNI_PLUGINS_VERSION" "iptables=$IPTABLES_VERSION" \
    "libxtables12=$IPTABLES_VERSION" "libip4tc2=$IPTABLES_VERSION" "libip6tc2=$IPTABLES_VERSION" \
    "libnftnl11=" "libmnl0=" "conntrack=$CONNTRACK_VERSION" "libnetfilter-conntrack3=" \
    "libnfnetlink0="
}

# upstream_of DEBIAN-VERSION: the upstream part (no epoch, no Debian revision or repack suffix).
upstream_of() {
  local v=${1#*:}
  echo "${v%%[~+-]*}"
}

# The node runtime from Debian's archive: each package's candidate checked against its pinned
# upstream version, downloaded and unpacked (dpkg -x: nothing is installed on the machine, no
# maintainer script runs) into node/ of the cache. bin/ gets the commands kube-proxy and the CNI
# plugins look up on PATH, as wrappers that find their libraries beside them.
build_node() {
  local dir=$WORK/node line pkg want version debs=() name
  rm -rf "$dir"
  mkdir -p "$dir/debs" "$dir/out/node/bin"
  [[ -n $(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' 2>/dev/null) ]] || apt-get update -q
  while IFS= read -r line; do
    pkg=${line%%=*} want=${line#*=}
    version=$(apt-cache show --no-all-versions "$pkg" | sed -n 's/^Version: //p' | head -n 1)
    [[ -n $version ]] || { echo "Debian's archive has no package $pkg" >&2; return 1; }
    if [[ -n $want && $(upstream_of "$version") != "$want" ]]; then
      echo "Debian's $pkg is $version, not upstream $want: update versions.env" >&2
      return 1
    fi
    debs+=("$pkg=$version")
    echo "$pkg $version" >>"$dir/out/node/VERSIONS"
  done < <(node_packages)
  (cd "$dir/debs" && apt-get download -q "${debs[@]}")
  for f in "$dir"/debs/*.deb; do dpkg-deb -x "$f" "$dir/out/node"; done
  cat >"$dir/out/node/bin/xtables" <<'SH'
#!/bin/sh
# iptables (nf_tables backend) and conntrack from the Debian packages unpacked in this folder's
# parent, with their libraries and extensions from there. Called by the name of a link to this file.
root=$(cd "$(dirname "$0")/.." && pwd)
export LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export XTABLES_LIBDIR="$root/usr/lib/x86_64-linux-gnu/xtables"
name=$(basename "$0")
[ "$name" = conntrack ] && exec "$root/usr/sbin/conntrack" "$@"
exec "$root/usr/sbin/xtables-nft-multi" "$name" "$@"
SH
  chmod 755 "$dir/out/node/bin/xtables"
  for name in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore \
    conntrack; do
    ln -s xtables "$dir/out/node/bin/$name"
  done
  "$dir/out/node/bin/iptables" --version >/dev/null
  rm -rf "$CACHE/node"
  install_out "$dir"
}

# The shell linter ShellScriptsIT runs over the project's scripts: Debian's shellcheck and the two
# libraries it links, unpacked (dpkg -x) into shellcheck/ of the cache; bin/shellcheck runs it
# with those libraries.
build_shellcheck() {
  local dir=$WORK/shellcheck version f
  rm -rf "$dir"
  mkdir -p "$dir/debs" "$dir/out/shellcheck" "$dir/out/bin"
  [[ -n $(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' 2>/dev/null) ]] || apt-get update -q
  version=$(apt-cache show --no-all-versions shellcheck | sed -n 's/^Version: //p' | head -n 1)
  if [[ $(upstream_of "$version") != "$SHELLCHECK_VERSION" ]]; then
    echo "Debian's shellcheck is $version, not upstream $SHELLCHECK_VERSION: update versions.env" >&2
    return 1
  fi
  (cd "$dir/debs" && apt-get download -q "shellcheck=$version" libffi8 libgmp10)
  for f in "$dir"/debs/*.deb; do dpkg-deb -x "$f" "$dir/out/shellcheck"; done
  cat >"$dir/out/bin/shellcheck" <<'SH'
#!/bin/sh
# Debian's shellcheck, unpacked in ../shellcheck with the libraries it links.
root=$(cd "$(dirname "$0")/../shellcheck" && pwd)
export LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
exec "$root/usr/bin/shellcheck" "$@"
SH
  chmod 755 "$dir/out/bin/shellcheck"
  "$dir/out/bin/shellcheck" --version >/dev/null
  rm -rf "$CACHE/shellcheck"
  install_out "$dir"
}

# The local-path provisioner the platform's local-path tiers render, for the sandbox's real nodes.
# A module of its own: it is built against client-go v0.30, older than the kubernetes unit's.
build_local_path_provisioner() {
  local dir
  dir=$(new_wrapper local-path-provisioner)
  require "$dir" github.com/rancher/local-path-provisioner "$LOCAL_PATH_PROVISIONER_VERSION"
  go_build "$dir" "$dir/out/bin/local-path-provisioner" \
    "-X main.VERSION=${LOCAL_PATH_PROVISIONER_VERSION#v}" github.com/rancher/local-path-provisioner
  install_out "$dir"
}

# The CRDs the sandbox installs that upstream serves as modules (the project writes its own
# for CDI and HPP, whose modules the proxy refuses: testbed/sandbox/crds). Copied verbatim,
# except VirtualMachine and VirtualMachineInstance, which KubeVirt commits nowhere: virt-operator
# builds them at install time, and wrappers/crds runs its generator functions. Their package
# (pkg/virt-operator/resource/generate/components) cannot be built here as a whole: it imports
# kubevirt.io/virt-template-api and -client-go, which the proxy refuses. Its two files that
# define the CRDs (crds.go with the generators, validations_generated.go with their schemas)
# need neither, so the wrapper builds those two, unchanged, as a package of its own.
build_crds() {
  local dir src out
  dir=$(new_wrapper crds)
  out=$dir/out/share/crds
  mkdir -p "$out"/{snapshot.storage.k8s.io,groupsnapshot.storage.k8s.io,kamaji.clastix.io,kubevirt.io}
  src=$(cd "$dir" && mod_info Dir \
    "github.com/kubernetes-csi/external-snapshotter/client/v8@$SNAPSHOT_CRDS_VERSION")/config/crd
  cp "$src"/snapshot.storage.k8s.io_*.yaml "$out/snapshot.storage.k8s.io/"
  cp "$src"/groupsnapshot.storage.k8s.io_*.yaml "$out/groupsnapshot.storage.k8s.io/"
  src=$(cd "$dir" && mod_info Dir "github.com/clastix/kamaji@$KAMAJI_VERSION")/charts/kamaji/crds
  cp "$src/tenantcontrolplane.yaml" "$out/kamaji.clastix.io/kamaji.clastix.io_tenantcontrolplanes.yaml"
  require "$dir" kubevirt.io/kubevirt "$KUBEVIRT_VERSION"
  src=$(cd "$dir" && mod_info Dir "kubevirt.io/kubevirt@$KUBEVIRT_VERSION")
  cp "$src/manifests/generated/kv-resource.yaml" "$out/kubevirt.io/kubevirt.io_kubevirts.yaml"
  mkdir -p "$dir/components"
  cp "$src"/pkg/virt-operator/resource/generate/components/{crds.go,validations_generated.go} \
    "$dir/components/"
  chmod u+w "$dir"/components/*
  go_build "$dir" "$dir/kubevirt-crds" "" .
  "$dir/kubevirt-crds" "$out/kubevirt.io"
  chmod -R u+w "$out"
  install_out "$dir"
}

# One wrapper module for the CLI, the language hosts and pulumi-sdkgen: pulumi-java and
# pulumi-yaml (built upstream against pkg/sdk v3.254.0 and v3.257.0) get the CLI's v3.259.0.
# SDK generation for nodejs, python and go: `pulumi package gen-sdk` needs those languages'
# host plugins, which the proxy does not serve; wrappers/pulumi/cmd/pulumi-sdkgen calls the
# CLI's own codegen.
build_pulumi() {
  local dir version=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version
  dir=$(new_wrapper pulumi)
  require "$dir" github.com/pulumi/pulumi-java "$PULUMI_JAVA_VERSION"
  require "$dir" github.com/pulumi/pulumi-yaml "$PULUMI_YAML_VERSION"
  # pkg/v3 replaces sdk/v3 with ../sdk: require makes that sdk/v3 at the same tag.
  require "$dir" github.com/pulumi/pulumi/pkg/v3 "$PULUMI_VERSION"
  go_build "$dir" "$dir/out/bin/" "-X $version=$PULUMI_VERSION" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi ./cmd/pulumi-sdkgen
  go_build "$dir" "$dir/out/bin/" \
    "-X github.com/pulumi/pulumi-java/pkg/version.Version=${PULUMI_JAVA_VERSION#v}" \
    github.com/pulumi/pulumi-java/pkg/cmd/pulumi-language-java
  go_build "$dir" "$dir/out/bin/" \
    "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=${PULUMI_YAML_VERSION#v}" \
    github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
  install_out "$dir"
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
  go_build "$dir/provider" "$dir/out/bin/" \
    "-X $mod/pkg/version.Version=$PULUMI_KUBERNETES_VERSION" ./cmd/pulumi-resource-kubernetes
  install_out "$dir"
}

# build_single UNIT MODULE VERSION LDFLAGS PKG: a wrapper that requires MODULE@VERSION and
# builds PKG (the tools the proxy does not serve today).
build_single() {
  local dir
  dir=$(new_wrapper "$1")
  require "$dir" "$2" "$3"
  go_build "$dir" "$dir/out/bin/" "$4" "$5"
  install_out "$dir"
}

# The language hosts' go.mod replaces pkg/v3 and sdk/v3 with the folders of the same commit,
# which are tagged $PULUMI_VERSION.
build_pulumi_language_host() {
  local module=github.com/pulumi/pulumi/sdk/$1/cmd/pulumi-language-$1/v3 dir
  dir=$(new_wrapper "pulumi-language-$1")
  require "$dir" "$module" "$PULUMI_LANGUAGE_HOSTS_VERSION" "$PULUMI_VERSION"
  go_build "$dir" "$dir/out/bin/" \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" "$module"
  install_out "$dir"
}

build_pulumi_language_nodejs() { build_pulumi_language_host nodejs; }
build_pulumi_language_python() { build_pulumi_language_host python; }

build_livenessprobe() {
  build_single livenessprobe github.com/kubernetes-csi/livenessprobe/v2 \
    "$LIVENESSPROBE_VERSION" "-X main.version=$LIVENESSPROBE_VERSION" \
    github.com/kubernetes-csi/livenessprobe/v2/cmd/livenessprobe
}

build_csi_node_driver_registrar() {
  build_single csi-node-driver-registrar github.com/kubernetes-csi/node-driver-registrar/v2 \
    "$NODE_DRIVER_REGISTRAR_VERSION" "-X main.version=$NODE_DRIVER_REGISTRAR_VERSION" \
    github.com/kubernetes-csi/node-driver-registrar/v2/cmd/csi-node-driver-registrar
}

# --- commands -------------------------------------------------------------------------------

# failure_reason LOG: the last line of a build log that looks like the cause.
failure_reason() {
  local line
  line=$(tac "$1" | grep -m1 -iE 'error|forbidden|cannot|fail|undefined' || tail -n1 "$1")
  line=${line#*\"Error\": }
  echo "${line:0:240}"
}

# minutes SECONDS: "6m10s".
minutes() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# progress STEP UNIT PID: while PID runs, says how long the unit has been building and what it
# took last time: on a terminal one line updated every second, elsewhere a line a minute.
progress() {
  local step=$1 unit=$2 pid=$3 start=$SECONDS next=0 expected about tty=0 line
  expected=$(cat "$TIMES/$unit" 2>/dev/null || expected_seconds "$unit")
  about="about $(((expected + 30) / 60)) min on this machine"
  [[ -f $TIMES/$unit ]] || about="about $(((expected + 30) / 60)) min on 2 cores"
  [[ -t 1 ]] && tty=1
  while kill -0 "$pid" 2>/dev/null; do
    line="[$step] $(unit_title "$unit")… building, $(minutes $((SECONDS - start))) ($about)"
    if ((tty)); then
      printf '\r\033[K%s' "$line"
    elif ((SECONDS - start >= next)); then
      echo "$line"
      next=$((next + 60))
    fi
    sleep 1
  done
  ((tty)) && printf '\r\033[K'
  return 0
}

# build_unit STEP UNIT: prints the unit's status; on failure also the tail of its log, and
# returns 1. A lock per unit lets several build.sh run at once (the sandbox calls it too): the
# second waits for the first and then finds the unit cached.
build_unit() {
  local step=$1 unit=$2 log=$LOGS/$2.log start lock pid rc=0
  mkdir -p "$LOGS" "$STAMPS" "$TIMES" "$CACHE/locks"
  exec {lock}>"$CACHE/locks/$unit.lock"
  flock "$lock"
  if is_cached "$unit"; then
    echo "[$step] $(unit_title "$unit"): cached"
  else
    rm -f "$STAMPS/$unit"
    start=$SECONDS
    # A process of its own: build_unit runs as a condition (`build_unit || …`), where bash
    # ignores errexit in every function and subshell it calls.
    "$BASH" "$HERE/build.sh" __build "$unit" >"$log" 2>&1 &
    pid=$!
    progress "$step" "$unit" "$pid"
    wait "$pid" || rc=$?
    if ((rc == 0)); then
      stamp_of "$unit" >"$STAMPS/$unit"
      echo $((SECONDS - start)) >"$TIMES/$unit"
      echo "[$step] $(unit_title "$unit"): built in $(minutes $((SECONDS - start)))" | tee -a "$log"
    else
      echo "[$step] $(unit_title "$unit"): FAILED: $(failure_reason "$log")"
      echo "    after $(minutes $((SECONDS - start))); last lines of $log:"
      tail -n 15 "$log" | sed 's/^/    /'
    fi
  fi
  exec {lock}>&-
  ((rc == 0))
}

# units_of TOOL...: the units of the named tools (all: every unit), each once, in the order named.
units_of() {
  local tool unit units=()
  [[ ${1:-all} == all ]] && set -- "${UNITS[@]}"
  for tool in "$@"; do
    unit=$(unit_of "$tool")
    [[ " ${units[*]} " == *" $unit "* ]] || units+=("$unit")
  done
  echo "${units[@]}"
}

# cmd_build TOOL...: builds the units of the named tools.
cmd_build() {
  local failed=() i units
  read -ra units <<<"$(units_of "$@")"
  for i in "${!units[@]}"; do
    build_unit "$((i + 1))/${#units[@]}" "${units[$i]}" || failed+=("${units[$i]}")
  done
  if ((${#failed[@]})); then
    echo "FAILED: ${failed[*]}" >&2
    return 1
  fi
}

cmd_cached() {
  local unit
  for unit in $(units_of "$@"); do is_cached "$unit" || return 1; done
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
  local unit tool
  printf '%-28s %-28s %-40s %s\n' UNIT TOOL VERSION FILES
  for unit in "${UNITS[@]}"; do
    for tool in $(unit_tools "$unit"); do
      printf '%-28s %-28s %-40s %s\n' "$unit" "$tool" "$(tool_version "$tool")" "$(tool_files "$tool")"
    done
  done
  for tool in "${UNAVAILABLE_TOOLS[@]}"; do
    printf '%-28s %-28s %-40s %s\n' "$tool" "$tool" "$(tool_version "$tool")" "(not on the proxy; not in all)"
  done
}

main() {
  case ${1:-all} in
    cached) shift; cmd_cached "$@" ;;
    env) cmd_env ;;
    versions) cmd_versions ;;
    __build) "build_${2//-/_}" ;; # internal: one unit's build, in a process of its own
    *) cmd_build "$@" ;;
  esac
}

# On one line: bash has read all of it before it runs, so an edit of this file during a build
# cannot make a running build.sh read on into the new text.
main "$@"; exit
