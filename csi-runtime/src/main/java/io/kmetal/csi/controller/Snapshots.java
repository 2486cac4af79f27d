package io.kmetal.csi.controller;

import io.grpc.Status;
import io.kmetal.csi.infra.InfraCluster;
import io.kmetal.csi.infra.VolumeSnapshot;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * This tenant cluster's snapshots: VolumeSnapshots of its DataVolumes' claims in its namespace of
 * the under cluster, carrying its labels; the under cluster's snapshot controller and storage take
 * them. Another tenant's VolumeSnapshot does not exist for this driver.
 */
public final class Snapshots {
  /** A snapshot as CSI sees it. */
  public record Snapshot(
      String id, String sourceVolume, long bytes, boolean ready, Instant created) {}

  private final InfraCluster under;
  private final ControllerConfig config;

  public Snapshots(InfraCluster under, ControllerConfig config) {
    this.under = under;
    this.config = config;
  }

  public Optional<Snapshot> get(String id) {
    return under.snapshot(id).filter(vs -> config.owns(vs.labels())).map(Snapshots::snapshot);
  }

  /**
   * Snapshots the claim of DataVolume {@code volume}; a concurrent create is no error, the
   * namespace's quota refusing it is RESOURCE_EXHAUSTED.
   */
  public void create(String id, String volume, String snapshotClass) {
    try {
      under.create(VolumeSnapshot.requested(id, config.labels(), volume, snapshotClass));
    } catch (InfraCluster.QuotaExceeded e) {
      throw Status.RESOURCE_EXHAUSTED
          .withDescription(
              "insufficient storage quota: the tenant's namespace "
                  + config.namespace()
                  + " holds its maxSnapshots: "
                  + e.getMessage())
          .asRuntimeException();
    }
  }

  /** Deletes the snapshot if it is this tenant cluster's; absent is fine. */
  public void delete(String id) {
    if (get(id).isPresent()) under.deleteSnapshot(id);
  }

  /** This tenant cluster's snapshots, by name. */
  public List<Snapshot> list() {
    return under.snapshots(config.labels()).stream()
        .filter(vs -> config.owns(vs.labels()))
        .map(Snapshots::snapshot)
        .sorted(Comparator.comparing(Snapshot::id))
        .toList();
  }

  private static Snapshot snapshot(VolumeSnapshot vs) {
    return new Snapshot(vs.name(), vs.claim(), vs.restoreBytes(), vs.ready(), vs.created());
  }
}
