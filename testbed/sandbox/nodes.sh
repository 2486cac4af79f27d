# shellcheck shell=bash
# Real nodes for the sandbox's clusters (sourced by sandbox.sh; `up --with-kubelet`).
#
# A node is a kubelet and kube-proxy (built with the control plane), its own containerd and runc
# (Debian's, unpacked by `build.sh node`) and the bridge + host-local CNI plugins, all started
# inside two namespaces of the node's own, as a kind node is isolated:
#   - a network namespace, joined to the sandbox's bridge by a veth pair;
#   - a mount namespace (kept in the node folder's mnt.ns) in which the node's own folders are
#     bind-mounted over the standard paths (/var/lib/kubelet, /var/lib/containerd,
#     /run/containerd, /etc/cni/net.d, /var/lib/cni, /run/netns, /var/log/pods,
#     /var/log/containers, /dev/disk), so rendered hostPaths work unchanged and two nodes never
#     see each other's plugin sockets, mounts or iptables rules.
#
# Addresses (RFC 2544's 198.18.0.0/15 only; the sandbox's slot S picks its own part of it):
#   bridge kmsb<S> on the host: 198.18.<16S>.1/24, the address every API server listens on
#   node k:                      198.18.<16S>.<10+k>/24 on its eth0, pods on 198.18.<16S+1+k>.0/24
#   service IPs:                 198.19.<16S>.0/24 (under), 198.19.<16S+1>.0/24 (tenants)
# The host routes each node's pod range and the under cluster's service range to the nodes, so
# the API servers reach pods and the under cluster's Services (kube-proxy on the under nodes
# translates); each node routes its siblings' pod ranges. The host forwards nothing.

NODE_ROOT=$CACHE/tools/node
NODE_SUBNETS=15
CGROUP_SUBSYSTEMS=(cpu cpuacct cpuset memory devices freezer blkio pids systemd)

# --- the sandbox's network -----------------------------------------------------------------

# ensure_network: picks the sandbox's slot once (the first whose bridge no other sandbox has),
# writes $SB/net.env and brings the bridge up. Every `up` does this, with or without nodes: the
# API servers listen on the bridge address so that nodes and pods can reach them.
ensure_network() {
  local slot
  if [[ ! -f $SB/net.env ]]; then
    for ((slot = 0; slot < 16; slot++)); do
      ip link show "kmsb$slot" >/dev/null 2>&1 && continue
      grep -qx "SLOT=$slot" "$CACHE"/*/net.env 2>/dev/null && continue
      break
    done
    ((slot < 16)) || die "all 16 sandbox network slots are taken (ip link show type bridge)"
    {
      echo "SLOT=$slot"
      echo "BRIDGE=kmsb$slot"
      echo "HOST_IP=198.18.$((slot * 16)).1"
      echo "UNDER_SERVICE_CIDR=198.19.$((slot * 16)).0/24"
      echo "TENANT_SERVICE_CIDR=198.19.$((slot * 16 + 1)).0/24"
      echo "KWOK_POD_CIDR=198.19.$((slot * 16 + 8)).1/21"
      echo "CLUSTER_CIDR=198.18.$((slot * 16)).0/20"
    } >"$SB/net.env"
  fi
  # shellcheck source=/dev/null
  source "$SB/net.env"
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
  fi
  ip addr replace "$HOST_IP/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
}

# load_network: the sandbox's addresses, as `up` picked them (none before the first `up`).
load_network() {
  # shellcheck source=/dev/null
  [[ -f $SB/net.env ]] && source "$SB/net.env"
  return 0
}

# service_cidr NAME: the service range of a cluster.
service_cidr() {
  if [[ $1 == under ]]; then echo "$UNDER_SERVICE_CIDR"; else echo "$TENANT_SERVICE_CIDR"; fi
}

# first_ip CIDR: the first host address of a /24 (the kubernetes Service's address).
first_ip() { local n=${1%/*}; echo "${n%.*}.1"; }

# down_network: removes the bridge once no node is left (the API servers are stopped first).
down_network() {
  [[ -f $SB/net.env ]] || return 0
  # shellcheck source=/dev/null
  source "$SB/net.env"
  ip link del "$BRIDGE" 2>/dev/null || true
}

# --- naming ----------------------------------------------------------------------------------

# cluster_nodes NAME: the real nodes of a cluster. The under cluster's are named as the acceptance
# fleet's local-path node maps name them (c1 a control-plane node, w1 a worker); a tenant
# cluster has one worker, named after its VM.
cluster_nodes() {
  if [[ $1 == under ]]; then echo c1 w1; else echo "$(basename "$1")-worker-0"; fi
}

node_dir() { echo "$(cluster_dir "$1")/nodes/$2"; }

# all_nodes: "cluster node" for every node that has a folder, across the sandbox.
all_nodes() {
  local d rel
  for d in "$SB"/under/nodes/*/ "$SB"/tenants/*/*/nodes/*/; do
    [[ -f $d/node.env ]] || continue
    rel=${d#"$SB/"}
    rel=${rel%/}
    if [[ $rel == under/* ]]; then
      echo "under ${rel##*/}"
    else
      rel=${rel#tenants/}
      echo "${rel%%/nodes/*} ${rel##*/}"
    fi
  done
}

