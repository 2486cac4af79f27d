#!/usr/bin/env bash
# ./kmetal demo: the acceptance fleet, deployed by the Java example through the real Pulumi engine
# to the sandbox's under and tenant clusters, whose real nodes (kubelet, containerd, runc) run
# every rendered pod from our image archives; then what landed where, the per-object preview of
# one edited input, and a pod's claim in each tenant cluster provisioned, hot-plugged and mounted.
# Non-interactive and safe to run again (the second run changes nothing). The sandbox keeps
# serving afterwards, the KubeVirt/CDI simulator included.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${KMETAL_CACHE:-$HOME/.cache/kmetal-storage}
demo=$cache/demo
sandbox=${KMETAL_SANDBOX:-$cache/sandbox}
bin=$cache/tools/bin

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Test-bed tools (built once into $cache/tools)"
"$root/testbed/tools/build.sh" etcd kubernetes crds node local-path-provisioner pulumi pulumi-language-java \
  pulumi-resource-kubernetes

step "Build the components, the driver and the Java example"
(cd "$root" && mvn -B -q -Dstyle.color=never install -DskipTests -Dspotless.check.skip=true)

step "Image archives the nodes run (built here, imported into each node's containerd: no registry)"
java -jar "$root/images/target/kmetal-images.jar" --root "$root" all | sed 's/^/   /'

step "Sandbox: under cluster (nodes c1, w1) + tenant clusters alpha/alpha-prod, alpha/alpha-dev (one node each), real kubelets"
"$root/testbed/sandbox/sandbox.sh" up --with-kubelet

export PATH=$bin:$PATH PULUMI_BACKEND_URL=file://$demo/state PULUMI_CONFIG_PASSPHRASE=kmetal-demo \
  PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
  PULUMI_HOME=$demo/pulumi-home PULUMI_DIY_BACKEND_NO_LEGACY_WARNING=true
under=$sandbox/under/kubeconfig
# The stack runs in a copy of the example (Pulumi.yaml; the built jar linked), so stack files stay
# out of the work tree.
mkdir -p "$demo/state" "$demo/project"
cp "$root/examples/java-fleet/Pulumi.yaml" "$demo/project/"
# The test bed's own build of the kubernetes provider, named so the engine does not look it up on
# PATH (which puts a warning per provider around every preview's diff).
printf '\nplugins:\n  providers:\n    - name: kubernetes\n      path: %s\n' "$bin" >>"$demo/project/Pulumi.yaml"
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

# The quota webhook runs as its rendered Deployment, behind its Service (no URL override; an
# earlier demo's local webhook process is stopped).
pulumi config rm webhookUrl 2>/dev/null || true
pulumi config rm webhookCaBundle 2>/dev/null || true
[[ -f $demo/webhook/pid ]] && kill "$(cat "$demo/webhook/pid")" 2>/dev/null && rm -f "$demo/webhook/pid"

step "KubeVirt, CDI and the HPP operator, simulated (the only simulated parts), left serving"
if ! { [[ -f $sandbox/kubevirt/pid ]] && kill -0 "$(cat "$sandbox/kubevirt/pid")" 2>/dev/null; }; then
  rm -f "$sandbox/kubevirt/pid"
  mkdir -p "$sandbox/kubevirt"
  (cd "$root" && KMETAL_SANDBOX=$sandbox setsid nohup mvn -B -q -Dstyle.color=never -pl testbed exec:java \
    -Dexec.mainClass=io.kmetal.storage.testbed.kubevirt.KubevirtDaemon -Dexec.args="alpha alpha-prod alpha-dev" \
    >"$sandbox/kubevirt/simulator.log" 2>&1 </dev/null &)
  for _ in $(seq 1 240); do [[ -f $sandbox/kubevirt/pid ]] && break; sleep 0.5; done
  [[ -f $sandbox/kubevirt/pid ]] || { cat "$sandbox/kubevirt/simulator.log"; exit 1; }
fi
echo "   pid $(cat "$sandbox/kubevirt/pid"), log $sandbox/kubevirt/simulator.log (./kmetal sandbox down stops it);"
echo "   the tenant workers' VMs start once pulumi up has deployed their clusters' drivers"

