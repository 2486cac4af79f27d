#!/usr/bin/env bash
# Local Kubernetes control planes for the test bed, on the sandbox bridge's address: one "under" cluster (the
# infrastructure cluster: KubeVirt, CDI, HPP, Kamaji and snapshot CRDs) and tenant clusters
# (snapshot CRDs), each with its own etcd, kube-apiserver and kube-controller-manager.
#
#   sandbox.sh up [--tenant ns/cluster]... [--with-nodes | --with-kubelet]
#   sandbox.sh status [--json]
#   sandbox.sh dns
#   sandbox.sh down [--keep]
#
# `up` is idempotent: a cluster whose processes run and whose /readyz answers is reused, and
# missing processes are (re)started. --tenant replaces the default tenants alpha/alpha-prod and
# alpha/alpha-dev (clusters started before keep running until `down`). --with-nodes also runs
# kube-scheduler and kwok with one simulated node per cluster, so Deployments and DaemonSets
# become available without a kubelet. --with-kubelet runs kube-scheduler and real nodes instead
# (nodes.sh: kubelet, kube-proxy, containerd, runc, CNI; two in the under cluster, one per
# tenant cluster), which run the pods from the image archives of `./kmetal images all`.
# `dns` publishes the under cluster's Services to the API servers' resolver (see ensure_hosts).
# `down` stops every process the sandbox started (nodes, their containers, namespaces and
# routes too) and wipes the etcd data unless --keep.
# State, certificates, kubeconfigs (0600) and logs live in $KMETAL_SANDBOX (default
# $KMETAL_CACHE/sandbox): another folder is another sandbox, e.g. the test suite's own.
set -euo pipefail
# Let a failure inside $(...) stop the script too.
shopt -s inherit_errexit

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${KMETAL_CACHE:-$HOME/.cache/kmetal-storage}
SB=${KMETAL_SANDBOX:-$CACHE/sandbox}
BIN=$CACHE/tools/bin
PKI=$SB/pki
IMAGES_DIR=$(cd "$HERE/../.." && pwd)/csi-runtime/target/images
PAUSE_IMAGE=localhost/kmetal-storage/pause:0.1.0

DEFAULT_TENANTS=(alpha/alpha-prod alpha/alpha-dev)
# CRDs by API group: the project's own for CDI and HPP (crds/ beside this script), the rest as
# `build.sh crds` fetched them from their modules (share/crds in the tool cache).
UNDER_CRD_GROUPS=(cdi.kubevirt.io kubevirt.io hostpathprovisioner.kubevirt.io
  snapshot.storage.k8s.io groupsnapshot.storage.k8s.io kamaji.clastix.io)
TENANT_CRD_GROUPS=(snapshot.storage.k8s.io groupsnapshot.storage.k8s.io)
READY_TIMEOUT=120
# The command that spawn runs a component under (nodes.sh sets it to enter a node's namespaces).
SPAWN_PREFIX=()

log() { echo "[$(date +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- naming: a cluster is "under" or "<ns>/<cluster>"; its folder holds all its state ------

cluster_dir() {
  if [[ $1 == under ]]; then echo "$SB/under"; else echo "$SB/tenants/$1"; fi
}

# known_clusters: every cluster that has processes recorded (started and not brought down).
known_clusters() {
  local d
  [[ -d $SB/under/pids ]] && echo under
  for d in "$SB"/tenants/*/*/pids; do
    [[ -d $d ]] || continue
    d=${d%/pids}
    echo "${d#"$SB/tenants/"}"
  done
}

# --- PKI: one CA and one front-proxy CA per sandbox; serving cert and SA keys per cluster ----

new_ca() { # new_ca NAME CN
  [[ -f $PKI/$1.crt ]] && return 0
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj "/CN=$2" -keyout "$PKI/$1.key" -out "$PKI/$1.crt" 2>/dev/null
}

# issue DIR NAME CA SUBJECT [SANS]: a leaf certificate DIR/NAME.{crt,key} signed by $PKI/CA,
# usable as server and client certificate. The clusters start in parallel, so nothing is shared
# between two issues (a random serial, no CA serial file), and the pair appears only when whole:
# an interrupted issue leaves no empty certificate that a later `up` would take as done.
issue() {
  local dir=$1 name=$2 ca=$3 subject=$4 sans=${5:-} tmp
  [[ -s $dir/$name.crt && -s $dir/$name.key ]] && return 0
  tmp=$(mktemp -d "$dir/.issue-$name.XXXXXX")
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=serverAuth,clientAuth"
    [[ -n $sans ]] && echo "subjectAltName=$sans"
  } >"$tmp/ext"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "$subject" \
    -keyout "$tmp/key" -out "$tmp/csr" 2>/dev/null
  openssl x509 -req -in "$tmp/csr" -CA "$PKI/$ca.crt" -CAkey "$PKI/$ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days 3650 -extfile "$tmp/ext" -out "$tmp/crt" 2>/dev/null
  mv "$tmp/key" "$dir/$name.key"
  mv "$tmp/crt" "$dir/$name.crt"
  rm -rf "$tmp"
}

