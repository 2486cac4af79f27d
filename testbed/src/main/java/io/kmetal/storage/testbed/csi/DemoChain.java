package io.kmetal.storage.testbed.csi;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.CSINodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kmetal.storage.testbed.Sandbox;
import io.kmetal.storage.testbed.kubevirt.KubevirtSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./kmetal demo}'s last act: the CSI driver of each deployed tenant cluster, run as local
 * processes wired as TenantStorage's Deployment and DaemonSet say (the driver ConfigMap it rendered
 * into the under cluster, the tenant's kubeconfig, the real sidecars), with the KubeVirt simulator
 * for the VMs. A pod's claim of the tenant's default class really provisions (a DataVolume, a claim
 * counted by the tenant's ResourceQuota), binds and attaches; then it is all deleted again.
 *
 * <p>Arguments: {@code <tenant-namespace> <cluster>...}.
 */
public final class DemoChain {
  private static final String NODE = "kwok-node-0";

  private DemoChain() {}

  public static void main(String[] args) throws Exception {
    String namespace = args[0];
    Sandbox sandbox = Sandbox.running();
    Path dir = Files.createTempDirectory("kmetal-demo-chain-");
    List<AutoCloseable> running = new ArrayList<>();
    try (KubevirtSimulator kubevirt = KubevirtSimulator.start(sandbox, dir.resolve("kubevirt"));
        KubernetesClient under = sandbox.under().client()) {
      for (int i = 1; i < args.length; i++) {
        String cluster = args[i];
        Sandbox.Cluster tenant = sandbox.tenant(namespace, cluster);
        Path work = Files.createDirectories(dir.resolve(cluster));
        Map<String, String> config = driverConfig(under, namespace, cluster, work);
        String vm = cluster + "-worker-0";
        kubevirt.startVm(config.get("infraClusterNamespace"), vm, labels(config));
        try (KubernetesClient client = tenant.client()) {
          registerNode(client, vm);
        }
        var controller =
            DriverProcess.start(
                "controller",
                work.resolve("controller.sock"),
                work.resolve("controller.log"),
                List.of(
                    "--driver-config=" + work.resolve("config"),
                    "--tenant-cluster=" + cluster,
                    "--under-kubeconfig=" + sandbox.under().kubeconfig()));
        running.add(controller);
        running.add(
            DriverProcess.start(
                "node",
                work.resolve("node.sock"),
                work.resolve("node.log"),
                List.of(
                    "--node-name=" + NODE,
                    "--kubeconfig=" + tenant.kubeconfig(),
                    "--disk-by-id-dir=" + kubevirt.byIdDir(vm))));
        running.add(Sidecars.start(tenant.kubeconfig(), controller.socket(), work));
      }
      for (int i = 1; i < args.length; i++) claimAndShow(sandbox, under, namespace, args[i]);
    } finally {
      for (AutoCloseable process : running) process.close();
    }
  }

  /** The rendered driver ConfigMap, written as the Deployment mounts it. */
  private static Map<String, String> driverConfig(
      KubernetesClient under, String namespace, String cluster, Path work) throws Exception {
    String name = "kubevirt-csi-controller-" + cluster + "-config";
    var configMap = under.configMaps().inNamespace(namespace).withName(name).get();
    if (configMap == null)
      throw new IllegalStateException(
          "no ConfigMap " + namespace + "/" + name + ": deploy the fleet first (./kmetal demo)");
    Path dir = Files.createDirectories(work.resolve("config"));
    for (var entry : configMap.getData().entrySet())
      Files.writeString(dir.resolve(entry.getKey()), entry.getValue());
    return configMap.getData();
  }

  private static Map<String, String> labels(Map<String, String> config) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String pair : config.get("infraClusterLabels").split(",")) {
      int eq = pair.indexOf('=');
      labels.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return labels;
  }

  /**
   * What the KubeVirt cloud provider and the kubelet do for a worker: the node names its VM, the
   * attach/detach controller manages it, and its CSINode lists the driver with the VM as node id.
   */
  private static void registerNode(KubernetesClient tenant, String vm) {
    tenant
        .nodes()
        .withName(NODE)
        .edit(
            n -> {
              n.getMetadata().getAnnotations().put("csi.kubevirt.io/infra-vm-name", vm);
              n.getMetadata()
                  .getAnnotations()
                  .put("volumes.kubernetes.io/controller-managed-attach-detach", "true");
              return n;
            });
    tenant
        .storage()
        .v1()
        .csiNodes()
        .resource(
            new CSINodeBuilder()
                .withNewMetadata()
                .withName(NODE)
                .endMetadata()
                .withNewSpec()
                .addNewDriver()
                .withName("csi.kubevirt.io")
                .withNodeID(vm)
                .endDriver()
                .endSpec()
                .build())
        .serverSideApply();
  }

  private static void claimAndShow(
      Sandbox sandbox, KubernetesClient under, String namespace, String cluster) throws Exception {
    try (KubernetesClient tenant = sandbox.tenant(namespace, cluster).client()) {
      tenant
          .persistentVolumeClaims()
          .resource(
              new PersistentVolumeClaimBuilder()
                  .withNewMetadata()
                  .withName("demo-data")
                  .withNamespace("default")
                  .endMetadata()
                  .withNewSpec()
                  .withAccessModes("ReadWriteOnce")
                  .withNewResources()
                  .addToRequests("storage", new Quantity("1Gi"))
                  .endResources()
                  .endSpec()
                  .build())
          .serverSideApply();
      tenant
          .pods()
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName("demo-app")
                  .withNamespace("default")
                  .endMetadata()
                  .withNewSpec()
                  .addNewContainer()
                  .withName("app")
                  .withImage("registry.k8s.io/pause:3.10")
                  .endContainer()
                  .addNewVolume()
                  .withName("data")
                  .withNewPersistentVolumeClaim()
                  .withClaimName("demo-data")
                  .endPersistentVolumeClaim()
                  .endVolume()
                  .endSpec()
                  .build())
          .serverSideApply();
      String pv = awaitBound(tenant);
      String volume =
          tenant.persistentVolumes().withName(pv).get().getSpec().getCsi().getVolumeHandle();
      boolean attached = awaitAttached(tenant, pv);
      var dv =
          under
              .genericKubernetesResources("cdi.kubevirt.io/v1beta1", "DataVolume")
              .inNamespace(namespace)
              .withName(volume)
              .get();
      var underClaim = under.persistentVolumeClaims().inNamespace(namespace).withName(volume).get();
      System.out.printf(
          "%s: claim default/demo-data Bound to %s; under cluster: DataVolume %s/%s %s, claim %s"
              + " of %s bytes (with CDI's filesystem overhead; counted by the tenant's"
              + " ResourceQuota); VolumeAttachment %s%n",
          cluster,
          pv,
          namespace,
          volume,
          dv == null
              ? "missing"
              : String.valueOf(
                  ((Map<?, ?>) dv.getAdditionalProperties().getOrDefault("status", Map.of()))
                      .get("phase")),
          underClaim == null ? "missing" : underClaim.getStatus().getPhase(),
          underClaim == null
              ? "-"
              : underClaim.getSpec().getResources().getRequests().get("storage"),
          attached ? "attached (hot-plugged into VM " + cluster + "-worker-0)" : "not attached");
      tenant.pods().inNamespace("default").withName("demo-app").withGracePeriod(0).delete();
      tenant.persistentVolumeClaims().inNamespace("default").withName("demo-data").delete();
      awaitGone(tenant, pv);
      System.out.printf(
          "%s: claim deleted, volume %s released and deleted in both clusters%n", cluster, volume);
    }
  }

  private static String awaitBound(KubernetesClient tenant) throws InterruptedException {
    for (int i = 0; i < 480; i++) {
      var pvc = tenant.persistentVolumeClaims().inNamespace("default").withName("demo-data").get();
      if (pvc != null && "Bound".equals(pvc.getStatus().getPhase()))
        return pvc.getSpec().getVolumeName();
      TimeUnit.MILLISECONDS.sleep(250);
    }
    throw new IllegalStateException("the demo claim did not bind in 120 s");
  }

  private static boolean awaitAttached(KubernetesClient tenant, String pv)
      throws InterruptedException {
    for (int i = 0; i < 240; i++) {
      boolean attached =
          tenant.storage().v1().volumeAttachments().list().getItems().stream()
              .anyMatch(
                  va ->
                      pv.equals(va.getSpec().getSource().getPersistentVolumeName())
                          && va.getStatus() != null
                          && Boolean.TRUE.equals(va.getStatus().getAttached()));
      if (attached) return true;
      TimeUnit.MILLISECONDS.sleep(250);
    }
    return false;
  }

  private static void awaitGone(KubernetesClient tenant, String pv) throws InterruptedException {
    for (int i = 0; i < 480 && tenant.persistentVolumes().withName(pv).get() != null; i++)
      TimeUnit.MILLISECONDS.sleep(250);
  }
}
