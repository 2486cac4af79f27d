package io.kmetal.csi.infra;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A CDI DataVolume as the driver reads and writes it: what it asks for ({@code spec.storage},
 * {@code spec.source}) and what CDI reports ({@code status.phase}, conditions, the claim it made).
 * A volume about to be created has no status.
 */
public record DataVolume(
    String name,
    Map<String, String> labels,
    long bytes,
    String storageClass,
    String accessMode,
    boolean block,
    Source source,
    String phase,
    List<Condition> conditions,
    String claimName) {
  /** CDI's condition reason when the namespace's ResourceQuota refused the DataVolume's claim. */
  public static final String ERR_EXCEEDED_QUOTA = "ErrExceededQuota";

  public DataVolume {
    labels = Map.copyOf(labels);
    conditions = List.copyOf(conditions);
  }

  /** A DataVolume to create: no status yet. */
  public static DataVolume requested(
      String name,
      Map<String, String> labels,
      long bytes,
      String storageClass,
      String accessMode,
      boolean block,
      Source source) {
    return new DataVolume(
        name, labels, bytes, storageClass, accessMode, block, source, null, List.of(), null);
  }

  /** This DataVolume with CDI's report: its phase, conditions and the claim it made. */
  public DataVolume reported(String phase, List<Condition> conditions, String claimName) {
    return new DataVolume(
        name, labels, bytes, storageClass, accessMode, block, source, phase, conditions, claimName);
  }

  /** This DataVolume asking for {@code bytes}. */
  public DataVolume resized(long bytes) {
    return new DataVolume(
        name, labels, bytes, storageClass, accessMode, block, source, phase, conditions, claimName);
  }

  /** Where the volume's content comes from: blank, a VolumeSnapshot or a claim (a clone). */
  public record Source(Kind kind, String name) {
    public enum Kind {
      BLANK,
      SNAPSHOT,
      PVC
    }

    public static final Source BLANK = new Source(Kind.BLANK, null);
  }

  /** One of {@code status.conditions[]}. */
  public record Condition(String type, String status, String reason, String message) {}

  /** The ResourceQuota's refusal of CDI's claim (the API server's words), if CDI recorded one. */
  public Optional<String> quotaRefusal() {
    return conditions.stream()
        .filter(c -> "Bound".equals(c.type()) && ERR_EXCEEDED_QUOTA.equals(c.reason()))
        .map(Condition::message)
        .findFirst();
  }
}