step "pulumi up"
# --refresh: the sandbox may have been recreated since the last run (its objects gone)
pulumi up --yes --skip-preview --refresh --suppress-progress

step "What landed where"
show() {
  local kubeconfig=$1 title=$2
  echo "-- $title"
  kubectl --kubeconfig "$kubeconfig" get storageclass,csidriver,resourcequota,deployment,daemonset,validatingwebhookconfiguration \
    --all-namespaces -l app.kubernetes.io/part-of=kmetal-storage 2>/dev/null | sed 's/^/   /'
  kubectl --kubeconfig "$kubeconfig" get pods --all-namespaces -o wide \
    -l app.kubernetes.io/part-of=kmetal-storage 2>/dev/null | sed 's/^/   /'
}
show "$under" "under cluster"
for cluster in alpha-prod alpha-dev; do show "$sandbox/tenants/alpha/$cluster/kubeconfig" "tenant cluster alpha/$cluster"; done

step "The tenant API servers find the webhook's Service as the under cluster's DNS would answer them"
KMETAL_SANDBOX=$sandbox "$root/testbed/sandbox/sandbox.sh" dns

step "The tenant workers' VMs (simulated)"
for _ in $(seq 1 120); do
  (($(grep -c '^kubevirt simulator: VM' "$sandbox/kubevirt/simulator.log") >= 2)) && break
  sleep 0.5
done
grep '^kubevirt simulator: VM' "$sandbox/kubevirt/simulator.log" | sed 's/^/   /'

step "Preview of an edited input: tenant alpha's quota 10Gi -> 12Gi"
pulumi config set alphaQuota 12Gi
pulumi preview --diff --suppress-progress || true
pulumi config set alphaQuota 10Gi

step "The CSI driver at work: in each tenant cluster a pod's claim provisions, hot-plugs and mounts"
for cluster in alpha-prod alpha-dev; do
  tk="$sandbox/tenants/alpha/$cluster/kubeconfig"
  kubectl --kubeconfig "$tk" apply -f - >/dev/null <<'WORKLOAD'
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: demo-data, namespace: default}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: demo-app, namespace: default}
spec:
  securityContext: {runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532}
  containers:
  - name: app
    image: localhost/kmetal-storage/busybox:0.1.0
    imagePullPolicy: Never
    command: [sh, -c, 'date > /data/hello && df -h /data && sleep 2147483647']
    volumeMounts: [{name: data, mountPath: /data}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: demo-data}}]
WORKLOAD
done
for cluster in alpha-prod alpha-dev; do
  tk="$sandbox/tenants/alpha/$cluster/kubeconfig"
  kubectl --kubeconfig "$tk" -n default wait pod/demo-app --for=condition=Ready --timeout=300s >/dev/null
  echo "-- tenant cluster alpha/$cluster"
  kubectl --kubeconfig "$tk" -n default get pvc/demo-data pod/demo-app -o wide | sed 's/^/   /'
  kubectl --kubeconfig "$tk" get volumeattachments | sed 's/^/   /'
  kubectl --kubeconfig "$tk" -n default logs demo-app | sed 's/^/   demo-app: /'
done
echo "-- under cluster: the DataVolumes, counted by alpha's ResourceQuota"
kubectl --kubeconfig "$under" -n alpha get datavolumes,resourcequota 2>/dev/null | sed 's/^/   /'

step "A claim beyond alpha's 10Gi is refused by the webhook, reached through its Service"
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
  kubectl --kubeconfig $sandbox/tenants/alpha/alpha-prod/kubeconfig get pods,pvc -A
Your own claims in a tenant cluster bind, attach and mount as demo-data did (the driver, the
sidecars and the node plugin run as pods; the KubeVirt/CDI simulator keeps serving).
Tear down:
  (cd $demo/project && PULUMI_HOME=$demo/pulumi-home PULUMI_BACKEND_URL=file://$demo/state PULUMI_CONFIG_PASSPHRASE=kmetal-demo $bin/pulumi destroy --yes --stack demo)
  ./kmetal sandbox down   # the nodes, their pods and mounts, the simulator
TXT
