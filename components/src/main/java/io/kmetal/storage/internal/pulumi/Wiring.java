package io.kmetal.storage.internal.pulumi;

import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import io.kmetal.storage.internal.render.Manifest;
import java.util.List;
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
   * Logical names of the manifests in {@code all} that {@code m} must wait for; each must be
   * registered before {@code m} (a {@link #first} manifest).
   */
  default List<String> dependsOn(Manifest m, List<Manifest> all) {
    return List.of();
  }

  /**
   * Top-level fields of {@code m} to take from outputs instead of the rendered object.
   *
   * @param registered the objects registered so far, by {@link ManifestResources#logicalName}
   */
  default Map<String, Output<Object>> inputs(Manifest m, Map<String, KubernetesObject> registered) {
    return Map.of();
  }

  /** All of {@code parts} at once: first if any says so, every option, input and dependency. */
  static Wiring all(Wiring... parts) {
    List<Wiring> wirings = List.of(parts);
    return new Wiring() {
      @Override
      public boolean first(Manifest m) {
        return wirings.stream().anyMatch(w -> w.first(m));
      }

      @Override
      public void options(Manifest m, CustomResourceOptions.Builder options) {
        wirings.forEach(w -> w.options(m, options));
      }

      @Override
      public List<String> dependsOn(Manifest m, List<Manifest> all) {
        return wirings.stream().flatMap(w -> w.dependsOn(m, all).stream()).toList();
      }

      @Override
      public Map<String, Output<Object>> inputs(
          Manifest m, Map<String, KubernetesObject> registered) {
        Map<String, Output<Object>> inputs = new java.util.LinkedHashMap<>();
        wirings.forEach(w -> inputs.putAll(w.inputs(m, registered)));
        return inputs;
      }
    };
  }
}
