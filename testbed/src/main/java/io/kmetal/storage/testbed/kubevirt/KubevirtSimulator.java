package io.kmetal.storage.testbed.kubevirt;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kmetal.storage.testbed.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * KubeVirt and CDI for the sandbox's under cluster, where no VM can run: tenant worker VMs are
 * VirtualMachine/VMI objects, {@code addvolume}/{@code removevolume} are served by a virt-api
 * registered as the APIService {@code v1.subresources.kubevirt.io} (so the real API server
 * authenticates, authorizes and proxies each call), DataVolumes and VolumeSnapshots are fulfilled
 * on sparse image files, and a hot-plugged disk is a real loop device that a node plugin finds by
 * serial in {@link #byIdDir(String) its VM's by-id folder}. Small on purpose; everything the CSI
 * driver talks to is the real API server.
 *
 * <p>One simulator per under cluster at a time: {@link #close()} unregisters the APIService (an
 * unavailable aggregated API would stall namespace deletion for everyone).
 */
public final class KubevirtSimulator implements AutoCloseable {
  static final String API_SERVICE = "v1.subresources.kubevirt.io";
  private static final String NAMESPACE = "kubevirt";

  private final KubernetesClient under;
  private final LoopDisks disks;
  private final HotPlug hotPlug;
  private final VirtApi virtApi;
  private final CdiSimulator cdi;
  private final SnapshotSimulator snapshots;
  private final Thread shutdownHook = new Thread(this::close);

  private KubevirtSimulator(Sandbox sandbox, Path work) throws IOException {
    this.under = sandbox.under().client();
    // a VM that is one of the sandbox's real nodes gets its disks in that node's /dev/disk/by-id
    this.disks =
        new LoopDisks(
            work,
            vm ->
                sandbox
                    .nodeDir(vm)
                    .map(node -> node.resolve("dev-disk/by-id"))
                    .orElse(work.resolve("by-id").resolve(vm)));
    this.hotPlug = new HotPlug(under, disks);
    Path pki = sandbox.pki();
    this.virtApi =
        new VirtApi(
            Tls.server(
                pki.resolve("virt-api.crt"),
                pki.resolve("virt-api.key"),
                pki.resolve("front-proxy-ca.crt")),
            hotPlug);
    register(Files.readAllBytes(pki.resolve("ca.crt")));
    this.cdi = new CdiSimulator(under, disks);
    this.snapshots = new SnapshotSimulator(under, disks);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts the simulator on the running sandbox, keeping its images under {@code work}. */
  public static KubevirtSimulator start(Sandbox sandbox, Path work) throws IOException {
    return new KubevirtSimulator(sandbox, work);
  }

  /**
   * A running tenant worker: a VirtualMachine and its VMI in {@code namespace}, with {@code labels}
   * (the tenant cluster's, which the driver requires).
   */
  public void startVm(String namespace, String name, Map<String, String> labels) {
    ensureNamespace(namespace);
    Map<String, Object> domain = Map.of("devices", Map.of("disks", List.of()));
    GenericKubernetesResource vm =
        under
            .genericKubernetesResources(Kinds.VM)
            .resource(
                object(
                    "VirtualMachine",
                    namespace,
                    name,
                    labels,
                    Map.of(
                        "running",
                        true,
                        "template",
                        Map.of(
                            "metadata", Map.of("labels", labels),
                            "spec", Map.of("domain", domain, "volumes", List.of())))))
            .serverSideApply();
    GenericKubernetesResource vmi = runningVmi(namespace, name, labels);
    // virt-controller creates the VMI as the VM's: KubeVirt refuses hot-plug requests to it then
    vmi.getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion("kubevirt.io/v1")
                    .withKind("VirtualMachine")
                    .withName(name)
                    .withUid(vm.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build()));
    under.genericKubernetesResources(Kinds.VMI).resource(vmi).serverSideApply();
  }

  /**
   * A running VMI that no VM owns (as {@code virtctl} or a test creates one): hot-plug requests go
   * to the VMI itself.
   */
  public void startVmiWithoutVm(String namespace, String name, Map<String, String> labels) {
    ensureNamespace(namespace);
    under
        .genericKubernetesResources(Kinds.VMI)
        .resource(runningVmi(namespace, name, labels))
        .serverSideApply();
  }

  private static GenericKubernetesResource runningVmi(
      String namespace, String name, Map<String, String> labels) {
    GenericKubernetesResource vmi =
        object(
            "VirtualMachineInstance",
            namespace,
            name,
            labels,
            Map.of("domain", Map.of("devices", Map.of("disks", List.of())), "volumes", List.of()));
    vmi.setAdditionalProperty("status", Map.of("phase", "Running", "volumeStatus", List.of()));
    return vmi;
  }

  /** Stops and deletes the VM and its VMI (their disks are unplugged first). */
  public void deleteVm(String namespace, String name) throws IOException {
    var vmi =
        under.genericKubernetesResources(Kinds.VMI).inNamespace(namespace).withName(name).get();
    if (vmi != null)
      for (var volume : Kinds.list(Kinds.map(vmi, "spec"), "volumes"))
        disks.detach(name, String.valueOf(volume.get("name")));
    under.genericKubernetesResources(Kinds.VMI).inNamespace(namespace).withName(name).delete();
    under.genericKubernetesResources(Kinds.VM).inNamespace(namespace).withName(name).delete();
  }

  /** What the node plugin of VM {@code vm} reads as {@code /dev/disk/by-id}. */
  public Path byIdDir(String vm) throws IOException {
    return Files.createDirectories(disks.byId(vm));
  }

  /** The image file behind DataVolume {@code namespace/name} (its "disk" in the storage). */
  public Path image(String namespace, String name) {
    return disks.image(namespace, name);
  }

  /**
   * Waits until no PersistentVolume of a claim in {@code namespace} is left (CDI's clean-up of
   * deleted DataVolumes), and returns those still there after {@code seconds}.
   */
  public List<String> awaitVolumesGone(String namespace, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      List<String> left =
          under.persistentVolumes().list().getItems().stream()
              .filter(pv -> pv.getSpec().getClaimRef() != null)
              .filter(pv -> namespace.equals(pv.getSpec().getClaimRef().getNamespace()))
              .map(pv -> pv.getMetadata().getName())
              .toList();
      if (left.isEmpty() || System.nanoTime() > deadline) return left;
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  private void register(byte[] caBundle) {
    ensureNamespace(NAMESPACE);
    under
        .services()
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("virt-api")
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withNewSpec()
                .withType("ExternalName")
                .withExternalName("localhost")
                .endSpec()
                .build())
        .serverSideApply();
    var apiService =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("apiregistration.k8s.io/v1")
            .withKind("APIService")
            .withNewMetadata()
            .withName(API_SERVICE)
            .endMetadata()
            .addToAdditionalProperties(
                "spec",
                Map.of(
                    "group",
                    "subresources.kubevirt.io",
                    "version",
                    "v1",
                    "groupPriorityMinimum",
                    1000,
                    "versionPriority",
                    15,
                    "caBundle",
                    Base64.getEncoder().encodeToString(caBundle),
                    "service",
                    Map.of("namespace", NAMESPACE, "name", "virt-api", "port", virtApi.port())))
            .build();
    under
        .genericKubernetesResources(Kinds.API_SERVICE)
        .resource(apiService)
        .forceConflicts()
        .serverSideApply();
    under
        .genericKubernetesResources(Kinds.API_SERVICE)
        .withName(API_SERVICE)
        .waitUntilCondition(KubevirtSimulator::available, 60, TimeUnit.SECONDS);
  }

  @SuppressWarnings("unchecked")
  private static boolean available(GenericKubernetesResource apiService) {
    if (apiService == null) return false;
    Object conditions = Kinds.map(apiService, "status").get("conditions");
    return conditions instanceof List<?> list
        && list.stream()
            .anyMatch(
                c ->
                    "Available".equals(((Map<String, Object>) c).get("type"))
                        && "True".equals(((Map<String, Object>) c).get("status")));
  }

  private void ensureNamespace(String name) {
    under
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
  }

  private static GenericKubernetesResource object(
      String kind,
      String namespace,
      String name,
      Map<String, String> labels,
      Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("kubevirt.io/v1")
        .withKind(kind)
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .addToAdditionalProperties("spec", spec)
        .build();
  }

  @Override
  public synchronized void close() {
    if (under.getHttpClient() == null) return;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: this is the hook
    }
    try {
      under.genericKubernetesResources(Kinds.API_SERVICE).withName(API_SERVICE).delete();
    } catch (RuntimeException e) {
      System.err.println("kubevirt-sim: cannot unregister " + API_SERVICE + ": " + e.getMessage());
    }
    snapshots.close();
    cdi.close();
    virtApi.close();
    hotPlug.close();
    disks.close();
    under.close();
  }
}
