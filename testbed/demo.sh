#!/usr/bin/env bash
# ./kmetal demo: the acceptance fleet, deployed by the Java example through the real Pulumi engine
# to the sandbox's under and tenant clusters; then what landed where, and the per-object preview
# of one edited input; then the CSI driver provisions a claim in each tenant cluster. Non-interactive
# and safe to run again (the second run changes nothing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${KMETAL_CACHE:-$HOME/.cache/kmetal-storage}
demo=$cache/demo
sandbox=${KMETAL_SANDBOX:-$cache/sandbox}
bin=$cache/tools/bin

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Test-bed tools (built once into $cache/tools)"
"$root/testbed/tools/build.sh" etcd kubernetes pulumi pulumi-language-java pulumi-resource-kubernetes kwok \
  csi-provisioner csi-attacher csi-resizer csi-snapshotter

step "Sandbox: under cluster + tenant clusters alpha/alpha-prod, alpha/alpha-dev (simulated nodes)"
"$root/testbed/sandbox/sandbox.sh" up --with-nodes

step "Build the components and the Java example"
(cd "$root" && mvn -B -q -Dstyle.color=never install -DskipTests -Dspotless.check.skip=true)

export PATH=$bin:$PATH PULUMI_BACKEND_URL=file://$demo/state PULUMI_CONFIG_PASSPHRASE=kmetal-demo \
  PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
  PULUMI_HOME=$demo/pulumi-home PULUMI_DIY_BACKEND_NO_LEGACY_WARNING=true
under=$sandbox/under/kubeconfig
# The stack runs in a copy of the example (Pulumi.yaml; the built jar linked), so stack files stay
# out of the work tree.
mkdir -p "$demo/state" "$demo/project"
cp "$root/examples/java-fleet/Pulumi.yaml" "$demo/project/"
ln -sfn "$root/examples/java-fleet/target" "$demo/project/target"
cd "$demo/project"

step "The platform's own namespaces (Kamaji's tenant namespace, KubeVirt's)"
for ns in alpha kubevirt; do
  kubectl --kubeconfig "$under" create namespace "$ns" --dry-run=client -o yaml | kubectl --kubeconfig "$under" apply -f - >/dev/null
done
echo "alpha, kubevirt"

pulumi stack select demo 2>/dev/null || pulumi stack init demo
pulumi config set underKubeconfig "$under"
for cluster in alpha-prod alpha-dev; do
  pulumi config set --path "tenantKubeconfigs.$cluster" "$sandbox/tenants/alpha/$cluster/kubeconfig"
done
pulumi config set alphaQuota 10Gi

step "Tenant alpha's quota webhook: a local process the tenant API servers call over TLS"
webhook=$demo/webhook
webhook_port=${KMETAL_WEBHOOK_PORT:-18443}
pulumi config set webhookUrl "https://127.0.0.1:$webhook_port/validate-pvc"
# no CA bundle: TenantStorage issues the certificate (for the Service's names and 127.0.0.1)
pulumi config rm webhookCaBundle 2>/dev/null || true
echo "https://127.0.0.1:$webhook_port/validate-pvc/<cluster>; certificate issued by TenantStorage"

step "pulumi up"
# --refresh: the sandbox may have been recreated since the last run (its objects gone)
pulumi up --yes --skip-preview --refresh --suppress-progress

step "What landed where"
show() {
  local kubeconfig=$1 title=$2
  echo "-- $title"
  kubectl --kubeconfig "$kubeconfig" get storageclass,csidriver,resourcequota,deployment,daemonset,validatingwebhookconfiguration \
    --all-namespaces -l app.kubernetes.io/part-of=kmetal-storage 2>/dev/null | sed 's/^/   /'
}
show "$under" "under cluster"
for cluster in alpha-prod alpha-dev; do show "$sandbox/tenants/alpha/$cluster/kubeconfig" "tenant cluster alpha/$cluster"; done

step "The webhook runs with its Deployment's arguments and secret, as its ServiceAccount"
[[ -f $webhook/pid ]] && kill "$(cat "$webhook/pid")" 2>/dev/null || true
# the serving secret TenantStorage generated, as its volume mounts it
mkdir -p "$webhook/tls"
for key in tls.crt tls.key ca.crt; do
  (umask 077 && kubectl --kubeconfig "$under" -n alpha get secret kmetal-webhook-tls \
    -o jsonpath="{.data.${key//./\\.}}" | base64 -d > "$webhook/tls/$key")
done
mapfile -t webhook_args < <(kubectl --kubeconfig "$under" -n alpha get deployment kmetal-webhook \
  -o jsonpath='{range .spec.template.spec.containers[0].args[*]}{@}{"\n"}{end}' |
  grep -v -e '^webhook$' -e '^--tls-dir=' -e '^--port=')
(
  umask 077
  cat > "$webhook/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: under
  cluster:
    server: $(kubectl --kubeconfig "$under" config view --raw -o jsonpath='{.clusters[0].cluster.server}')
    certificate-authority-data: $(kubectl --kubeconfig "$under" config view --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')
users:
- name: kmetal-webhook
  user:
    token: $(kubectl --kubeconfig "$under" -n alpha create token kmetal-webhook --duration=24h)
contexts:
- name: under
  context: {cluster: under, user: kmetal-webhook, namespace: alpha}
current-context: under
KUBECONFIG
)
nohup java -XX:+UseSerialGC -jar "$root/csi-runtime/target/kmetal-csi.jar" webhook "${webhook_args[@]}" \
  --tls-dir="$webhook/tls" --address=127.0.0.1 --port="$webhook_port" \
  --under-kubeconfig="$webhook/kubeconfig" > "$webhook/webhook.log" 2>&1 &
echo $! > "$webhook/pid"
for _ in $(seq 1 120); do
  curl -sf --cacert "$webhook/tls/ca.crt" "https://127.0.0.1:$webhook_port/healthz" >/dev/null && break
  sleep 0.5
done
echo "kmetal-csi webhook ${webhook_args[*]} (pid $(cat "$webhook/pid"), log $webhook/webhook.log)"

step "Preview of an edited input: tenant alpha's quota 10Gi -> 12Gi"
pulumi config set alphaQuota 12Gi
pulumi preview --diff --suppress-progress || true
pulumi config set alphaQuota 10Gi

step "The CSI driver at work: a pod's claim in each tenant cluster provisions, binds and attaches"
echo "(driver, sidecars and the KubeVirt/CDI simulator run as local processes, wired as rendered)"
(cd "$root" && mvn -B -q -Dstyle.color=never -pl testbed exec:java \
  -Dexec.mainClass=io.kmetal.storage.testbed.csi.DemoChain -Dexec.args="alpha alpha-prod alpha-dev")

step "A claim beyond alpha's 10Gi is refused at admission, in the tenant cluster"
kubectl --kubeconfig "$sandbox/tenants/alpha/alpha-prod/kubeconfig" apply -f - <<'CLAIM' 2>&1 | sed 's/^/   /' || true
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: too-big, namespace: default}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: kubevirt
  resources: {requests: {storage: 50Gi}}
CLAIM

step "Done"
cat <<TXT
The sandbox keeps running. Look around:
  export PATH=$bin:\$PATH
  kubectl --kubeconfig $under get all -A
  ./kmetal sandbox status
Tear down:
  (cd $demo/project && PULUMI_BACKEND_URL=file://$demo/state PULUMI_CONFIG_PASSPHRASE=kmetal-demo $bin/pulumi destroy --yes)
  kill \$(cat $webhook/pid)   # the quota webhook
  ./kmetal sandbox down
TXT