ensure_sandbox_pki() {
  mkdir -p "$PKI"
  chmod 700 "$SB" "$PKI"
  new_ca ca kmetal-sandbox-ca
  new_ca front-proxy-ca kmetal-sandbox-front-proxy-ca
  # Client identities. system:masters bypasses RBAC for the admin; the components get the
  # users that the bootstrap RBAC policy grants their permissions to.
  issue "$PKI" admin ca "/O=system:masters/CN=kmetal-admin"
  issue "$PKI" kube-controller-manager ca "/CN=system:kube-controller-manager"
  issue "$PKI" kube-scheduler ca "/CN=system:kube-scheduler"
  issue "$PKI" etcd-client ca "/CN=kube-apiserver-etcd-client"
  # The aggregator's client certificate, trusted through --requestheader-client-ca-file.
  issue "$PKI" front-proxy-client front-proxy-ca "/CN=front-proxy-client"
  # The KubeVirt simulator's virt-api (testbed/.../kubevirt): the aggregator checks the name
  # <service>.<namespace>.svc of the APIService's service.
  issue "$PKI" virt-api ca "/CN=virt-api" "DNS:virt-api.kubevirt.svc"
}

# ensure_cluster_pki DIR NAME: the serving certificate names the bridge address the API server
# listens on and its `kubernetes` Service address; one issued for other addresses is replaced.
ensure_cluster_pki() {
  local dir=$1 service_ip sans
  service_ip=$(first_ip "$(service_cidr "$2")")
  sans="IP:127.0.0.1,IP:$HOST_IP,IP:$service_ip,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  mkdir -p "$dir/pki"
  if [[ -s $dir/pki/serving.crt ]] && ! openssl x509 -in "$dir/pki/serving.crt" -noout \
    -ext subjectAltName | tr -d ' \n' | grep -q "IPAddress:$HOST_IP,IPAddress:$service_ip,"; then
    rm -f "$dir/pki/serving.crt" "$dir/pki/serving.key"
  fi
  issue "$dir/pki" serving ca "/CN=kube-apiserver" "$sans"
  if [[ ! -f $dir/pki/sa.key ]]; then
    openssl genrsa -out "$dir/pki/sa.key" 2048 2>/dev/null
    openssl rsa -in "$dir/pki/sa.key" -pubout -out "$dir/pki/sa.pub" 2>/dev/null
  fi
}

# --- ports: picked free below the ephemeral range, kept while still free ------------------

port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null || (exec 3<>"/dev/tcp/$HOST_IP/$1") 2>/dev/null
}

# ensure_ports DIR: writes DIR/ports.env. The previous ports are kept while the cluster runs
# (they are its own), or when none of them is taken by someone else now. The caller holds the
# lock, so two clusters never pick the same port.
ensure_ports() {
  local dir=$1 p name keep=1
  if [[ -f $dir/ports.env ]]; then
    if running "$dir" etcd || running "$dir" kube-apiserver; then return 0; fi
    while IFS='=' read -r name p; do port_busy "$p" && keep=0; done <"$dir/ports.env"
    ((keep)) && return 0
  fi
  : >"$dir/ports.env"
  for name in ETCD_PORT ETCD_PEER_PORT APISERVER_PORT KCM_PORT SCHEDULER_PORT KWOK_PORT; do
    while :; do
      p=$((20000 + RANDOM % 12000))
      port_busy "$p" || grep -q "=$p\$" "$SB"/under/ports.env "$SB"/tenants/*/*/ports.env \
        2>/dev/null || break
    done
    echo "$name=$p" >>"$dir/ports.env"
  done
}

