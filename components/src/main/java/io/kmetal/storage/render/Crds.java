package io.kmetal.storage.render;

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

  static GenericKubernetesResource snapshotClass(
      String name, String driver, String deletionPolicy, Map<String, String> labels) {
    return object(
        SNAPSHOT_V1,
        "VolumeSnapshotClass",
        null,
        name,
        labels,
        Ordered.map("driver", driver, "deletionPolicy", deletionPolicy));
  }
}
