package io.kmetal.csi.controller;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.grpc.Status;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This tenant cluster's snapshots: VolumeSnapshots of its DataVolumes' claims in its namespace of
 * the under cluster, carrying its labels; the under cluster's snapshot controller and storage take
 * them. Another tenant's VolumeSnapshot does not exist for this driver.
 */
public final class Snapshots {
  public static final ResourceDefinitionContext VOLUME_SNAPSHOT =
      new ResourceDefinitionContext.Builder()
          .withGroup("snapshot.storage.k8s.io")
          .withVersion("v1")
          .withKind("VolumeSnapshot")
          .withPlural("volumesnapshots")
          .withNamespaced(true)
          .build();

  /** A snapshot as CSI sees it. */
  public record Snapshot(
      String id, String sourceVolume, long bytes, boolean ready, Instant created) {}

  private final KubernetesClient under;
  private final ControllerConfig config;

  public Snapshots(KubernetesClient under, ControllerConfig config) {
    this.under = under;
    this.config = config;
  }

  public Optional<Snapshot> get(String id) {
    var vs =
        under
            .genericKubernetesResources(VOLUME_SNAPSHOT)
            .inNamespace(config.namespace())
            .withName(id)
            .get();
    return Optional.ofNullable(vs).filter(config::owns).map(Snapshots::snapshot);
  }

  /** Snapshots the claim of DataVolume {@code volume}; a concurrent create is no error. */
  public void create(String id, String volume, String snapshotClass) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("source", Map.of("persistentVolumeClaimName", volume));
    if (snapshotClass != null && !snapshotClass.isEmpty())
      spec.put("volumeSnapshotClassName", snapshotClass);
    var vs =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("snapshot.storage.k8s.io/v1")
            .withKind("VolumeSnapshot")
            .withNewMetadata()
            .withName(id)
            .withNamespace(config.namespace())
            .withLabels(config.labels())
            .endMetadata()
            .addToAdditionalProperties("spec", spec)
            .build();
    try {
      under.genericKubernetesResources(VOLUME_SNAPSHOT).resource(vs).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 && String.valueOf(e.getMessage()).contains("exceeded quota"))
        throw Status.RESOURCE_EXHAUSTED
            .withDescription(
                "insufficient storage quota: the tenant's namespace "
                    + config.namespace()
                    + " holds its maxSnapshots: "
                    + e.getStatus().getMessage())
            .asRuntimeException();
      if (e.getCode() != 409) throw e;
    }
  }

  /** Deletes the snapshot if it is this tenant cluster's; absent is fine. */
  public void delete(String id) {
    if (get(id).isEmpty()) return;
    under
        .genericKubernetesResources(VOLUME_SNAPSHOT)
        .inNamespace(config.namespace())
        .withName(id)
        .delete();
  }

  /** This tenant cluster's snapshots, by name. */
  public List<Snapshot> list() {
    return under
        .genericKubernetesResources(VOLUME_SNAPSHOT)
        .inNamespace(config.namespace())
        .withLabels(config.labels())
        .list()
        .getItems()
        .stream()
        .map(Snapshots::snapshot)
        .sorted(Comparator.comparing(Snapshot::id))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static Snapshot snapshot(GenericKubernetesResource vs) {
    Map<String, Object> spec = (Map<String, Object>) vs.getAdditionalProperties().get("spec");
    Map<String, Object> source = (Map<String, Object>) spec.get("source");
    Object status = vs.getAdditionalProperties().get("status");
    Map<String, Object> st = status instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    Object size = st.get("restoreSize");
    Object created = st.get("creationTime");
    return new Snapshot(
        vs.getMetadata().getName(),
        String.valueOf(source.get("persistentVolumeClaimName")),
        size == null ? 0 : new Quantity(size.toString()).getNumericalAmount().longValue(),
        Boolean.TRUE.equals(st.get("readyToUse")),
        Instant.parse(
            created != null ? created.toString() : vs.getMetadata().getCreationTimestamp()));
  }
}
