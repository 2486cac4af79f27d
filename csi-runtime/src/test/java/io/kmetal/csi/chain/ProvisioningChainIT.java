package io.kmetal.csi.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kmetal.csi.disk.DiskSerial;
import io.kmetal.storage.testbed.Sandbox;
import io.kmetal.storage.testbed.csi.DriverProcess;
import io.kmetal.storage.testbed.csi.Sidecars;
import io.kmetal.storage.testbed.kubevirt.Kinds;
import io.kmetal.storage.testbed.kubevirt.KubevirtSimulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole provisioning chain on the sandbox, with what TenantStorage renders ({@link
 * RenderedTenant}: the controller acts as the rendered ServiceAccount): the real sidecars and the
 * tenant's real kube-controller-manager (binding, attach/detach, PVC protection) drive the packaged
 * driver; the controller works on the under cluster's real API server, where the KubeVirt/CDI
 * simulator plays the VM and CDI (loop devices for disks); the node plugin formats and mounts for
 * real. Only the kubelet is played by the test ({@link Kubelet}): no tenant VM can run here.
 */
class ProvisioningChainIT {
  private static final String TENANT_NS = "chain";
  private static final String CLUSTER = "chain-one";
  private static final String INFRA_NS = TENANT_NS; // TenantStorage: the tenant's namespace
  private static final String VM = "chain-vm";
  private static final String NODE = "chain-node";
  private static final String APP_NS = "app";
  private static final String INFRA_SNAPSHOT_CLASS = "chain-snapshots";
  private static final Map<String, String> LABELS =
      Map.of("csi.kubevirt.io/tenant-cluster", CLUSTER);

  private static Path dir;
  private static KubevirtSimulator kubevirt;
  private static KubernetesClient under;
  private static KubernetesClient tenant;
  private static DriverProcess controller;
  private static DriverProcess node;
  private static Sidecars sidecars;
  private static Kubelet kubelet;
  private static int metricsPort;
  private static RenderedTenant rendered;

  @BeforeAll
  static void startChain() throws Exception {
    Sandbox sandbox = Sandbox.withTenants(List.of(TENANT_NS + "/" + CLUSTER));
    Sandbox.Cluster tenantCluster = sandbox.tenant(TENANT_NS, CLUSTER);
    dir = Files.createTempDirectory("chain-");
    under = sandbox.under().client();
    tenant = tenantCluster.client();
    kubevirt = KubevirtSimulator.start(sandbox, dir.resolve("kubevirt"));
    kubevirt.startVm(INFRA_NS, VM, LABELS);
    // the tenant's snapshot class, mapped by the platform to the under cluster's class
    rendered =
        RenderedTenant.render(
            TENANT_NS,
            CLUSTER,
            "snapshotClasses: [{name: kubevirt-snapshot, infraSnapshotClassName: "
                + INFRA_SNAPSHOT_CLASS
                + "}]");
    rendered.apply(under, tenant);
    registerNodeAndAppNamespace();
    try (var socket = new java.net.ServerSocket(0)) {
      metricsPort = socket.getLocalPort();
    }
    Path config = rendered.driverConfig(dir.resolve("driver-config"));
    Path asServiceAccount =
        rendered.controllerKubeconfig(under, dir.resolve("controller.kubeconfig"));
    controller =
        DriverProcess.start(
            "controller",
            dir.resolve("controller.sock"),
            dir.resolve("controller.log"),
            List.of(
                "--driver-config=" + config,
                "--under-kubeconfig=" + asServiceAccount,
                "--tenant-cluster=" + CLUSTER,
                "--metrics-address=127.0.0.1:" + metricsPort));
    node =
        DriverProcess.start(
            "node",
            dir.resolve("node.sock"),
            dir.resolve("node.log"),
            List.of(
                "--node-name=" + NODE,
                "--kubeconfig=" + tenantCluster.kubeconfig(),
                "--disk-by-id-dir=" + kubevirt.byIdDir(VM)));
    sidecars = Sidecars.start(tenantCluster.kubeconfig(), controller.socket(), dir);
    kubelet = new Kubelet(node.socket());
    assertEquals(VM, kubelet.register(tenant, NODE), "the node id is the VM named by providerID");
    removeWorkloads(); // left by a run that was killed
  }

