package io.kmetal.csi.released;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link Volumes} through fabric8; a delete carries the resourceVersion the volume was read at. */
public final class KubeVolumes implements Volumes {
  private final KubernetesClient client;
  private final Clock clock;

  /** The resourceVersion each volume had when last read: the delete's precondition. */
  private final Map<String, String> versions = new HashMap<>();

  public KubeVolumes(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public List<ReleasedVolume> list() {
    Map<String, String> classes = new HashMap<>();
    for (StorageClass c : client.storage().v1().storageClasses().list().getItems())
      classes.put(c.getMetadata().getName(), c.getReclaimPolicy());
    return client.persistentVolumes().list().getItems().stream()
        .map(pv -> volume(pv, classes))
        .toList();
  }

  @Override
  public Optional<ReleasedVolume> get(String name) {
    PersistentVolume pv = client.persistentVolumes().withName(name).get();
    if (pv == null) return Optional.empty();
    String cls = pv.getSpec().getStorageClassName();
    StorageClass c =
        cls == null || cls.isEmpty()
            ? null
            : client.storage().v1().storageClasses().withName(cls).get();
    Map<String, String> classes = new HashMap<>();
    if (c != null) classes.put(cls, c.getReclaimPolicy());
    return Optional.of(volume(pv, classes));
  }

  @Override
  public boolean delete(ReleasedVolume seen) {
    String version = versions.get(seen.name());
    if (version == null) return false;
    try {
      // only the volume as it was read: a change since (bound again, recreated) is a 409
      return !client
          .persistentVolumes()
          .withName(seen.name())
          .lockResourceVersion(version)
          .delete()
          .isEmpty();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || e.getCode() == 409) return false;
      throw e;
    }
  }

  private ReleasedVolume volume(PersistentVolume pv, Map<String, String> classes) {
    versions.put(pv.getMetadata().getName(), pv.getMetadata().getResourceVersion());
    String cls = pv.getSpec().getStorageClassName();
    var ref = pv.getSpec().getClaimRef();
    Quantity size =
        pv.getSpec().getCapacity() == null ? null : pv.getSpec().getCapacity().get("storage");
    String since =
        pv.getStatus() != null && pv.getStatus().getLastPhaseTransitionTime() != null
            ? pv.getStatus().getLastPhaseTransitionTime()
            : pv.getMetadata().getCreationTimestamp();
    return new ReleasedVolume(
        pv.getMetadata().getName(),
        pv.getStatus() == null ? null : pv.getStatus().getPhase(),
        pv.getSpec().getPersistentVolumeReclaimPolicy(),
        cls == null ? "" : cls,
        cls == null ? null : classes.get(cls),
        ref == null ? "" : ref.getNamespace() + "/" + ref.getName(),
        size == null ? 0 : size.getNumericalAmount().longValue(),
        Duration.between(Instant.parse(since), clock.instant()));
  }
}
