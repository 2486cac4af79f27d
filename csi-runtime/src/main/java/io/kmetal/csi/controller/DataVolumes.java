package io.kmetal.csi.controller;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This tenant cluster's DataVolumes in the under cluster: only those in its namespace with all its
 * labels exist for it; another tenant's volume of the same name is invisible and never touched.
 */
public final class DataVolumes {
  public static final ResourceDefinitionContext DATA_VOLUME =
      new ResourceDefinitionContext.Builder()
          .withGroup("cdi.kubevirt.io")
          .withVersion("v1beta1")
          .withKind("DataVolume")
          .withPlural("datavolumes")
          .withNamespaced(true)
          .build();

  /** CDI's condition reason when the namespace's ResourceQuota refused the DataVolume's claim. */
  static final String ERR_EXCEEDED_QUOTA = "ErrExceededQuota";

  /** How long a new volume waits for CDI's verdict on its claim unless told otherwise. */
  public static final Duration ADMISSION_WAIT = Duration.ofSeconds(30);

  private static final Duration POLL = Duration.ofMillis(200);

  private final KubernetesClient under;
  private final ControllerConfig config;
  private final Duration admissionWait;

  public DataVolumes(KubernetesClient under, ControllerConfig config) {
    this(under, config, ADMISSION_WAIT);
  }

  /**
   * @param admissionWait how long {@link #quotaRefusal} waits for CDI to create or be refused the
   *     claim of a new DataVolume (zero: it only looks once)
   */
  public DataVolumes(KubernetesClient under, ControllerConfig config, Duration admissionWait) {
    this.under = under;
    this.config = config;
    this.admissionWait = admissionWait;
  }

  ControllerConfig config() {
    return config;
  }

  public Optional<GenericKubernetesResource> get(String name) {
    var dv =
        under
            .genericKubernetesResources(DATA_VOLUME)
            .inNamespace(config.namespace())
            .withName(name)
            .get();
    return Optional.ofNullable(dv).filter(config::owns);
  }

  /**
   * Creates a DataVolume from {@code source}: one API call. Returns false when one of that name
   * exists already (the caller then compares it).
   */
  boolean create(
      String name,
      long bytes,
      String storageClass,
      String accessMode,
      boolean block,
      ContentSource source) {
    Map<String, Object> storage = new LinkedHashMap<>();
    storage.put("accessModes", List.of(accessMode));
    storage.put("volumeMode", block ? "Block" : "Filesystem");
    storage.put("resources", Map.of("requests", Map.of("storage", Long.toString(bytes))));
    if (storageClass != null && !storageClass.isEmpty())
      storage.put("storageClassName", storageClass);
    var dv =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("cdi.kubevirt.io/v1beta1")
            .withKind("DataVolume")
            .withNewMetadata()
            .withName(name)
            .withNamespace(config.namespace())
            .withLabels(config.labels())
            .endMetadata()
            .addToAdditionalProperties(
                "spec",
                Map.of("source", source.dataVolumeSource(config.namespace()), "storage", storage))
            .build();
    try {
      under.genericKubernetesResources(DATA_VOLUME).resource(dv).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) throw e;
      return false;
    }
  }

  /**
   * The namespace's ResourceQuota refusal of the claim CDI makes for DataVolume {@code name} (CDI's
   * {@code ErrExceededQuota} condition, the API server's message with the quota's numbers), watched
   * until CDI has made the claim ({@code status.claimName}), the volume is gone, or {@code within}
   * (at most the configured admission wait) has passed: empty then.
   */
  Optional<String> quotaRefusal(String name, Duration within) throws InterruptedException {
    Duration bound = within.compareTo(admissionWait) < 0 ? within : admissionWait;
    long deadline = System.nanoTime() + Math.max(0, bound.toNanos());
    while (true) {
      Optional<GenericKubernetesResource> dv = get(name);
      if (dv.isEmpty()) return Optional.empty();
      Optional<String> refused = quotaRefusal(dv.get());
      if (refused.isPresent() || claimName(dv.get()) != null) return refused;
      if (System.nanoTime() >= deadline) return Optional.empty();
      Thread.sleep(POLL.toMillis());
    }
  }

  /** The quota refusal CDI recorded on {@code dv}, if any. */
  @SuppressWarnings("unchecked")
  static Optional<String> quotaRefusal(GenericKubernetesResource dv) {
    if (!(dv.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
        || !(status.get("conditions") instanceof List<?> conditions)) return Optional.empty();
    for (Object c : conditions) {
      if (c instanceof Map<?, ?> condition
          && "Bound".equals(condition.get("type"))
          && ERR_EXCEEDED_QUOTA.equals(condition.get("reason")))
        return Optional.of(String.valueOf(condition.get("message")));
    }
    return Optional.empty();
  }

  private static String claimName(GenericKubernetesResource dv) {
    return dv.getAdditionalProperties().get("status") instanceof Map<?, ?> status
            && status.get("claimName") instanceof String claim
        ? claim
        : null;
  }

  /** Deletes the volume if it is this tenant cluster's; absent is fine. */
  public void delete(String name) {
    if (get(name).isEmpty()) return;
    under
        .genericKubernetesResources(DATA_VOLUME)
        .inNamespace(config.namespace())
        .withName(name)
        .delete();
  }

  /**
   * Raises the requested size of this tenant cluster's volume {@code name}; CDI grows the PVC. A
   * merge patch of the one field: CDI's status updates never make it conflict.
   */
  public void resize(String name, long bytes) {
    under
        .genericKubernetesResources(DATA_VOLUME)
        .inNamespace(config.namespace())
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"storage\":{\"resources\":{\"requests\":{\"storage\":\""
                + bytes
                + "\"}}}}}");
  }

  /** Whether the volume is a raw block device ({@code spec.storage.volumeMode: Block}). */
  @SuppressWarnings("unchecked")
  static boolean isBlock(GenericKubernetesResource dv) {
    Map<String, Object> spec = (Map<String, Object>) dv.getAdditionalProperties().get("spec");
    Map<String, Object> storage = (Map<String, Object>) spec.get("storage");
    return "Block".equals(storage.get("volumeMode"));
  }

  /** This tenant cluster's volumes, by name. */
  public List<GenericKubernetesResource> list() {
    return under
        .genericKubernetesResources(DATA_VOLUME)
        .inNamespace(config.namespace())
        .withLabels(config.labels())
        .list()
        .getItems()
        .stream()
        .sorted(Comparator.comparing(dv -> dv.getMetadata().getName()))
        .toList();
  }

  /** The requested size in bytes ({@code spec.storage.resources.requests.storage}). */
  @SuppressWarnings("unchecked")
  static long sizeOf(GenericKubernetesResource dv) {
    Map<String, Object> spec = (Map<String, Object>) dv.getAdditionalProperties().get("spec");
    Map<String, Object> storage = (Map<String, Object>) spec.get("storage");
    Map<String, Object> resources = (Map<String, Object>) storage.get("resources");
    Map<String, Object> requests = (Map<String, Object>) resources.get("requests");
    return new Quantity(String.valueOf(requests.get("storage")))
        .getNumericalAmount()
        .longValueExact();
  }
}
