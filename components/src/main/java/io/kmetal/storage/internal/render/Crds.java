package io.kmetal.storage.internal.render;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;

/** Custom resources (CDI, KubeVirt, HPP, snapshot) as generic objects with typed metadata. */
final class Crds {
  static final String SNAPSHOT_V1 = "snapshot.storage.k8s.io/v1";
  static final String CDI_V1BETA1 = "cdi.kubevirt.io/v1beta1";
  static final String HPP_V1BETA1 = "hostpathprovisioner.kubevirt.io/v1beta1";
  static final String KUBEVIRT_V1 = "kubevirt.io/v1";

  private Crds() {}

  static GenericKubernetesResource object(
      String apiVersion,
      String kind,
      String namespace,
      String name,
      Map<String, String> labels,
      Map<String, Object> fields) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(apiVersion);
    r.setKind(kind);
    r.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels).build());
    fields.forEach(r::setAdditionalProperty);
    return r;
  }

  /** The annotation the snapshot controller picks a VolumeSnapshot's default class by. */
  static final String DEFAULT_SNAPSHOT_CLASS = "snapshot.storage.kubernetes.io/is-default-class";

  /**
   * A VolumeSnapshotClass of {@code driver}; {@code parameters} (may be empty) go to its
   * CreateSnapshot calls; {@code isDefault} marks the driver's default class.
   */
  static GenericKubernetesResource snapshotClass(
      String name,
      String driver,
      String deletionPolicy,
      Map<String, String> parameters,
      boolean isDefault,
      Map<String, String> labels) {
    GenericKubernetesResource r =
        object(
            SNAPSHOT_V1,
            "VolumeSnapshotClass",
            null,
            name,
            labels,
            parameters.isEmpty()
                ? Ordered.map("driver", driver, "deletionPolicy", deletionPolicy)
                : Ordered.map(
                    "driver", driver, "deletionPolicy", deletionPolicy, "parameters", parameters));
    if (isDefault) r.getMetadata().setAnnotations(Map.of(DEFAULT_SNAPSHOT_CLASS, "true"));
    return r;
  }
}