# ensure_node_env CLUSTER NODE: the node's index, addresses and names, picked once.
ensure_node_env() {
  local dir index used
  dir=$(node_dir "$1" "$2")
  mkdir -p "$dir"
  if [[ ! -f $dir/node.env ]]; then
    used=$(cat "$SB"/under/nodes/*/node.env "$SB"/tenants/*/*/nodes/*/node.env 2>/dev/null |
      sed -n 's/^INDEX=//p' || true)
    for ((index = 0; index < NODE_SUBNETS; index++)); do
      grep -qx "$index" <<<"$used" || break
    done
    ((index < NODE_SUBNETS)) || die "no free node slot in the sandbox ($NODE_SUBNETS nodes at most)"
    {
      echo "INDEX=$index"
      # shellcheck disable=SC2153 # SLOT comes from the sourced net.env
      echo "NODE_IP=198.18.$((SLOT * 16)).$((10 + index))"
      echo "POD_CIDR=198.18.$((SLOT * 16 + 1 + index)).0/24"
      echo "NETNS=kmsb$SLOT-n$index"
      echo "VETH=kmsb${SLOT}n$index"
      echo "CGROUP_ROOT=$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup | sed 's|/$||')/kmetal-sb$SLOT-n$index"
    } >"$dir/node.env"
  fi
}

# ensure_inotify: every kubelet, containerd (its CRI plugin watches the CNI folder) and API server
# holds inotify instances; the kernel's default of 128 per user runs out with four nodes beside a
# test suite, and containerd then starts without its CRI service. Raised as kind asks for.
ensure_inotify() {
  local instances=/proc/sys/fs/inotify/max_user_instances watches=/proc/sys/fs/inotify/max_user_watches
  (($(<"$instances") >= 1024)) || echo 1024 >"$instances"
  (($(<"$watches") >= 524288)) || echo 524288 >"$watches"
}

# --- one node ------------------------------------------------------------------------------

# node_netns DIR: the node's network namespace, joined to the bridge; routes to every pod range.
node_netns() {
  local dir=$1
  # shellcheck disable=SC2153 # NETNS comes from the sourced node.env
  if [[ ! -e /run/netns/$NETNS ]]; then
    ip netns add "$NETNS"
  fi
  if ! ip link show "$VETH" >/dev/null 2>&1; then
    ip link add "$VETH" type veth peer name "${VETH}p"
    ip link set "${VETH}p" netns "$NETNS"
    ip -n "$NETNS" link set "${VETH}p" name eth0
  fi
  ip link set "$VETH" master "$BRIDGE" up
  ip -n "$NETNS" link set lo up
  ip -n "$NETNS" addr replace "$NODE_IP/24" dev eth0
  ip -n "$NETNS" link set eth0 up
  ip -n "$NETNS" route replace default via "$HOST_IP"
  ip netns exec "$NETNS" sysctl -qw net.ipv4.ip_forward=1
  ip netns exec "$NETNS" sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
  ip route replace "$POD_CIDR" via "$NODE_IP" dev "$BRIDGE"
}

# route_pod_ranges: every node routes the other nodes' pod ranges over the bridge.
route_pod_ranges() {
  local cluster node other_cluster other ip cidr netns
  while read -r cluster node; do
    netns=$(sed -n 's/^NETNS=//p' "$(node_dir "$cluster" "$node")/node.env")
    [[ -e /run/netns/$netns ]] || continue
    while read -r other_cluster other; do
      [[ $other_cluster/$other == "$cluster/$node" ]] && continue
      ip=$(sed -n 's/^NODE_IP=//p' "$(node_dir "$other_cluster" "$other")/node.env")
      cidr=$(sed -n 's/^POD_CIDR=//p' "$(node_dir "$other_cluster" "$other")/node.env")
      ip -n "$netns" route replace "$cidr" via "$ip" dev eth0
    done < <(all_nodes)
  done < <(all_nodes)
}

# route_services: the host reaches the under cluster's Services through node c1, whose
# kube-proxy translates (and masquerades, so the reply comes back the same way); the tenant API
# servers call the quota webhook's Service so, as Kamaji's tenant control planes would.
route_services() {
  local env
  env=$(node_dir under c1)/node.env
  [[ -f $env ]] || return 0
  ip route replace "$UNDER_SERVICE_CIDR" via "$(sed -n 's/^NODE_IP=//p' "$env")" dev "$BRIDGE"
}

# The node's private folders and where its mount namespace shows them.
NODE_MOUNTS=(kubelet:/var/lib/kubelet containerd:/var/lib/containerd run:/run/containerd
  cni-conf:/etc/cni/net.d cni-state:/var/lib/cni netns:/run/netns pod-logs:/var/log/pods
  container-logs:/var/log/containers dev-disk:/dev/disk udev:/run/udev data:/var/data)

# node_mountns DIR: creates the node's mount namespace once (private to the node, shared inside
# it, so the kubelet's Bidirectional mounts propagate to its containers) with its folders.
node_mountns() {
  local dir=$1 pair script=""
  [[ -f $dir/mnt.ns ]] && nsenter --mount="$dir/mnt.ns" true 2>/dev/null && return 0
  for pair in "${NODE_MOUNTS[@]}"; do
    mkdir -p "$dir/${pair%%:*}"
    script+="mkdir -p ${pair#*:} && mount --bind $dir/${pair%%:*} ${pair#*:} && "
  done
  touch "$dir/mnt.ns"
  unshare --mount="$dir/mnt.ns" --propagation private true
  nsenter --mount="$dir/mnt.ns" -- sh -ec "mount --make-rshared / && ${script}true"
}

# node_cgroups: the node's cgroup root in every v1 hierarchy (the kubelet checks that it exists),
# below this process's memory cgroup so that the pods stay inside what runs the sandbox.
#
# A node stands for a machine, but its cgroup competes with the test bed's own processes (API
# servers, etcd, the Pulumi engine and plugins, Maven) as one of them: with the default weight
# (cpu.shares 1024) the thirty containers starting on a node got the CPU of one process, and the
# sidecars' one-second start-up calls to the driver timed out. The node gets the weight of
# NODE_CPU_SHARES / 1024 processes instead.
NODE_CPU_SHARES=4096
node_cgroups() {
  local sub
  for sub in "${CGROUP_SUBSYSTEMS[@]}"; do
    [[ -d /sys/fs/cgroup/$sub ]] && mkdir -p "/sys/fs/cgroup/$sub$CGROUP_ROOT"
  done
  if [[ -w /sys/fs/cgroup/cpu$CGROUP_ROOT/cpu.shares ]]; then
    echo "$NODE_CPU_SHARES" >"/sys/fs/cgroup/cpu$CGROUP_ROOT/cpu.shares"
  fi
  return 0
}

# node_exec DIR CMD...: runs CMD in the node's namespaces.
node_exec() {
  local dir=$1
  shift
  nsenter --mount="$dir/mnt.ns" --net="/run/netns/$NETNS" -- "$@"
}

# write_file FILE: writes stdin to FILE only when that changes it (containerd, the kubelet and
# kube-proxy watch or cache their configuration: an unchanged node keeps running untouched).
write_file() {
  local tmp
  tmp=$(mktemp "$1.XXXXXX")
  cat >"$tmp"
  if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; fi
}

write_node_configs() {
  local cluster=$1 node=$2 dir=$3 cdir port
  cdir=$(cluster_dir "$cluster")
  mkdir -p "$dir/config"
  issue "$dir/config" kubelet ca "/O=system:nodes/CN=system:node:$node" "IP:$NODE_IP,DNS:$node"
  issue "$dir/config" kube-proxy ca "/CN=system:kube-proxy"
  port=$(sed -n 's/^APISERVER_PORT=//p' "$cdir/ports.env")
  write_kubeconfig "$dir/config/kubelet.kubeconfig" "$(context_name "$cluster")" "$port" \
    "$dir/config/kubelet"
  write_kubeconfig "$dir/config/kube-proxy.kubeconfig" "$(context_name "$cluster")" "$port" \
    "$dir/config/kube-proxy"
  # The sandbox has no cluster DNS: pods get a resolver that fails at once (nothing answers on
  # their loopback) instead of this machine's, which their network cannot and must not reach.
  printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' | write_file "$dir/config/resolv.conf"
  write_file "$dir/config/containerd.toml" <<EOF
version = 2
root = "/var/lib/containerd"
state = "/run/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "/run/containerd/containerd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # Without CAP_SYS_RESOURCE runc cannot lower a sandbox's oom_score_adj below ours.
  restrict_oom_score_adj = true
  disable_apparmor = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$NODE_ROOT/usr/sbin/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$NODE_ROOT/usr/lib/cni"
    conf_dir = "/etc/cni/net.d"
EOF
  write_file "$dir/cni-conf/10-kmetal.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "kmetal",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]],
               "routes": [{"dst": "0.0.0.0/0"}]}
    }
  ]
}
EOF
  write_file "$dir/config/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# This machine is a privileged container on cgroup v1 (cgroupfs), with swap.
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: $CGROUP_ROOT
failSwapOn: false
containerRuntimeEndpoint: unix:///run/containerd/containerd.sock
address: $NODE_IP
healthzBindAddress: 127.0.0.1
readOnlyPort: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
clusterDomain: cluster.local
resolvConf: $dir/config/resolv.conf
serializeImagePulls: false
# Images come from the archives imported into containerd; nothing is ever garbage-collected.
imageGCHighThresholdPercent: 100
evictionHard: {memory.available: "100Mi"}
rotateCertificates: false
protectKernelDefaults: false
makeIPTablesUtilChains: false
localStorageCapacityIsolation: true
EOF
  write_file "$dir/config/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $dir/config/kube-proxy.kubeconfig}
hostnameOverride: $node
mode: iptables
clusterCIDR: $CLUSTER_CIDR
# Service traffic is always masqueraded: a reply from a pod on the node's bridge then returns
# through the node's conntrack (there is no br_netfilter on the bridge path otherwise).
iptables: {masqueradeAll: true}
# The conntrack table is the machine's: leave its size alone.
conntrack: {maxPerCore: 0}
nodePortAddresses: [primary]
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
EOF
}

# node_env_path: PATH for a node's processes: the node runtime's commands first.
node_env_path() { echo "$NODE_ROOT/bin:$NODE_ROOT/usr/bin:$NODE_ROOT/usr/sbin:$BIN:$PATH"; }

# up_node CLUSTER NODE: brings one node up (reusing what runs) and waits until it is Ready.
up_node() {
  local cluster=$1 node=$2 dir cdir deadline=$((SECONDS + READY_TIMEOUT)) extra=()
  dir=$(node_dir "$cluster" "$node")
  cdir=$(cluster_dir "$cluster")
  ensure_node_env "$cluster" "$node"
  # shellcheck source=/dev/null
  source "$dir/node.env"
  node_netns "$dir"
  node_mountns "$dir"
  node_cgroups
  write_node_configs "$cluster" "$node" "$dir"
  PATH=$(node_env_path) spawn_in "$dir" containerd "$NODE_ROOT/usr/bin/containerd" \
    --config "$dir/config/containerd.toml"
  wait_socket "$dir" containerd "$dir/run/containerd.sock"
  import_images "$dir"
  # A tenant node is a KubeVirt VM: its provider id names it, as the KubeVirt cloud provider's.
  [[ $cluster != under ]] && extra+=(--provider-id="kubevirt://$node")
  PATH=$(node_env_path) spawn_in "$dir" kubelet "$BIN/kubelet" --config="$dir/config/kubelet.yaml" \
    --kubeconfig="$dir/config/kubelet.kubeconfig" --hostname-override="$node" \
    --node-ip="$NODE_IP" --node-labels=kmetal.io/sandbox-node=true "${extra[@]}" --v=1
  PATH=$(node_env_path) spawn_in "$dir" kube-proxy "$BIN/kube-proxy" \
    --config="$dir/config/kube-proxy.yaml"
  until [[ $(kctl "$cdir" get node "$node" \
    -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) == True ]]; do
    running "$dir" kubelet || die "kubelet of $node exited; see $dir/logs/kubelet.log"
    ((SECONDS < deadline)) || die "node $node of $cluster not Ready in ${READY_TIMEOUT}s; see $dir/logs"
    sleep 0.5
  done
  # The kubelet may not set node-role labels itself (NodeRestriction).
  if [[ $cluster == under && $node == c1 ]]; then
    kctl "$cdir" label --overwrite node "$node" node-role.kubernetes.io/control-plane= >/dev/null
  fi
}

# spawn_in DIR COMPONENT BINARY ARGS...: spawn, inside the node's namespaces.
spawn_in() {
  local dir=$1
  # shellcheck disable=SC2034 # read by spawn (sandbox.sh)
  SPAWN_PREFIX=(nsenter --mount="$dir/mnt.ns" --net="/run/netns/$NETNS" --)
  spawn "$@"
  # shellcheck disable=SC2034
  SPAWN_PREFIX=()
}

wait_socket() {
  local dir=$1 component=$2 socket=$3 deadline=$((SECONDS + READY_TIMEOUT))
  until [[ -S $socket ]]; do
    running "$dir" "$component" || die "$component of $dir exited; see $dir/logs/$component.log"
    ((SECONDS < deadline)) || die "$component of $dir has no socket $socket"
    sleep 0.2
  done
}

# import_images DIR: the image archives (`./kmetal images`) into the node's containerd, once per
# archive content.
import_images() {
  local dir=$1 archive sum name
  mkdir -p "$dir/imported"
  for archive in "$IMAGES_DIR"/*.tar; do
    [[ -f $archive ]] || continue
    sum=$(stat -c '%s-%Y' "$archive")
    [[ -f $dir/imported/$(basename "$archive") && $(<"$dir/imported/$(basename "$archive")") == "$sum" ]] &&
      continue
    # Through the node's own path: the folder's path may be longer than a socket address can be.
    node_exec "$dir" "$NODE_ROOT/usr/bin/ctr" --address /run/containerd/containerd.sock \
      -n k8s.io images import "$archive" >"$dir/logs/import.out" 2>&1 ||
      die "importing $archive into $dir failed; see $dir/logs/import.out"
    cat "$dir/logs/import.out" >>"$dir/logs/images.log"
    # An archive names a Docker Hub image as `docker save` does (busybox:1.37.0); the kubelet
    # asks for the normalized name (docker.io/library/busybox:1.37.0): tag it so too.
    while read -r name; do
      [[ $(docker_normalized "$name") == "$name" ]] && continue
      node_exec "$dir" "$NODE_ROOT/usr/bin/ctr" --address /run/containerd/containerd.sock \
        -n k8s.io images tag --force "$name" "$(docker_normalized "$name")" >>"$dir/logs/images.log"
    done < <(sed -n 's/^unpacking \([^ ]*\) (.*/\1/p' "$dir/logs/import.out")
    echo "$sum" >"$dir/imported/$(basename "$archive")"
  done
}

# docker_normalized REF: REF with Docker Hub's registry (and library/) made explicit.
docker_normalized() {
  local first=${1%%/*}
  if [[ $1 == */* && ($first == *.* || $first == *:* || $first == localhost) ]]; then
    echo "$1"
  elif [[ $1 == */* ]]; then
    echo "docker.io/$1"
  else
    echo "docker.io/library/$1"
  fi
}

# down_node DIR: stops the node's processes and containers, removes its namespaces, cgroups,
# routes and iptables rules (they live in its network namespace).
down_node() {
  local dir=${1%/} sub pid component
  # shellcheck source=/dev/null
  source "$dir/node.env"
  for component in kube-proxy kubelet; do stop_component "$dir" "$component"; done
  # The pods' processes: every task left in the node's cgroups (containerd's shims too).
  for sub in "${CGROUP_SUBSYSTEMS[@]}"; do
    [[ -d /sys/fs/cgroup/$sub$CGROUP_ROOT ]] || continue
    while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done < <(
      find "/sys/fs/cgroup/$sub$CGROUP_ROOT" -name cgroup.procs -exec cat {} + 2>/dev/null)
  done
  stop_component "$dir" containerd
  pkill -9 -f "containerd-shim-runc-v2 -namespace k8s.io .*-address $dir/run/containerd.sock" 2>/dev/null || true
  for sub in "${CGROUP_SUBSYSTEMS[@]}"; do
    [[ -d /sys/fs/cgroup/$sub$CGROUP_ROOT ]] || continue
    find "/sys/fs/cgroup/$sub$CGROUP_ROOT" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  if [[ -f $dir/mnt.ns ]]; then
    umount "$dir/mnt.ns" 2>/dev/null || true
    rm -f "$dir/mnt.ns"
  fi
  ip route del "$POD_CIDR" 2>/dev/null || true
  ip link del "$VETH" 2>/dev/null || true
  ip netns del "$NETNS" 2>/dev/null || true
  rmdir "$dir/pids" 2>/dev/null || true
}
