package io.kmetal.storage.model;

import java.util.List;
import java.util.Map;

/** Placement of the HPP node pods: passed through to the CR's {@code spec.workload}. */
public record WorkloadSpec(
    Map<String, String> nodeSelector,
    List<Map<String, Object>> tolerations,
    Map<String, Object> affinity) {
  public WorkloadSpec {
    nodeSelector = Defaults.map(nodeSelector);
    tolerations = Defaults.list(tolerations);
    affinity = Defaults.map(affinity);
  }
}
