package io.kmetal.csi.controller;

import io.kmetal.contract.DriverConfigKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where this tenant cluster's volumes live in the under cluster, from the driver ConfigMap ({@link
 * #read}): {@code infraClusterNamespace} and {@code infraClusterLabels} ({@code k=v,k2=v2}), and
 * which under-cluster classes it may use ({@code infraStorageClassEnforcement}), which snapshot
 * class each tenant snapshot class maps to ({@code infraSnapshotClasses}) and whether the tenant
 * takes snapshots at all ({@code snapshots}). Everything without these labels is another tenant's,
 * and NOT_FOUND to this driver.
 */
public record ControllerConfig(
    String namespace,
    Map<String, String> labels,
    StorageClassPolicy storageClasses,
    Map<String, String> snapshotClasses,
    boolean snapshots) {
  public ControllerConfig {
    if (namespace == null || namespace.isBlank())
      throw new IllegalArgumentException("infraClusterNamespace is required");
    if (labels == null || labels.isEmpty())
      throw new IllegalArgumentException(
          "infraClusterLabels is required (k=v,...): it keeps tenants apart");
    labels = Map.copyOf(labels);
    if (storageClasses == null) storageClasses = StorageClassPolicy.ALLOW_ALL;
    snapshotClasses =
        snapshotClasses == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(snapshotClasses));
    if (!snapshots && !snapshotClasses.isEmpty())
      throw new IllegalArgumentException(
          "snapshots is false, yet infraSnapshotClasses maps "
              + snapshotClasses.keySet()
              + ": drop the mapping or turn snapshots on");
  }

  /**
   * With snapshots on, through the under cluster's classes as {@code snapshotClasses} maps them.
   */
  public ControllerConfig(
      String namespace,
      Map<String, String> labels,
      StorageClassPolicy storageClasses,
      Map<String, String> snapshotClasses) {
    this(namespace, labels, storageClasses, snapshotClasses, true);
  }

  public ControllerConfig(
      String namespace, Map<String, String> labels, StorageClassPolicy storageClasses) {
    this(namespace, labels, storageClasses, Map.of());
  }

  /**
   * The under-cluster VolumeSnapshotClass for a snapshot the tenant class {@code tenantClass} asks
   * for ({@code infraSnapshotClasses}: tenant class → under class, the first the default for a
   * class that names none); null when nothing is mapped (the under cluster's default class).
   *
   * @throws IllegalArgumentException naming the mapping when {@code tenantClass} is not in it
   */
  public String infraSnapshotClass(String tenantClass) {
    if (snapshotClasses.isEmpty()) return null;
    if (tenantClass == null || tenantClass.isEmpty())
      return snapshotClasses.values().iterator().next();
    String infra = snapshotClasses.get(tenantClass);
    if (infra == null)
      throw new IllegalArgumentException(
          "tenant VolumeSnapshotClass "
              + tenantClass
              + " is not mapped to an under-cluster class; the driver ConfigMap's"
              + " infraSnapshotClasses maps "
              + snapshotClasses.keySet());
    return infra;
  }

  /**
   * {@code tenant-class=under-class,…}, as the ConfigMap's {@code infraSnapshotClasses} holds it.
   */
  public static Map<String, String> parseSnapshotClasses(String text) {
    Map<String, String> classes = new LinkedHashMap<>();
    if (text == null) return classes;
    for (String pair : text.split(",")) {
      if (pair.isBlank()) continue;
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1)
        throw new IllegalArgumentException(
            "infraSnapshotClasses: \"" + pair.strip() + "\" is not tenant-class=under-class");
      classes.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return classes;
  }

  /**
   * The driver ConfigMap as mounted at {@code dir}, one file per key ({@link DriverConfigKeys}).
   *
   * @throws IllegalArgumentException naming a missing or malformed key
   */
  public static ControllerConfig read(Path dir) throws IOException {
    return new ControllerConfig(
        required(dir, DriverConfigKeys.INFRA_CLUSTER_NAMESPACE),
        parseLabels(required(dir, DriverConfigKeys.INFRA_CLUSTER_LABELS)),
        StorageClassPolicy.parse(optional(dir, DriverConfigKeys.INFRA_STORAGE_CLASS_ENFORCEMENT)),
        parseSnapshotClasses(optional(dir, DriverConfigKeys.INFRA_SNAPSHOT_CLASSES)),
        parseSwitch(DriverConfigKeys.SNAPSHOTS, optional(dir, DriverConfigKeys.SNAPSHOTS), true));
  }

  /** {@code true} or {@code false} (surrounding space ignored); {@code unset} when absent. */
  static boolean parseSwitch(String key, String text, boolean unset) {
    if (text == null) return unset;
    return switch (text.strip()) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              key + ": \"" + text.strip() + "\" is neither true nor false");
    };
  }

  private static String optional(Path dir, String key) throws IOException {
    Path file = dir.resolve(key);
    return Files.isRegularFile(file) ? Files.readString(file) : null;
  }

  private static String required(Path dir, String key) throws IOException {
    String value = optional(dir, key);
    if (value == null)
      throw new IllegalArgumentException("has no " + key + " (a key of the driver ConfigMap)");
    return value.strip();
  }

  /** Every under-cluster storage class allowed. */
  public ControllerConfig(String namespace, Map<String, String> labels) {
    this(namespace, labels, StorageClassPolicy.ALLOW_ALL);
  }

  /** Whether an object with these labels is this tenant cluster's (else it is another's). */
  public boolean owns(Map<String, String> have) {
    return have.entrySet().containsAll(labels.entrySet());
  }

  /** {@code k=v,k2=v2}, as the ConfigMap holds it. */
  public static Map<String, String> parseLabels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      if (pair.isBlank()) continue;
      int eq = pair.indexOf('=');
      if (eq <= 0)
        throw new IllegalArgumentException(
            "infraClusterLabels: \"" + pair.strip() + "\" is not key=value");
      labels.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return labels;
  }
}
