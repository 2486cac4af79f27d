package io.kmetal.storage.testbed.kubevirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kmetal.storage.testbed.Sandbox;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator refuses what KubeVirt v1.9 and QEMU refuse, through the under cluster's real API
 * server (the calls reach the simulator's virt-api by the API server's aggregation).
 */
class KubevirtSimulatorIT {
  private static final String NS = "kubevirt-sim-it";
  private static final Map<String, String> LABELS = Map.of("testbed.kmetal.io/it", "sim");
  private static final String FORTY = "pvc-6f1c2a4e-1b2c-4d5e-8f90-0123456789ab";

  @TempDir static Path work;
  private static KubevirtSimulator kubevirt;
  private static KubernetesClient under;

  @BeforeAll
  static void start() throws Exception {
    kubevirt = KubevirtSimulator.start(Sandbox.running(), work);
    under = Sandbox.running().under().client();
    kubevirt.startVm(NS, "vm", LABELS);
    kubevirt.startVmiWithoutVm(NS, "bare", LABELS);
    for (String dv : List.of("dv-scsi", "dv-virtio", "dv-bare")) dataVolume(dv);
  }

  @AfterAll
  static void stop() throws Exception {
    kubevirt.deleteVm(NS, "vm");
    kubevirt.deleteVm(NS, "bare");
    under.genericKubernetesResources(Kinds.DATA_VOLUME).inNamespace(NS).delete();
    assertEquals(List.of(), kubevirt.awaitVolumesGone(NS, 90), "volumes left behind");
    kubevirt.close();
    under.close();
  }

  @Test
  void refusesASataDiskAsKubevirtsAdmissionDoes() {
    var e = refused(() -> add("virtualmachines", "vm", "dv-scsi", "serial1", "sata"));
    assertEquals(422, e.getCode());
    assertTrue(message(e).contains("requires bus to be 'scsi' or 'virtio'. [sata]"), message(e));
  }

  @Test
  void qemuRefusesAScsiSerialLongerThan36AndTheVolumeNeverGetsReady() throws Exception {
    add("virtualmachines", "vm", "dv-scsi", FORTY, "scsi");
    var status = awaitStatus("vm", "dv-scsi", s -> s.get("message").toString().contains("36"));
    assertEquals("MountedToPod", status.get("phase"));
    assertTrue(
        status.get("message").toString().contains("can't be longer than 36 characters"),
        status.toString());
    assertFalse(
        Files.exists(
            kubevirt.byIdDir("vm").resolve("scsi-0QEMU_QEMU_HARDDISK_" + FORTY),
            LinkOption.NOFOLLOW_LINKS));

    var again = refused(() -> add("virtualmachines", "vm", "dv-scsi", "other", "scsi"));
    assertEquals(409, again.getCode());
    assertTrue(message(again).contains("already exists"), message(again));

    remove("virtualmachines", "vm", "dv-scsi");
    awaitStatus("vm", "dv-scsi", null);
  }

  @Test
  void aVirtioGuestSeesTheFirstTwentyCharactersOfTheSerial() throws Exception {
    add("virtualmachines", "vm", "dv-virtio", FORTY, "virtio");
    assertEquals("Ready", awaitStatus("vm", "dv-virtio", ready()).get("phase"));
    Path link = kubevirt.byIdDir("vm").resolve("virtio-" + FORTY.substring(0, 20));
    assertTrue(Files.isSymbolicLink(link), "udev's name for the disk: " + link);
    var vmi = under.genericKubernetesResources(Kinds.VMI).inNamespace(NS).withName("vm").get();
    assertTrue(
        Kinds.list(Kinds.map(vmi, "spec"), "volumes").stream()
            .anyMatch(v -> "dv-virtio".equals(v.get("name"))),
        "the VM controller carried the template's volume over to the VMI");

    remove("virtualmachines", "vm", "dv-virtio");
    awaitStatus("vm", "dv-virtio", null);
    assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
    var gone = refused(() -> remove("virtualmachines", "vm", "dv-virtio"));
    assertEquals(409, gone.getCode());
    assertTrue(message(gone).contains("because it does not exist"), message(gone));
  }

  @Test
  void aVmiThatAVmOwnsTakesNoHotPlugOfItsOwn() {
    var e = refused(() -> add("virtualmachineinstances", "vm", "dv-bare", "s", "scsi"));
    assertEquals(400, e.getCode());
    assertEquals("VMI " + NS + "/vm is owned by a VM", message(e));
  }

  @Test
  void aVmiWithoutVmIsHotPluggedDirectly() throws Exception {
    add("virtualmachineinstances", "bare", "dv-bare", "bare-serial", "scsi");
    assertEquals("Ready", awaitStatus("bare", "dv-bare", ready()).get("phase"));
    assertTrue(
        Files.isSymbolicLink(
            kubevirt.byIdDir("bare").resolve("scsi-0QEMU_QEMU_HARDDISK_bare-serial")));
    remove("virtualmachineinstances", "bare", "dv-bare");
    awaitStatus("bare", "dv-bare", null);
  }

