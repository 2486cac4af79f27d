package io.kmetal.storage.model;

import java.util.Map;

/** Any other CSI driver: its provisioner name and StorageClass parameters, passed through. */
public record CsiBackend(String provisioner, Map<String, String> parameters) {
  public CsiBackend {
    parameters = Defaults.map(parameters);
  }
}
