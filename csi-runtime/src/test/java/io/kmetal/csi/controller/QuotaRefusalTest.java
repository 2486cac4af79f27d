package io.kmetal.csi.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** CDI's record of a claim the namespace's ResourceQuota refused, read off a DataVolume. */
class QuotaRefusalTest {
  private static GenericKubernetesResource dataVolume(String status) {
    return Serialization.unmarshal(
        """
        apiVersion: cdi.kubevirt.io/v1beta1
        kind: DataVolume
        metadata: {name: pvc-1, namespace: alpha}
        spec: {source: {blank: {}}, storage: {resources: {requests: {storage: "1Gi"}}}}
        """
            + status,
        GenericKubernetesResource.class);
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
    assertEquals(Optional.of(message), DataVolumes.quotaRefusal(dv));
  }

  @Test
  void aPendingOrBoundVolumeIsNoRefusal() {
    assertEquals(Optional.empty(), DataVolumes.quotaRefusal(dataVolume("")));
    assertEquals(
        Optional.empty(),
        DataVolumes.quotaRefusal(
            dataVolume(
                """
                status:
                  phase: Pending
                  claimName: pvc-1
                  conditions:
                    - {type: Bound, status: "False", reason: Pending, message: waiting}
                """)));
  }
}
