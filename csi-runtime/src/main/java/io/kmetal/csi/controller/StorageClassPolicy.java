package io.kmetal.csi.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which under-cluster storage classes a tenant may ask for through the tenant StorageClass's {@code
 * infraStorageClassName} parameter: the driver ConfigMap's {@code infraStorageClassEnforcement}
 * ({@code allowAll}, {@code allowDefault}, {@code allowList}). Without that key every class is
 * allowed, as with the upstream driver.
 */
public record StorageClassPolicy(boolean allowAll, boolean allowDefault, List<String> allowList) {
  public static final StorageClassPolicy ALLOW_ALL = new StorageClassPolicy(true, true, List.of());
  private static final Set<String> KEYS = Set.of("allowAll", "allowDefault", "allowList");
  private static final YAMLMapper YAML = new YAMLMapper();

  public StorageClassPolicy {
    allowList = allowList == null ? List.of() : List.copyOf(allowList);
  }

  /**
   * The ConfigMap value (YAML); unknown keys and values of the wrong type are refused by name. Read
   * as a tree, not bound to a class: binding loads Jackson's introspection (about 290 classes, a
   * couple of MiB of the controller's memory) for three keys.
   */
  public static StorageClassPolicy parse(String yaml) {
    if (yaml == null || yaml.isBlank()) return ALLOW_ALL;
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw refused(e.getOriginalMessage());
    }
    if (!root.isObject()) throw refused("a mapping is wanted");
    for (var entry : root.properties())
      if (!KEYS.contains(entry.getKey())) throw refused("unknown key " + entry.getKey());
    return new StorageClassPolicy(
        flag(root, "allowAll"), flag(root, "allowDefault"), names(root, "allowList"));
  }

  private static boolean flag(JsonNode root, String key) {
    JsonNode value = root.path(key);
    if (value.isMissingNode() || value.isNull()) return false;
    if (!value.isBoolean()) throw refused(key + " must be true or false, not " + value);
    return value.booleanValue();
  }

  private static List<String> names(JsonNode root, String key) {
    JsonNode value = root.path(key);
    if (value.isMissingNode() || value.isNull()) return List.of();
    if (!value.isArray()) throw refused(key + " must be a list of class names, not " + value);
    List<String> names = new ArrayList<>();
    for (JsonNode name : value) {
      if (!name.isTextual()) throw refused(key + " holds " + name + ", not a class name");
      names.add(name.textValue());
    }
    return names;
  }

  private static IllegalArgumentException refused(String why) {
    return new IllegalArgumentException(
        "infraStorageClassEnforcement: " + why + " (want allowAll, allowDefault, allowList)");
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
}
