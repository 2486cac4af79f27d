package io.kmetal.csi.controller;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;

/**
 * Which under-cluster storage classes a tenant may ask for through the tenant StorageClass's {@code
 * infraStorageClassName} parameter: the driver ConfigMap's {@code infraStorageClassEnforcement}
 * ({@code allowAll}, {@code allowDefault}, {@code allowList}). Without that key every class is
 * allowed, as with the upstream driver.
 */
public record StorageClassPolicy(boolean allowAll, boolean allowDefault, List<String> allowList) {
  public static final StorageClassPolicy ALLOW_ALL = new StorageClassPolicy(true, true, List.of());

  public StorageClassPolicy {
    allowList = allowList == null ? List.of() : List.copyOf(allowList);
  }

  /** The ConfigMap value (YAML); unknown keys are refused by name. */
  public static StorageClassPolicy parse(String yaml) {
    if (yaml == null || yaml.isBlank()) return ALLOW_ALL;
    try {
      Raw raw =
          new ObjectMapper(new YAMLFactory())
              .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              .readValue(yaml, Raw.class);
      return new StorageClassPolicy(
          Boolean.TRUE.equals(raw.allowAll), Boolean.TRUE.equals(raw.allowDefault), raw.allowList);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "infraStorageClassEnforcement: "
              + e.getOriginalMessage()
              + " (want allowAll, allowDefault, allowList)");
    }
  }

  /** Why {@code storageClass} (null or empty: the under cluster's default) is refused, or null. */
  String refusal(String storageClass) {
    if (allowAll) return null;
    if (storageClass == null || storageClass.isEmpty())
      return allowDefault
          ? null
          : "parameters.infraStorageClassName is required: this tenant may not use the under"
              + " cluster's default class (allowed: "
              + allowList
              + ")";
    return allowList.contains(storageClass)
        ? null
        : "parameters.infraStorageClassName "
            + storageClass
            + " is not allowed for this tenant (allowed: "
            + allowList
            + ")";
  }

  private record Raw(
      @JsonProperty("allowAll") Boolean allowAll,
      @JsonProperty("allowDefault") Boolean allowDefault,
      @JsonProperty("allowList") List<String> allowList) {}
}