  @Test
  void hotPlugIsRefusedWhileTheOperatorDisablesItsGate() {
    var resource = under.genericKubernetesResources(Kinds.KUBEVIRT).inNamespace("kubevirt");
    boolean existed = resource.withName("kubevirt").get() != null;
    if (!existed)
      resource
          .resource(
              new GenericKubernetesResourceBuilder()
                  .withApiVersion("kubevirt.io/v1")
                  .withKind("KubeVirt")
                  .withNewMetadata()
                  .withName("kubevirt")
                  .withNamespace("kubevirt")
                  .endMetadata()
                  .addToAdditionalProperties("spec", Map.of())
                  .build())
          .create();
    // the CR as a shared sandbox may hold it (a fleet's deployment enables the gate): this test
    // sets both gate lists and puts them back as they were
    Map<String, Object> before =
        Kinds.map(
            resource.withName("kubevirt").get(), "spec", "configuration", "developerConfiguration");
    Object enabled = before.get("featureGates");
    Object disabled = before.get("disabledFeatureGates");
    setGates(List.of(), List.of("DeclarativeHotplugVolumes"));
    try {
      var e = refused(() -> add("virtualmachines", "vm", "dv-bare", "s", "scsi"));
      assertEquals(400, e.getCode());
      assertEquals(
          "Enable DeclarativeHotplugVolumes or HotplugVolumes feature gate to use this API.",
          message(e));
    } finally {
      if (existed) setGates(enabled, disabled);
      else resource.withName("kubevirt").delete();
    }
  }

  /** Sets (or with null removes) the CR's enabled and disabled feature gate lists. */
  private static void setGates(Object enabled, Object disabled) {
    Kinds.onConflictRetry(
        () ->
            under
                .genericKubernetesResources(Kinds.KUBEVIRT)
                .inNamespace("kubevirt")
                .withName("kubevirt")
                .edit(
                    o -> {
                      var developer =
                          Kinds.map(o, "spec", "configuration", "developerConfiguration");
                      put(developer, "featureGates", enabled);
                      put(developer, "disabledFeatureGates", disabled);
                      return o;
                    }));
  }

  private static void put(Map<String, Object> map, String key, Object value) {
    if (value == null) map.remove(key);
    else map.put(key, value);
  }

  private static void dataVolume(String name) {
    under
        .genericKubernetesResources(Kinds.DATA_VOLUME)
        .inNamespace(NS)
        .resource(
            new GenericKubernetesResourceBuilder()
                .withApiVersion("cdi.kubevirt.io/v1beta1")
                .withKind("DataVolume")
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .endMetadata()
                .addToAdditionalProperties(
                    "spec",
                    Map.of(
                        "source",
                        Map.of("blank", Map.of()),
                        "storage",
                        Map.of(
                            "volumeMode",
                            "Block",
                            "resources",
                            Map.of("requests", Map.of("storage", "16Mi")))))
                .build())
        .create();
    under
        .genericKubernetesResources(Kinds.DATA_VOLUME)
        .inNamespace(NS)
        .withName(name)
        .waitUntilCondition(
            dv -> dv != null && "Succeeded".equals(Kinds.string(dv, "status", "phase")),
            60,
            TimeUnit.SECONDS);
  }

  private static void add(String kind, String name, String volume, String serial, String bus) {
    put(
        kind,
        name,
        "addvolume",
        Map.of(
            "name",
            volume,
            "disk",
            Map.of("name", volume, "serial", serial, "disk", Map.of("bus", bus)),
            "volumeSource",
            Map.of("dataVolume", Map.of("name", volume, "hotpluggable", true))));
  }

  private static void remove(String kind, String name, String volume) {
    put(kind, name, "removevolume", Map.of("name", volume));
  }

  private static void put(String kind, String name, String subresource, Object body) {
    String url =
        under.getMasterUrl().toString().replaceAll("/+$", "")
            + "/apis/subresources.kubevirt.io/v1/namespaces/%s/%s/%s/%s"
                .formatted(NS, kind, name, subresource);
    under.raw(url, "PUT", body);
  }

  private static KubernetesClientException refused(Runnable call) {
    return assertThrows(KubernetesClientException.class, call::run);
  }

  private static String message(KubernetesClientException e) {
    return e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
  }

  private static Predicate<Map<String, Object>> ready() {
    return s -> "Ready".equals(s.get("phase"));
  }

  /**
   * Waits for the VMI's status of {@code volume} to satisfy {@code condition} (null: to be gone);
   * returns it.
   */
  private static Map<String, Object> awaitStatus(
      String vmi, String volume, Predicate<Map<String, Object>> condition) {
    var seen = new java.util.concurrent.atomic.AtomicReference<Map<String, Object>>();
    GenericKubernetesResource last =
        under
            .genericKubernetesResources(Kinds.VMI)
            .inNamespace(NS)
            .withName(vmi)
            .waitUntilCondition(
                o -> {
                  var status =
                      Kinds.list(Kinds.map(o, "status"), "volumeStatus").stream()
                          .filter(s -> volume.equals(s.get("name")))
                          .findFirst();
                  seen.set(status.orElse(null));
                  return condition == null
                      ? status.isEmpty()
                      : status.filter(condition).isPresent();
                },
                30,
                TimeUnit.SECONDS);
    assertTrue(last != null);
    return seen.get();
  }
}
