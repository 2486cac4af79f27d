package io.kmetal.csi.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kmetal.csi.kube.KubeClient;
import io.kmetal.csi.kube.KubeFake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The objects' JSON as CDI, KubeVirt and the snapshot controller write it, read into records. */
class KubeInfraClusterTest {
  private static JsonNode object(String yaml) {
    try {
      return new YAMLMapper().readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static DataVolume dataVolume(String status) {
    return KubeInfraCluster.dataVolume(
        object(
            """
            apiVersion: cdi.kubevirt.io/v1beta1
            kind: DataVolume
            metadata: {name: pvc-1, namespace: alpha, labels: {tenant: a}}
            spec:
              source: {snapshot: {namespace: alpha, name: snap-1}}
              storage:
                accessModes: [ReadWriteMany]
                volumeMode: Block
                storageClassName: fast
                resources: {requests: {storage: "1Gi"}}
            """
                + status));
  }

  @Test
  void aDataVolumeGivesItsRequestSourceAndClaim() {
    var dv = dataVolume("status: {phase: Succeeded, claimName: pvc-1}\n");
    assertEquals(
        new DataVolume(
            "pvc-1",
            Map.of("tenant", "a"),
            1L << 30,
            "fast",
            "ReadWriteMany",
            true,
            new DataVolume.Source(DataVolume.Source.Kind.SNAPSHOT, "snap-1"),
            "Succeeded",
            List.of(),
            "pvc-1"),
        dv);
  }

  @Test
  void cdisExceededQuotaConditionGivesTheApiServersMessage() {
    String message =
        "persistentvolumeclaims \"pvc-1\" is forbidden: exceeded quota: alpha-storage,"
            + " requested: requests.storage=21Gi, used: requests.storage=0, limited:"
            + " requests.storage=10Gi";
    var dv =
        dataVolume(
            """
            status:
              phase: Pending
              conditions:
                - {type: Bound, status: "False", reason: ErrExceededQuota, message: '%s'}
                - {type: Ready, status: "False", reason: ErrExceededQuota, message: '%s'}
                - {type: Running, status: "False", reason: "", message: ""}
            """
                .formatted(message, message));
    assertEquals(Optional.of(message), dv.quotaRefusal());
  }

  @Test
  void aPendingOrBoundVolumeIsNoRefusal() {
    assertEquals(Optional.empty(), dataVolume("").quotaRefusal());
    var pending =
        dataVolume(
            """
            status:
              phase: Pending
              claimName: pvc-1
              conditions:
                - {type: Bound, status: "False", reason: Pending, message: waiting}
            """);
    assertEquals(Optional.empty(), pending.quotaRefusal());
    assertEquals("pvc-1", pending.claimName());
  }

  @Test
  void aVmiGivesItsVolumesDisksAndVolumeStatus() {
    var vmi =
        KubeInfraCluster.vmi(
            object(
                """
                apiVersion: kubevirt.io/v1
                kind: VirtualMachineInstance
                metadata: {name: worker-1, namespace: alpha}
                spec:
                  domain:
                    devices:
                      disks:
                        - {name: root, disk: {bus: virtio}}
                        - {name: pvc-1, serial: abc, disk: {bus: scsi, readonly: true}}
                  volumes: [{name: root}, {name: pvc-1}]
                status:
                  volumeStatus:
                    - {name: pvc-1, phase: Ready}
                """));
    assertEquals(Map.of(), vmi.labels());
    assertTrue(vmi.holds("pvc-1"));
    assertFalse(vmi.holds("pvc-2"));
    assertEquals(
        Optional.of(new VirtualMachineInstance.Disk("pvc-1", "abc", true)), vmi.disk("pvc-1"));
    assertEquals(
        Optional.of(new VirtualMachineInstance.Disk("root", null, false)), vmi.disk("root"));
    assertTrue(vmi.statusOf("pvc-1").orElseThrow().ready());
    assertEquals("", vmi.statusOf("pvc-1").orElseThrow().message());
  }

  @Test
  void aSnapshotNotYetCutIsDatedByItsObject() {
    var vs =
        KubeInfraCluster.snapshot(
            object(
                """
                apiVersion: snapshot.storage.k8s.io/v1
                kind: VolumeSnapshot
                metadata: {name: snap-1, namespace: alpha, creationTimestamp: "2026-12-06T01:02:03Z"}
                spec: {source: {persistentVolumeClaimName: pvc-1}, volumeSnapshotClassName: rbd}
                """));
    assertEquals(
        new VolumeSnapshot(
            "snap-1", Map.of(), "pvc-1", "rbd", 0, false, Instant.parse("2026-12-06T01:02:03Z")),
        vs);
  }

  @Test
  void aRefusalLeavesAsTheApiServersStatusAndMessage() throws IOException {
    try (var api =
        KubeFake.answering(
            403,
            "{\"kind\":\"Status\",\"code\":403,"
                + "\"message\":\"User \\\"c\\\" cannot create resource \\\"datavolumes\\\"\"}")) {
      var infra = new KubeInfraCluster(api.client(), "alpha");
      InfraCluster.ApiError error =
          assertThrows(InfraCluster.ApiError.class, () -> infra.dataVolume("pvc-1"));
      assertEquals(403, error.status());
      assertEquals("User \"c\" cannot create resource \"datavolumes\"", error.getMessage());
      assertTrue(error.getCause() instanceof KubeClient.Failure);
    }
  }

  @Test
  void anApiServerThatDoesNotAnswerIsStatusZero() throws IOException {
    var infra = new KubeInfraCluster(KubeFake.closedPort(), "alpha");
    InfraCluster.ApiError error =
        assertThrows(InfraCluster.ApiError.class, () -> infra.dataVolume("pvc-1"));
    assertEquals(0, error.status(), error.getMessage());
    assertTrue(error.getMessage().contains("ConnectException"), error.getMessage());
  }
}
