package io.kmetal.csi.released;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmetal.csi.kube.KubeClient;
import io.kmetal.csi.kube.Quantities;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * {@link Volumes} over the API server; a delete carries the resourceVersion the volume was read at.
 */
public final class KubeVolumes implements Volumes {
  private static final String VOLUMES = "/api/v1/persistentvolumes";
  private static final String CLASSES = "/apis/storage.k8s.io/v1/storageclasses";

  private final KubeClient client;
  private final Clock clock;

  /** The resourceVersion each volume had when last read: the delete's precondition. */
  private final Map<String, String> versions = new HashMap<>();

  public KubeVolumes(KubeClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public List<ReleasedVolume> list() {
    Map<String, String> classes = new HashMap<>();
    for (JsonNode c : client.list(CLASSES, Map.of()).path("items"))
      classes.put(name(c), c.path("reclaimPolicy").asText(null));
    return StreamSupport.stream(client.list(VOLUMES, Map.of()).path("items").spliterator(), false)
        .map(pv -> volume(pv, classes))
        .toList();
  }

  @Override
  public Optional<ReleasedVolume> get(String name) {
    Optional<JsonNode> pv = client.get(VOLUMES + "/" + name);
    if (pv.isEmpty()) return Optional.empty();
    String cls = pv.get().path("spec").path("storageClassName").asText("");
    Map<String, String> classes = new HashMap<>();
    if (!cls.isEmpty())
      client
          .get(CLASSES + "/" + cls)
          .ifPresent(c -> classes.put(cls, c.path("reclaimPolicy").asText(null)));
    return Optional.of(volume(pv.get(), classes));
  }

  @Override
  public boolean delete(ReleasedVolume seen) {
    String version = versions.get(seen.name());
    if (version == null) return false;
    try {
      // only the volume as it was read: a change since (bound again, recreated) is a 409
      return client.delete(VOLUMES + "/" + seen.name(), version);
    } catch (KubeClient.Failure e) {
      if (e.status() == 409) return false;
      throw e;
    }
  }

  private ReleasedVolume volume(JsonNode pv, Map<String, String> classes) {
    JsonNode spec = pv.path("spec");
    JsonNode status = pv.path("status");
    versions.put(name(pv), pv.path("metadata").path("resourceVersion").asText());
    String cls = spec.path("storageClassName").asText(null);
    JsonNode ref = spec.path("claimRef");
    JsonNode size = spec.path("capacity").path("storage");
    String since =
        status
            .path("lastPhaseTransitionTime")
            .asText(pv.path("metadata").path("creationTimestamp").asText());
    return new ReleasedVolume(
        name(pv),
        status.path("phase").asText(null),
        spec.path("persistentVolumeReclaimPolicy").asText(null),
        cls == null ? "" : cls,
        cls == null ? null : classes.get(cls),
        ref.isMissingNode() ? "" : ref.path("namespace").asText() + "/" + ref.path("name").asText(),
        size.isTextual() ? Quantities.value(size.asText()).longValue() : 0,
        Duration.between(Instant.parse(since), clock.instant()));
  }

  private static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }
}
