package io.kmetal.storage.pulumi;

import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import io.kmetal.storage.render.Manifest;
import java.util.Map;

/**
 * What some manifests take from objects registered before them: {@link ManifestResources} registers
 * Namespaces, then the {@link #first} manifests, then the rest, asking each for extra options and
 * for top-level inputs built from earlier objects' outputs.
 */
public interface Wiring {
  Wiring NONE = new Wiring() {};

  /** Registered right after the Namespaces, so that others can read its outputs. */
  default boolean first(Manifest m) {
    return false;
  }

  default void options(Manifest m, CustomResourceOptions.Builder options) {}

  /**
   * Top-level fields of {@code m} to take from outputs instead of the rendered object.
   *
   * @param registered the objects registered so far, by {@link ManifestResources#logicalName}
   */
  default Map<String, Output<Object>> inputs(Manifest m, Map<String, KubernetesObject> registered) {
    return Map.of();
  }
}
