package io.kmetal.storage.testbed.kubevirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The simulator's rules, each as KubeVirt v1.9 or QEMU applies it. */
class HotplugRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HotplugRules.Gates ON = HotplugRules.Gates.DEFAULTS;

  private static JsonNode add(String disk) throws Exception {
    return JSON.readTree(
        "{\"name\":\"v\",\"disk\":"
            + disk
            + ",\"volumeSource\":{\"dataVolume\":{\"name\":\"v\"}}}");
  }

  private static String refusal(JsonNode options) {
    return HotplugRules.refuseAdd(ON, options).map(VirtApi.Reply::message).orElse(null);
  }

  @ParameterizedTest
  @CsvSource({"scsi", "virtio"})
  void hotPlugsADiskOnScsiOrVirtio(String bus) throws Exception {
    assertEquals(null, refusal(add("{\"serial\":\"abc\",\"disk\":{\"bus\":\"" + bus + "\"}}")));
  }

  @Test
  void refusesASataDiskWithKubevirtsWords() throws Exception {
    var reply = HotplugRules.refuseAdd(ON, add("{\"disk\":{\"bus\":\"sata\"}}")).orElseThrow();
    assertEquals(422, reply.code());
    assertEquals(
        "AddVolume request for disk [v] requires bus to be 'scsi' or 'virtio'. [sata] is not"
            + " permitted.",
        reply.message());
  }

  @Test
  void refusesSerialsKubevirtDoesNotAdmit() throws Exception {
    assertTrue(refusal(add("{\"serial\":\"a/b\",\"disk\":{}}")).contains("[A-Za-z0-9_.+-]"));
    assertTrue(
        refusal(add("{\"serial\":\"" + "x".repeat(257) + "\",\"disk\":{}}")).contains("256"));
  }

  @Test
  void refusesRequestsMissingWhatVirtApiRequires() throws Exception {
    assertEquals(
        "AddVolumeOptions requires disk to not be nil",
        refusal(JSON.readTree("{\"name\":\"v\",\"volumeSource\":{}}")));
    assertEquals(
        "AddVolumeOptions requires VolumeSource to not be nil",
        refusal(JSON.readTree("{\"name\":\"v\",\"disk\":{\"disk\":{}}}")));
    assertEquals(
        "AddVolumeOptions requires name to be set", refusal(JSON.readTree("{\"disk\":{}}")));
  }

  @Test
  void hotPlugNeedsOneOfItsGates() throws Exception {
    var off = HotplugRules.Gates.of(List.of(), List.of("DeclarativeHotplugVolumes"));
    assertFalse(off.hotplug());
    var reply = HotplugRules.refuseAdd(off, add("{\"disk\":{}}")).orElseThrow();
    assertEquals(400, reply.code());
    assertEquals(
        "Enable DeclarativeHotplugVolumes or HotplugVolumes feature gate to use this API.",
        reply.message());
    assertTrue(HotplugRules.Gates.of(List.of(), List.of()).declarative(), "Beta: on by default");
    assertTrue(
        HotplugRules.Gates.of(List.of("HotplugVolumes"), List.of("DeclarativeHotplugVolumes"))
            .hotplug());
    assertFalse(HotplugRules.Gates.of(List.of(), List.of()).legacy(), "deprecated: off");
  }

  @Test
  void qemuRefusesScsiSerialsLongerThan36() {
    assertEquals(Optional.empty(), HotplugRules.qemuRefusal("scsi", "x".repeat(36)));
    assertEquals(
        Optional.of("The serial number can't be longer than 36 characters"),
        HotplugRules.qemuRefusal("scsi", "x".repeat(37)));
    assertEquals(Optional.empty(), HotplugRules.qemuRefusal("virtio", "x".repeat(40)));
  }

  @Test
  void theGuestSeesTwentyCharactersOfAVirtioSerialAndAllOfAScsiOne() {
    String forty = "pvc-6f1c2a4e-1b2c-4d5e-8f90-0123456789ab";
    assertEquals("virtio-pvc-6f1c2a4e-1b2c-4d", HotplugRules.byIdName("virtio", forty));
    assertEquals("virtio-short", HotplugRules.byIdName("virtio", "short"));
    assertEquals(
        "scsi-0QEMU_QEMU_HARDDISK_" + "y".repeat(36),
        HotplugRules.byIdName("scsi", "y".repeat(36)));
  }
}
