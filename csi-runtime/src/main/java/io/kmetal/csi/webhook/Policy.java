package io.kmetal.csi.webhook;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What the webhook enforces for one tenant: the quota {@code namespace/quota} in the under cluster,
 * on claims of {@code tenantClasses} (the tenant-cluster classes that provision on {@code
 * infraStorageClass}), sized as CDI sizes their volumes.
 *
 * @param filesystemOverhead CDI's filesystem overhead (0 ≤ x < 1): a Filesystem volume's claim is
 *     its aligned size divided by {@code 1 - overhead}
 * @param reservationTtl how long a claim admitted but not yet provisioned is counted (the tenant
 *     may delete it while the webhook is down; its DELETE review releases it otherwise)
 * @param snapshotClasses the tenant-cluster VolumeSnapshotClasses of the driver: snapshots of these
 *     (or of no class, so the default, which is the first of these) count against {@code
 *     count/volumesnapshots}; none: snapshots are not checked
 */
record Policy(
    String namespace,
    String quota,
    String infraStorageClass,
    Set<String> tenantClasses,
    double filesystemOverhead,
    Duration reservationTtl,
    Set<String> snapshotClasses) {
  private static final long MI = 1024 * 1024;

  /** The ResourceQuota key counting the namespace's VolumeSnapshots ({@code maxSnapshots}). */
  static final String SNAPSHOT_COUNT_KEY = "count/volumesnapshots.snapshot.storage.k8s.io";

  Policy(
      String namespace,
      String quota,
      String infraStorageClass,
      Set<String> tenantClasses,
      double filesystemOverhead,
      Duration reservationTtl) {
    this(
        namespace,
        quota,
        infraStorageClass,
        tenantClasses,
        filesystemOverhead,
        reservationTtl,
        Set.of());
  }

  Policy {
    snapshotClasses = Set.copyOf(snapshotClasses);
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(quota, "quota");
    Objects.requireNonNull(infraStorageClass, "infraStorageClass");
    tenantClasses = Set.copyOf(tenantClasses);
    if (!(filesystemOverhead >= 0 && filesystemOverhead < 1))
      throw new IllegalArgumentException(
          "--filesystem-overhead " + filesystemOverhead + ": want 0 ≤ overhead < 1, e.g. 0.055");
    if (reservationTtl.isNegative() || reservationTtl.isZero())
      throw new IllegalArgumentException("--reservation-ttl-seconds: want a positive number");
  }

  /** The ResourceQuota key counting the bytes of this tenant's class. */
  String classKey() {
    return infraStorageClass + ".storageclass.storage.k8s.io/requests.storage";
  }

  /** The ResourceQuota key counting the claims of this tenant's class ({@code maxVolumes}). */
  String classCountKey() {
    return infraStorageClass + ".storageclass.storage.k8s.io/persistentvolumeclaims";
  }

  String quotaRef() {
    return namespace + "/" + quota;
  }

  boolean governs(Claim claim) {
    return tenantClasses.contains(claim.storageClassName());
  }

  /** Whether the driver takes {@code snapshot} in the under cluster, so it counts. */
  boolean governs(TenantSnapshot snapshot) {
    return !snapshotClasses.isEmpty()
        && snapshot.fromClaim()
        && (snapshot.snapshotClassName().isEmpty()
            || snapshotClasses.contains(snapshot.snapshotClassName()));
  }

  /**
   * The size of the claim CDI creates for {@code claim}: aligned up to 1 MiB and, for a Filesystem
   * volume, grown by the filesystem overhead (CDI's {@code GetRequiredSpace}).
   */
  long underBytes(Claim claim) {
    long aligned =
        claim.requestBytes() > Long.MAX_VALUE - MI
            ? Long.MAX_VALUE
            : (claim.requestBytes() + MI - 1) / MI * MI;
    if (claim.block() || filesystemOverhead == 0) return aligned;
    double grown = Math.ceil(aligned / (1 - filesystemOverhead));
    return grown >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) grown;
  }
}
