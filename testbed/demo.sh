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

step "Preview of an edited input: tenant alpha's quota 10Gi -> 12Gi"
pulumi config set alphaQuota 12Gi
pulumi preview --diff --suppress-progress || true
pulumi config set alphaQuota 10Gi

step "The CSI driver at work: a pod's claim in each tenant cluster provisions, binds and attaches"
echo "(driver, sidecars and the KubeVirt/CDI simulator run as local processes, wired as rendered)"
(cd "$root" && mvn -B -q -Dstyle.color=never -pl testbed exec:java \
  -Dexec.mainClass=io.kmetal.storage.testbed.csi.DemoChain -Dexec.args="alpha alpha-prod alpha-dev")

step "Done"
cat <<TXT
The sandbox keeps running. Look around:
  export PATH=$bin:\$PATH
  kubectl --kubeconfig $under get all -A
  ./kmetal sandbox status
Tear down:
  (cd $demo/project && PULUMI_BACKEND_URL=file://$demo/state PULUMI_CONFIG_PASSPHRASE=kmetal-demo $bin/pulumi destroy --yes)
  ./kmetal sandbox down
TXT