  /** Deletes the test's pods, snapshots and claims, and lets the chain clean up behind them. */
  private static void removeWorkloads() throws InterruptedException {
    tenant.pods().inNamespace(APP_NS).withGracePeriod(0).delete();
    tenant.genericKubernetesResources(Kinds.VOLUME_SNAPSHOT).inNamespace(APP_NS).delete();
    tenant.persistentVolumeClaims().inNamespace(APP_NS).delete();
    await(
        "no PersistentVolume is left in the tenant",
        () -> tenant.persistentVolumes().list().getItems().isEmpty());
    await(
        "no DataVolume, VolumeSnapshot or claim is left in the under cluster",
        () ->
            under
                    .genericKubernetesResources(Kinds.DATA_VOLUME)
                    .inNamespace(INFRA_NS)
                    .list()
                    .getItems()
                    .isEmpty()
                && under
                    .genericKubernetesResources(Kinds.VOLUME_SNAPSHOT)
                    .inNamespace(INFRA_NS)
                    .list()
                    .getItems()
                    .isEmpty()
                && under
                    .persistentVolumeClaims()
                    .inNamespace(INFRA_NS)
                    .list()
                    .getItems()
                    .isEmpty());
  }

  /** The worker node as KubeVirt's cloud provider makes it, and the test's app namespace. */
  private static void registerNodeAndAppNamespace() {
    tenant
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(NODE)
                .addToAnnotations("volumes.kubernetes.io/controller-managed-attach-detach", "true")
                .endMetadata()
                .withNewSpec()
                .withProviderID("kubevirt://" + VM)
                .endSpec()
                .build())
        .serverSideApply();
    tenant
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(APP_NS).endMetadata().build())
        .serverSideApply();
  }

  @AfterAll
  static void stopChain() throws Exception {
    if (kubelet != null) kubelet.close(); // unmounts what a failure midway left mounted
    if (sidecars != null && kubelet != null) removeWorkloads();
    if (sidecars != null) sidecars.close();
    if (node != null) node.close();
    if (controller != null) controller.close();
    if (kubevirt != null) {
      kubevirt.deleteVm(INFRA_NS, VM);
      kubevirt.close();
    }
    if (rendered != null && tenant != null) rendered.remove(under, tenant);
    if (tenant != null) {
      tenant.storage().v1().csiNodes().withName(NODE).delete();
      tenant.nodes().withName(NODE).delete();
      tenant.close();
    }
    if (under != null) under.close();
  }

  @Test
  void aTenantClaimIsProvisionedAttachedMountedExpandedSnapshottedRestoredAndCleanedUp()
      throws Exception {
    // provision: the tenant claim becomes a DataVolume (and a bound claim) in the under cluster
    PersistentVolumeClaim data = claim("data", "64Mi", null);
    String volume = boundVolume(data);
    GenericKubernetesResource dv =
        under
            .genericKubernetesResources(Kinds.DATA_VOLUME)
            .inNamespace(INFRA_NS)
            .withName(volume)
            .get();
    assertEquals(CLUSTER, dv.getMetadata().getLabels().get("csi.kubevirt.io/tenant-cluster"));
    await("the under claim of " + volume + " is Bound", () -> underClaimBound(volume));

    // attach: a pod on the node → VolumeAttachment → hot-plug into the VM
    pod("writer", "data");
    Map<String, String> context = attached(volume);
    assertEquals(DiskSerial.of(volume), context.get("serial"));
    Path disk = kubevirt.byIdDir(VM).resolve("scsi-0QEMU_QEMU_HARDDISK_" + DiskSerial.of(volume));
    assertTrue(Files.isSymbolicLink(disk), "the VM sees the disk");

    // mount for real and write
    Path staging = Files.createDirectories(dir.resolve("staging-data"));
    Path target = dir.resolve("pods/writer/data");
    kubelet.mount(volume, context, staging, target);
    Files.writeString(target.resolve("hello.txt"), "written before the snapshot");
    // a snapshot is crash-consistent: it holds what the application synced
    assertEquals(0, new ProcessBuilder("sync", "-f", target.toString()).start().waitFor());

    // expand: the resizer grows the DataVolume, CDI the disk; the node grows the filesystem
    long before = deviceBytes(disk);
    tenant
        .persistentVolumeClaims()
        .inNamespace(APP_NS)
        .withName("data")
        .edit(
            c -> {
              c.getSpec().getResources().getRequests().put("storage", new Quantity("128Mi"));
              return c;
            });
    await("the disk grows to 128Mi", () -> deviceBytes(disk) == 128L << 20);
    assertTrue(deviceBytes(disk) > before);
    expandFilesystem(volume, target);

    // snapshot, and restore into a new claim that holds the same file
    snapshot("snap", "data");
    assertEquals(
        List.of(INFRA_SNAPSHOT_CLASS),
        under
            .genericKubernetesResources(Kinds.VOLUME_SNAPSHOT)
            .inNamespace(INFRA_NS)
            .list()
            .getItems()
            .stream()
            .map(
                vs ->
                    ((Map<?, ?>) vs.getAdditionalProperties().get("spec"))
                        .get("volumeSnapshotClassName"))
            .toList(),
        "the under snapshot is taken with the class the platform mapped the tenant's class to");
    snapshotOverTheCapIsRefusedWithTheQuotaNamed();
    PersistentVolumeClaim restored = claim("restored", "128Mi", "snap");
    String restoredVolume = boundVolume(restored);
    pod("reader", "restored");
    Map<String, String> restoredContext = attached(restoredVolume);
    Path restoredStaging = Files.createDirectories(dir.resolve("staging-restored"));
    Path restoredTarget = dir.resolve("pods/reader/restored");
    kubelet.mount(restoredVolume, restoredContext, restoredStaging, restoredTarget);
    assertEquals(
        "written before the snapshot",
        Files.readString(restoredTarget.resolve("hello.txt"), StandardCharsets.UTF_8));

    // tear down: nothing is left in either cluster
    kubelet.unmount(volume, staging, target);
    kubelet.unmount(restoredVolume, restoredStaging, restoredTarget);
    removeWorkloads();
    assertFalse(Files.exists(disk, LinkOption.NOFOLLOW_LINKS), "the disk is unplugged");
    assertEquals(List.of(), kubevirt.awaitVolumesGone(INFRA_NS, 90));
    String metrics =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    for (String method :
        List.of(
            "CreateVolume",
            "ControllerPublishVolume",
            "ControllerExpandVolume",
            "CreateSnapshot",
            "ControllerUnpublishVolume",
            "DeleteVolume"))
      assertTrue(
          metrics.contains("kmetal_csi_operations_total{code=\"OK\",method=\"" + method + "\"}"),
          method + " is counted:\n" + metrics);
    assertFalse(Files.readString(controller.log()).contains("BEGIN"), "no key material logged");
    assertEquals(List.of(), sidecars.exited());
  }

  /**
   * No quota webhook here (the bypass: it is down or skipped), so the under cluster's ResourceQuota
   * (10Gi) refuses CDI's claim for a 20Gi volume: CreateVolume sees CDI's refusal, removes the
   * DataVolume and fails RESOURCE_EXHAUSTED, and the tenant claim gets the provisioner's
   * ProvisioningFailed event with the quota's numbers instead of staying Pending in silence.
   */
  @Test
  void aClaimTheUnderQuotaRefusesFailsWithTheQuotaNamedAndLeavesNoDataVolume() throws Exception {
    PersistentVolumeClaim big = claim("over-quota", "20Gi", null);
    String volume = "pvc-" + big.getMetadata().getUid();
    try {
      await(
          "a ProvisioningFailed event naming the quota on claim over-quota",
          () ->
              tenant.v1().events().inNamespace(APP_NS).list().getItems().stream()
                  .anyMatch(
                      e ->
                          "over-quota".equals(e.getInvolvedObject().getName())
                              && "ProvisioningFailed".equals(e.getReason())
                              && e.getMessage().contains("insufficient storage quota")
                              && e.getMessage().contains("exceeded quota: chain-storage")
                              && e.getMessage().contains("the DataVolume is removed")));
      assertEquals("Pending", tenant.resource(big).get().getStatus().getPhase());
    } finally {
      tenant.resource(big).delete();
    }
    await(
        "no DataVolume is left for the refused claim",
        () ->
            under
                    .genericKubernetesResources(Kinds.DATA_VOLUME)
                    .inNamespace(INFRA_NS)
                    .withName(volume)
                    .get()
                == null);
    assertTrue(
        under.persistentVolumeClaims().inNamespace(INFRA_NS).withName(volume).get() == null,
        "nor an under claim");
  }

  /**
   * maxSnapshots is the under quota's {@code count/volumesnapshots}: with the cap lowered to the
   * one snapshot the namespace holds, the next one fails RESOURCE_EXHAUSTED and the tenant's
   * snapshot carries the quota's numbers; nothing is taken in the under cluster.
   */
  private static void snapshotOverTheCapIsRefusedWithTheQuotaNamed() throws Exception {
    String key = "count/volumesnapshots.snapshot.storage.k8s.io";
    var quota = under.resourceQuotas().inNamespace(INFRA_NS).withName("chain-storage");
    assertEquals("100", quota.get().getSpec().getHard().get(key).toString(), "the default cap");
    quota.edit(
        q -> {
          q.getSpec().getHard().put(key, new Quantity("1"));
          return q;
        });
    // quota admission enforces the status's hard, which the controller manager copies over
    quota.waitUntilCondition(
        q -> q.getStatus().getHard().get(key).equals(new Quantity("1")), 60, TimeUnit.SECONDS);
    try {
      createSnapshot("snap-over", "data");
      await(
          "snapshot snap-over reports the quota",
          () -> {
            var vs =
                tenant
                    .genericKubernetesResources(Kinds.VOLUME_SNAPSHOT)
                    .inNamespace(APP_NS)
                    .withName("snap-over")
                    .get();
            String status = String.valueOf(vs.getAdditionalProperties().get("status"));
            return status.contains("insufficient storage quota")
                && status.contains("exceeded quota: chain-storage")
                && status.contains("count/volumesnapshots.snapshot.storage.k8s.io");
          });
      assertEquals(
          1,
          under
              .genericKubernetesResources(Kinds.VOLUME_SNAPSHOT)
              .inNamespace(INFRA_NS)
              .list()
              .getItems()
              .size());
    } finally {
      tenant
          .genericKubernetesResources(Kinds.VOLUME_SNAPSHOT)
          .inNamespace(APP_NS)
          .withName("snap-over")
          .delete();
      quota.edit(
          q -> {
            q.getSpec().getHard().put(key, new Quantity("100"));
            return q;
          });
    }
  }

  private static PersistentVolumeClaim claim(String name, String size, String snapshot) {
    var builder = TenantClaims.onNode(APP_NS, NODE, name, size);
    if (snapshot != null)
      builder
          .editSpec()
          .withNewDataSource()
          .withApiGroup("snapshot.storage.k8s.io")
          .withKind("VolumeSnapshot")
          .withName(snapshot)
          .endDataSource()
          .endSpec();
    return tenant.persistentVolumeClaims().resource(builder.build()).create();
  }

  /** Waits for the claim to bind; returns its volume handle (the DataVolume's name). */
  private static String boundVolume(PersistentVolumeClaim claim) throws InterruptedException {
    String name = claim.getMetadata().getName();
    await(
        "claim " + name + " is Bound",
        () ->
            "Bound"
                .equals(
                    tenant
                        .persistentVolumeClaims()
                        .inNamespace(APP_NS)
                        .withName(name)
                        .get()
                        .getStatus()
                        .getPhase()));
    String pv =
        tenant
            .persistentVolumeClaims()
            .inNamespace(APP_NS)
            .withName(name)
            .get()
            .getSpec()
            .getVolumeName();
    return tenant.persistentVolumes().withName(pv).get().getSpec().getCsi().getVolumeHandle();
  }

  private static boolean underClaimBound(String volume) {
    var pvc = under.persistentVolumeClaims().inNamespace(INFRA_NS).withName(volume).get();
    return pvc != null && "Bound".equals(pvc.getStatus().getPhase());
  }

  private static void pod(String name, String claim) {
    tenant
        .pods()
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(APP_NS)
                .endMetadata()
                .withNewSpec()
                .withNodeName(NODE)
                .addNewContainer()
                .withName("app")
                .withImage("registry.k8s.io/pause:3.10")
                .addNewVolumeMount()
                .withName("data")
                .withMountPath("/data")
                .endVolumeMount()
                .endContainer()
                .addNewVolume()
                .withName("data")
                .withNewPersistentVolumeClaim()
                .withClaimName(claim)
                .endPersistentVolumeClaim()
                .endVolume()
                .endSpec()
                .build())
        .create();
  }

  /** Waits until the attacher reports the volume attached; returns its publish context. */
  private static Map<String, String> attached(String volume) throws InterruptedException {
    await("volume " + volume + " is attached", () -> attachment(volume) != null);
    return attachment(volume).getStatus().getAttachmentMetadata();
  }

  private static VolumeAttachment attachment(String volume) {
    return tenant.storage().v1().volumeAttachments().list().getItems().stream()
        .filter(va -> va.getStatus() != null && Boolean.TRUE.equals(va.getStatus().getAttached()))
        .filter(
            va -> {
              String pv = va.getSpec().getSource().getPersistentVolumeName();
              var volumeObject = pv == null ? null : tenant.persistentVolumes().withName(pv).get();
              return volumeObject != null
                  && volume.equals(volumeObject.getSpec().getCsi().getVolumeHandle());
            })
        .findFirst()
        .orElse(null);
  }

  private static void snapshot(String name, String claim) throws InterruptedException {
    createSnapshot(name, claim);
    await(
        "snapshot " + name + " is ready",
        () -> {
          var vs =
              tenant
                  .genericKubernetesResources(Kinds.VOLUME_SNAPSHOT)
                  .inNamespace(APP_NS)
                  .withName(name)
                  .get();
          return vs.getAdditionalProperties().get("status") instanceof Map<?, ?> status
              && Boolean.TRUE.equals(status.get("readyToUse"));
        });
  }

  private static void createSnapshot(String name, String claim) {
    tenant
        .genericKubernetesResources(Kinds.VOLUME_SNAPSHOT)
        .resource(VolumeSnapshots.of(APP_NS, name, "kubevirt-snapshot", claim))
        .create();
  }

  /**
   * Grows the mounted filesystem as kubelet would. Online ext4 growth needs CAP_SYS_RESOURCE, which
   * this machine's sandbox lacks (a node pod has it): there the kernel's refusal must reach us.
   */
  private static void expandFilesystem(String volume, Path target) throws Exception {
    long before = Files.getFileStore(target).getTotalSpace();
    try {
      kubelet.expand(volume, target, 128L << 20);
      assertTrue(Files.getFileStore(target).getTotalSpace() > before, "the filesystem grew");
    } catch (io.grpc.StatusRuntimeException e) {
      assertTrue(
          String.valueOf(e.getStatus().getDescription()).contains("resize2fs"),
          e.getStatus().toString());
      assertFalse(hasCapability(24), "refused although CAP_SYS_RESOURCE is there: " + e);
    }
  }

  /** Whether this process has capability {@code bit} (CapEff in /proc/self/status). */
  private static boolean hasCapability(int bit) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status")))
      if (line.startsWith("CapEff:"))
        return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << bit)) != 0;
    return false;
  }

  private static long deviceBytes(Path disk) {
    try {
      Process p =
          new ProcessBuilder("blockdev", "--getsize64", disk.toRealPath().toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.waitFor() == 0 ? Long.parseLong(out) : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(String what, Condition condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      try {
        if (condition.holds()) return;
      } catch (Exception e) {
        // not there yet
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    throw new AssertionError(
        "timed out waiting until "
            + what
            + "; logs in "
            + dir
            + ", exited sidecars: "
            + sidecars.exited());
  }
}
