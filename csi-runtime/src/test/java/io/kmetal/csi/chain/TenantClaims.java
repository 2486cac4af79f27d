package io.kmetal.csi.chain;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

/** A tenant claim of the driver's class as the chain tests make one. */
final class TenantClaims {
  private TenantClaims() {}

  /**
   * ReadWriteOnce, {@code size}, of class {@code kubevirt}, already placed on {@code node}: the
   * class binds on first consumer, and the annotation is what the scheduler's volume binder would
   * set.
   */
  static PersistentVolumeClaimBuilder onNode(
      String namespace, String node, String name, String size) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .addToAnnotations("volume.kubernetes.io/selected-node", node)
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName("kubevirt")
        .withNewResources()
        .addToRequests("storage", new Quantity(size))
        .endResources()
        .endSpec();
  }
}