# --- kubeconfigs ---------------------------------------------------------------------------

b64() { base64 -w0 <"$1"; }

# write_kubeconfig FILE NAME PORT CERT: a self-contained kubeconfig (certificates embedded) for
# the API server on the bridge address. CERT is a client certificate of $PKI, or a path without
# its .crt/.key suffix.
write_kubeconfig() {
  local file=$1 name=$2 port=$3 cert=$4
  [[ $cert == */* ]] || cert=$PKI/$cert
  (
    umask 077
    cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: $name
  cluster:
    server: https://$HOST_IP:$port
    certificate-authority-data: $(b64 "$PKI/ca.crt")
users:
- name: $name-${cert##*/}
  user:
    client-certificate-data: $(b64 "$cert.crt")
    client-key-data: $(b64 "$cert.key")
contexts:
- name: $name
  context:
    cluster: $name
    user: $name-${cert##*/}
current-context: $name
EOF
  )
  chmod 600 "$file"
}

context_name() { echo "kmetal-${1//\//-}"; }

# --- processes -----------------------------------------------------------------------------

# running DIR COMPONENT: the recorded process still runs the binary it was started with (a pid
# can be reused). A binary that build.sh replaced since shows as "<path> (deleted)": still ours.
running() {
  local pid exe want
  [[ -f $1/pids/$2.pid ]] || return 1
  pid=$(<"$1/pids/$2.pid")
  want=$(cat "$1/pids/$2.bin" 2>/dev/null) || want=$(readlink -f "$BIN/$2")
  exe=$(readlink "/proc/$pid/exe") || return 1
  [[ ${exe% (deleted)} == "$want" ]]
}

# spawn DIR COMPONENT BINARY ARGS...: starts a component in its own session (so it outlives
# this script), logging to DIR/logs/COMPONENT.log. BINARY is a tool of $BIN or a path. It must
# not inherit the lock (fd 9).
spawn() {
  local dir=$1 component=$2 binary=$3
  shift 3
  [[ $binary == /* ]] || binary=$BIN/$binary
  running "$dir" "$component" && return 0
  mkdir -p "$dir/logs" "$dir/pids"
  readlink -f "$binary" >"$dir/pids/$component.bin"
  setsid "${SPAWN_PREFIX[@]}" "$binary" "$@" >>"$dir/logs/$component.log" 2>&1 </dev/null 9>&- &
  echo $! >"$dir/pids/$component.pid"
  # Until the forked shell has exec'd the binary, /proc/PID/exe still names bash: wait for the
  # exec so that a later `running` check does not mistake a starting component for an exited one.
  local tries=50
  until running "$dir" "$component" || ! kill -0 $! 2>/dev/null || ((--tries == 0)); do
    sleep 0.1
  done
}

# wait_https DIR COMPONENT URL CERT: waits until URL answers "ok" over TLS with client CERT.
wait_https() {
  local dir=$1 component=$2 url=$3 cert=$4 deadline=$((SECONDS + READY_TIMEOUT))
  until [[ $(curl -sS --max-time 5 --cacert "$PKI/ca.crt" --cert "$PKI/$cert.crt" \
    --key "$PKI/$cert.key" "$url" 2>/dev/null) == ok ]]; do
    running "$dir" "$component" || die "$component of $dir exited; see $dir/logs/$component.log"
    ((SECONDS < deadline)) || die "$component of $dir not ready in ${READY_TIMEOUT}s: $url"
    sleep 0.5
  done
}

start_etcd() {
  local dir=$1
  spawn "$dir" etcd etcd --name=default --data-dir="$dir/etcd-data" \
    --listen-client-urls="https://127.0.0.1:$ETCD_PORT" \
    --advertise-client-urls="https://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster="default=http://127.0.0.1:$ETCD_PEER_PORT" \
    --cert-file="$dir/pki/serving.crt" --key-file="$dir/pki/serving.key" \
    --client-cert-auth --trusted-ca-file="$PKI/ca.crt" \
    --unsafe-no-fsync --log-level=warn
  wait_https "$dir" etcd "https://127.0.0.1:$ETCD_PORT/readyz" etcd-client
}

# start_apiserver DIR NAME: on the bridge address, which the `kubernetes` Service's endpoints
# name. The aggregator resolves a service by its cluster IP (no --enable-aggregator-routing), so
# an ExternalName service naming localhost reaches a test-bed process on this machine (the
# KubeVirt simulator's virt-api registers that way). The Node authorizer and NodeRestriction
# keep each real node to its own objects; the API server reaches kubelets as the admin.
start_apiserver() {
  local dir=$1
  # shellcheck disable=SC2016 # expanded by the inner sh, not here
  SPAWN_PREFIX=(unshare --mount --propagation private -- sh -c \
    'mount --bind "$0" /etc/hosts && exec "$@"' "$SB/hosts")
  spawn "$dir" kube-apiserver kube-apiserver \
    --bind-address="$HOST_IP" --advertise-address="$HOST_IP" --secure-port="$APISERVER_PORT" \
    --etcd-servers="https://127.0.0.1:$ETCD_PORT" --etcd-cafile="$PKI/ca.crt" \
    --etcd-certfile="$PKI/etcd-client.crt" --etcd-keyfile="$PKI/etcd-client.key" \
    --tls-cert-file="$dir/pki/serving.crt" --tls-private-key-file="$dir/pki/serving.key" \
    --client-ca-file="$PKI/ca.crt" --authorization-mode=Node,RBAC \
    --enable-admission-plugins=NodeRestriction \
    --kubelet-client-certificate="$PKI/admin.crt" --kubelet-client-key="$PKI/admin.key" \
    --kubelet-preferred-address-types=InternalIP \
    --service-account-issuer="https://$HOST_IP:$APISERVER_PORT" \
    --service-account-key-file="$dir/pki/sa.pub" \
    --service-account-signing-key-file="$dir/pki/sa.key" \
    --service-cluster-ip-range="$(service_cidr "$2")" --allow-privileged=true \
    --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" \
    --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User \
    --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file="$PKI/front-proxy-client.crt" \
    --proxy-client-key-file="$PKI/front-proxy-client.key" \
    --profiling=false
  SPAWN_PREFIX=()
  wait_https "$dir" kube-apiserver "https://$HOST_IP:$APISERVER_PORT/readyz" admin
}

# The API servers resolve names through $SB/hosts, bind-mounted over /etc/hosts in a mount
# namespace of their own: this machine's hosts file plus the under cluster's Services (`dns`),
# which is what the under cluster's DNS answers a tenant control plane that runs as a pod there,
# as Kamaji's do (the rendered webhook URL names its Service, kmetal-webhook.<ns>.svc).
ensure_hosts() {
  [[ -f $SB/hosts.base ]] || cp /etc/hosts "$SB/hosts.base"
  [[ -f $SB/hosts ]] || cp "$SB/hosts.base" "$SB/hosts"
}

# cmd_dns: publishes the under cluster's Services (name.ns.svc and name.ns.svc.cluster.local) to
# the API servers' hosts file, rewritten in place (the bind mounts keep its inode; Go's resolver
# rereads it within seconds).
cmd_dns() {
  local dir entries
  dir=$(cluster_dir under)
  if ! [[ -f $dir/ports.env ]] || ! healthy "$dir"; then
    die "the under cluster is not running: sandbox.sh up"
  fi
  ensure_hosts
  entries=$(kctl "$dir" get services --all-namespaces -o jsonpath='{range .items[?(@.spec.clusterIP)]}{.spec.clusterIP} {.metadata.name}.{.metadata.namespace}.svc {.metadata.name}.{.metadata.namespace}.svc.cluster.local{"\n"}{end}' |
    grep -v '^None ' || true)
  { cat "$SB/hosts.base"; echo "# the under cluster's Services (sandbox.sh dns)"; echo "$entries"; } >"$SB/hosts"
  log "dns: $(grep -c . <<<"$entries") Services of the under cluster published to the API servers"
}

start_controller_manager() {
  local dir=$1
  write_kubeconfig "$dir/kube-controller-manager.kubeconfig" "$(context_name "$2")" \
    "$APISERVER_PORT" kube-controller-manager
  # --use-service-account-credentials: each controller acts as its own service account, as in
  # a real cluster, so RBAC is exercised. The cluster-signing pair lets tests approve CSRs.
  spawn "$dir" kube-controller-manager kube-controller-manager \
    --kubeconfig="$dir/kube-controller-manager.kubeconfig" \
    --authentication-kubeconfig="$dir/kube-controller-manager.kubeconfig" \
    --authorization-kubeconfig="$dir/kube-controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --leader-elect=false \
    --tls-cert-file="$dir/pki/serving.crt" --tls-private-key-file="$dir/pki/serving.key" \
    --use-service-account-credentials=true \
    --service-account-private-key-file="$dir/pki/sa.key" --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --service-cluster-ip-range="$(service_cidr "$2")" --profiling=false
  wait_https "$dir" kube-controller-manager "https://127.0.0.1:$KCM_PORT/healthz" admin
}

start_scheduler() {
  local dir=$1
  write_kubeconfig "$dir/kube-scheduler.kubeconfig" "$(context_name "$2")" \
    "$APISERVER_PORT" kube-scheduler
  spawn "$dir" kube-scheduler kube-scheduler \
    --kubeconfig="$dir/kube-scheduler.kubeconfig" \
    --authentication-kubeconfig="$dir/kube-scheduler.kubeconfig" \
    --authorization-kubeconfig="$dir/kube-scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$SCHEDULER_PORT" --leader-elect=false \
    --tls-cert-file="$dir/pki/serving.crt" --tls-private-key-file="$dir/pki/serving.key" \
    --profiling=false
  wait_https "$dir" kube-scheduler "https://127.0.0.1:$SCHEDULER_PORT/healthz" admin
}

# start_kwok DIR NAME: kwok drives the nodes annotated kwok.x-k8s.io/node=fake and their pods,
# following the Stage documents that build.sh installs with kwok (kwok 0.8 has no built-in
# behaviour). Pod addresses come from the sandbox's KWOK_POD_CIDR (in RFC 2544's 198.19.0.0/16,
# routed nowhere): Endpoints and EndpointSlices refuse loopback addresses, and without them a
# Service never gets endpoints, so pulumi-kubernetes would wait on it until its timeout. Nothing
# dials a kwok pod address.
# The one node stands for every node of the cluster, a control-plane node's role included (the
# local-path provisioner is pinned to control-plane nodes by default).
# The node keeps a Lease (the heartbeat stage then reports status only every ~10 min): without
# one, kube-controller-manager marks the node and all its pods NotReady after ~50 s.
start_kwok() {
  local dir=$1 name=$2 deadline=$((SECONDS + READY_TIMEOUT))
  spawn "$dir" kwok kwok --kubeconfig="$dir/kubeconfig" \
    --config="$CACHE/tools/share/kwok-stages.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --node-ip=127.0.0.1 --cidr="$KWOK_POD_CIDR" --server-address="127.0.0.1:$KWOK_PORT" \
    --node-lease-duration-seconds=40
  kctl "$dir" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-0
  annotations:
    kwok.x-k8s.io/node: fake
  labels:
    kubernetes.io/hostname: kwok-node-0
    kubernetes.io/os: linux
    node-role.kubernetes.io/control-plane: ""
    type: kwok
EOF
  until [[ $(kctl "$dir" get node kwok-node-0 \
    -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}') == True ]]; do
    running "$dir" kwok || die "kwok of $name exited; see $dir/logs/kwok.log"
    ((SECONDS < deadline)) || die "kwok node of $name not Ready; see $dir/logs/kwok.log"
    sleep 0.5
  done
}

kctl() { local dir=$1; shift; "$BIN/kubectl" --kubeconfig="$dir/kubeconfig" "$@"; }

# crd_dir GROUP: the folder holding a group's CRDs.
crd_dir() {
  if [[ -d $HERE/crds/$1 ]]; then
    echo "$HERE/crds/$1"
  else
    echo "$CACHE/tools/share/crds/$1"
  fi
}

# install_crds DIR GROUP...: server-side apply (idempotent, and the KubeVirt CRDs are too large
# for client-side apply's last-applied annotation), then wait until each is Established.
install_crds() {
  local dir=$1 group
  shift
  for group in "$@"; do
    kctl "$dir" apply --server-side --force-conflicts -f "$(crd_dir "$group")" >/dev/null
  done
  for group in "$@"; do
    kctl "$dir" wait --for=condition=Established -f "$(crd_dir "$group")" \
      --timeout="${READY_TIMEOUT}s" >/dev/null
  done
}

# install_kubevirt_cr DIR: the KubeVirt CR a platform's KubeVirt install has (kubevirt/kubevirt),
# with a gate its operator chose (Snapshot), created once and then left to whoever edits it: the
# components must merge their gates with it, never drop it.
install_kubevirt_cr() {
  local dir=$1
  kctl "$dir" get kubevirt kubevirt -n kubevirt >/dev/null 2>&1 && return
  kctl "$dir" create namespace kubevirt --dry-run=client -o yaml | kctl "$dir" apply -f - >/dev/null
  kctl "$dir" create -f - >/dev/null <<'YAML'
apiVersion: kubevirt.io/v1
kind: KubeVirt
metadata:
  name: kubevirt
  namespace: kubevirt
spec:
  configuration:
    developerConfiguration:
      featureGates: [Snapshot]
YAML
}

# wait_default_sa DIR: the "default" service account appears once the controller manager's
# service-account controller works; pods need it to be admitted.
wait_default_sa() {
  local dir=$1 deadline=$((SECONDS + READY_TIMEOUT))
  until kctl "$dir" get serviceaccount default -n default >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "no default service account in $dir (controller manager?)"
    sleep 0.5
  done
}

# up_cluster NAME NODES: brings one cluster up (reusing whatever already runs); NODES is none,
# kwok or kubelet.
up_cluster() {
  local name=$1 nodes=$2 dir start=$SECONDS node
  dir=$(cluster_dir "$name")
  ensure_cluster_pki "$dir" "$name"
  # shellcheck source=/dev/null
  source "$dir/ports.env"
  write_kubeconfig "$dir/kubeconfig" "$(context_name "$name")" "$APISERVER_PORT" admin
  start_etcd "$dir"
  start_apiserver "$dir" "$name"
  start_controller_manager "$dir" "$name"
  if [[ $name == under ]]; then
    install_crds "$dir" "${UNDER_CRD_GROUPS[@]}"
    install_kubevirt_cr "$dir"
  else
    install_crds "$dir" "${TENANT_CRD_GROUPS[@]}"
  fi
  wait_default_sa "$dir"
  [[ $nodes != none ]] && start_scheduler "$dir" "$name"
  [[ $nodes == kwok ]] && start_kwok "$dir" "$name"
  if [[ $nodes == kubelet ]]; then
    for node in $(cluster_nodes "$name"); do up_node "$name" "$node"; done
  fi
  log "$name: ready at https://$HOST_IP:$APISERVER_PORT in $((SECONDS - start))s"
}

# --- commands ------------------------------------------------------------------------------

ensure_tools() {
  local tools=(etcd kubernetes crds)
  [[ $1 == kwok ]] && tools+=(kwok)
  [[ $1 == kubelet ]] && tools+=(node)
  "$HERE/../tools/build.sh" "${tools[@]}" >&2 ||
    die "tools missing; see testbed/tools/README.md"
}

cmd_up() {
  local tenants=() nodes=none name node start=$SECONDS pids=() failed=0 i
  while (($#)); do
    case $1 in
      --tenant) [[ ${2:-} =~ ^[a-z0-9-]+/[a-z0-9-]+$ ]] || die "--tenant needs ns/cluster"
        tenants+=("$2"); shift 2 ;;
      --with-nodes) nodes=kwok; shift ;;
      --with-kubelet) nodes=kubelet; shift ;;
      *) die "unknown option for up: $1" ;;
    esac
  done
  ((${#tenants[@]})) || tenants=("${DEFAULT_TENANTS[@]}")
  ensure_tools "$nodes"
  if [[ $nodes == kubelet && ! -s $IMAGES_DIR/pause.tar ]]; then
    die "no image archives in $IMAGES_DIR for the nodes: run ./kmetal images all"
  fi
  ensure_network
  [[ $nodes == kubelet ]] && ensure_inotify
  ensure_sandbox_pki
  ensure_hosts # the API servers' hosts file, once before the clusters start in parallel
  local clusters=(under "${tenants[@]}")
  forget_stale "${clusters[@]}"
  # Ports are picked one cluster after the other, then the clusters start in parallel: most
  # of the start-up time is waiting for each API server to become ready.
  for name in "${clusters[@]}"; do
    mkdir -p "$(cluster_dir "$name")"
    ensure_ports "$(cluster_dir "$name")"
    if [[ $nodes == kubelet ]]; then
      for node in $(cluster_nodes "$name"); do ensure_node_env "$name" "$node"; done
    fi
  done
  for name in "${clusters[@]}"; do
    up_cluster "$name" "$nodes" &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { log "${clusters[$i]}: FAILED"; failed=1; }
  done
  ((failed)) && die "some clusters failed to start; logs under $SB"
  if [[ $nodes == kubelet ]]; then
    route_pod_ranges
    route_services
  fi
  kamaji_secrets "${tenants[@]}"
  log "sandbox up in $((SECONDS - start))s"
  cmd_status
}

# kamaji_secrets NS/CLUSTER...: what Kamaji keeps in the under cluster for each tenant control
# plane, in both node modes: the tenant's namespace and its admin kubeconfig Secret
# <cluster>-admin-kubeconfig (key admin.conf; the API server's bridge address, which pods reach),
# whose server address TenantStorage reads for the least-privilege kubeconfigs it writes.
kamaji_secrets() {
  local udir tenant ns cluster
  udir=$(cluster_dir under)
  for tenant in "$@"; do
    ns=${tenant%/*}
    cluster=${tenant#*/}
    kctl "$udir" create namespace "$ns" --dry-run=client -o yaml | kctl "$udir" apply -f - >/dev/null
    kctl "$udir" -n "$ns" create secret generic "$cluster-admin-kubeconfig" \
      --from-file=admin.conf="$(cluster_dir "$tenant")/kubeconfig" --dry-run=client -o yaml |
      kctl "$udir" apply -f - >/dev/null
  done
}

# forget_stale NAME...: a cluster `up` was not asked for whose processes are gone (the machine
# restarted, or a session ended without `down`) is stopped for good, so that it does not turn
# this `up` into a failure; its etcd data stays for a later `up --tenant`.
forget_stale() {
  local name dir
  for name in $(known_clusters); do
    [[ " $* " == *" $name "* ]] && continue
    dir=$(cluster_dir "$name")
    healthy "$dir" && continue
    stop_cluster "$dir"
    log "$name: was down, no longer tracked (up --tenant $name starts it again)"
  done
}

# healthy DIR: all recorded processes run and the API server is ready.
healthy() {
  local dir=$1 pid
  for pid in "$dir"/pids/*.pid; do
    running "$dir" "$(basename "$pid" .pid)" || return 1
  done
  # shellcheck source=/dev/null
  source "$dir/ports.env"
  [[ $(curl -sS --max-time 5 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" \
    --key "$PKI/admin.key" "https://$HOST_IP:$APISERVER_PORT/readyz" 2>/dev/null) == ok ]]
}

json_str() { local s=${1//\\/\\\\}; printf '"%s"' "${s//\"/\\\"}"; }

# json_entry NAME KIND DIR: one cluster as `status --json` prints it (ports.env sourced).
json_entry() {
  local f logs="" sep=""
  for f in "$3"/logs/*.log; do logs+="$sep$(json_str "$f")"; sep=", "; done
  printf '{"name": %s, "kind": "%s", "server": "https://%s:%s", "kubeconfig": %s, "logs": [%s]}' \
    "$(json_str "$1")" "$2" "$HOST_IP" "$APISERVER_PORT" "$(json_str "$3/kubeconfig")" "$logs"
}

# cmd_status [--json]: the JSON form lists the healthy clusters only, so that every entry can
# be used as it is; the human form shows the others as DOWN. Exit 1 if any cluster is down.
cmd_status() {
  local json=0 name dir kind bad=0 entries="" sep=""
  [[ ${1:-} == --json ]] && json=1
  for name in $(known_clusters); do
    dir=$(cluster_dir "$name")
    kind=tenant
    [[ $name == under ]] && kind=under
    # shellcheck source=/dev/null
    source "$dir/ports.env"
    if healthy "$dir"; then
      entries+="$sep$(json_entry "$name" "$kind" "$dir")"
      sep=", "
      ((json)) || printf '%-24s %-7s https://%s:%-6s running  %s\n' "$name" "$kind" \
        "$HOST_IP" "$APISERVER_PORT" "$dir/kubeconfig"
    else
      bad=1
      ((json)) || printf '%-24s %-7s https://%s:%-6s DOWN     logs: %s\n' "$name" \
        "$kind" "$HOST_IP" "$APISERVER_PORT" "$dir/logs"
    fi
  done
  if ((json)); then printf '[%s]\n' "$entries"; fi
  return "$bad"
}

# stop_component DIR COMPONENT: TERM, then KILL what is left after 10 s.
stop_component() {
  local dir=$1 component=$2 pid i
  [[ -f $dir/pids/$component.pid ]] || return 0
  if running "$dir" "$component"; then
    pid=$(<"$dir/pids/$component.pid")
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do running "$dir" "$component" || break; sleep 0.5; done
    if running "$dir" "$component"; then kill -9 "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$dir/pids/$component.pid" "$dir/pids/$component.bin"
}

# stop_cluster DIR: stops its nodes, then the components in the reverse order of their start
# (etcd last, so the API server can shut down cleanly).
stop_cluster() {
  local dir=$1 component node
  for node in "$dir"/nodes/*/; do
    [[ -f $node/node.env ]] && down_node "$node"
  done
  for component in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
    stop_component "$dir" "$component"
  done
  rmdir "$dir/pids" 2>/dev/null || true
}

# down_cluster NAME KEEP: stops one cluster and, unless KEEP, wipes its etcd data.
down_cluster() {
  local dir
  dir=$(cluster_dir "$1")
  stop_cluster "$dir"
  (($2)) || rm -rf "$dir/etcd-data"
  log "$1: stopped"
}

cmd_down() {
  local keep=0 name
  [[ ${1:-} == --keep ]] && keep=1
  # In parallel: an API server takes a few seconds to shut down.
  stop_simulator
  for name in $(known_clusters); do
    down_cluster "$name" "$keep" &
  done
  wait
  ((keep)) || rm -f "$SB/hosts"
  down_network
}

# stop_simulator: the KubeVirt/CDI simulator a demo left serving the sandbox (its pid in
# $SB/kubevirt/pid) unplugs its loop devices and unregisters its API on TERM; wait for it.
stop_simulator() {
  local pid tries=100
  [[ -f $SB/kubevirt/pid ]] || return 0
  pid=$(<"$SB/kubevirt/pid")
  if kill "$pid" 2>/dev/null; then
    while kill -0 "$pid" 2>/dev/null && ((tries--)); do sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    log "kubevirt simulator: stopped"
  fi
  rm -f "$SB/kubevirt/pid"
}

# lock: one `up` or `down` at a time, across sessions sharing $KMETAL_CACHE.
lock() {
  mkdir -p "$SB"
  exec 9>"$SB/.lock"
  flock 9
}

# shellcheck source-path=SCRIPTDIR source=nodes.sh
source "$HERE/nodes.sh"

main() {
  local cmd=${1:-}
  (($#)) && shift
  case $cmd in
    up) lock; cmd_up "$@" ;;
    status) load_network; cmd_status "$@" ;;
    dns) load_network; cmd_dns ;;
    down) lock; cmd_down "$@" ;;
    *) awk 'NR > 1 && !/^#/ { exit } NR > 1 { print }' "$0" >&2; exit 2 ;;
  esac
}

main "$@"
