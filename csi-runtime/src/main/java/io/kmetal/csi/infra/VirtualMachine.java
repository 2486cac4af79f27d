package io.kmetal.csi.infra;

import java.util.List;
import java.util.Map;

/**
 * A KubeVirt VirtualMachine: a tenant worker. {@code volumes} are the names in its template's
 * {@code spec.volumes}, where KubeVirt records a hot-plug requested on the VM.
 */
public record VirtualMachine(String name, Map<String, String> labels, List<String> volumes) {
  public VirtualMachine {
    labels = Map.copyOf(labels);
    volumes = List.copyOf(volumes);
  }

  public boolean requests(String volume) {
    return volumes.contains(volume);
  }
}
