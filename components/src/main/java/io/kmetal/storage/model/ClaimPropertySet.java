package io.kmetal.storage.model;

import java.util.List;

/** A CDI StorageProfile claim property set: the access modes and volume mode CDI must use. */
public record ClaimPropertySet(List<String> accessModes, String volumeMode) {
  public ClaimPropertySet {
    accessModes = Defaults.list(accessModes);
  }
}
