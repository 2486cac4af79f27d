package io.kmetal.storage.model;

import java.util.List;

/** The claim the HPP operator creates for a storage pool; it must be ReadWriteMany. */
public record PvcTemplate(
    List<String> accessModes, String storageClassName, String volumeMode, Resources resources) {
  public PvcTemplate {
    accessModes = Defaults.list(accessModes);
  }

  /** {@code resources.requests.storage} as in a PVC spec. */
  public record Resources(Requests requests) {}

  public record Requests(String storage) {}

  public String storage() {
    return resources == null || resources.requests() == null
        ? null
        : resources.requests().storage();
  }
}
