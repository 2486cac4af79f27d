package io.kmetal.csi.controller;

import io.kmetal.csi.infra.DataVolume;
import io.kmetal.csi.infra.InfraCluster;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This tenant cluster's DataVolumes in the under cluster: only those in its namespace with all its
 * labels exist for it; another tenant's volume of the same name is invisible and never touched.
 */
public final class DataVolumes {
  /** How long a new volume waits for CDI's verdict on its claim unless told otherwise. */
  public static final Duration ADMISSION_WAIT = Duration.ofSeconds(30);

  private final InfraCluster under;
  private final ControllerConfig config;
  private final Duration admissionWait;

  /**
   * @param admissionWait how long {@link #quotaRefusal} waits for CDI to create or be refused the
   *     claim of a new DataVolume (zero: it only looks once)
   */
  public DataVolumes(InfraCluster under, ControllerConfig config, Duration admissionWait) {
    this.under = under;
    this.config = config;
    this.admissionWait = admissionWait;
  }

  ControllerConfig config() {
    return config;
  }

  public Optional<DataVolume> get(String name) {
    return under.dataVolume(name).filter(dv -> config.owns(dv.labels()));
  }

  /**
   * Creates a DataVolume with this tenant cluster's labels: one API call. Returns false when one of
   * that name exists already (the caller then compares it).
   */
  boolean create(
      String name,
      long bytes,
      String storageClass,
      String accessMode,
      boolean block,
      ContentSource source) {
    return under.create(
        DataVolume.requested(
            name, config.labels(), bytes, storageClass, accessMode, block, source.dataVolume()));
  }

  /**
   * The namespace's ResourceQuota refusal of the claim CDI makes for DataVolume {@code name} (CDI's
   * {@code ErrExceededQuota} condition, the API server's message with the quota's numbers), watched
   * until CDI has made the claim ({@code status.claimName}), the volume is gone, or {@code within}
   * (at most the configured admission wait) has passed: empty then. A wait of zero does not look.
   */
  Optional<String> quotaRefusal(String name, Duration within) throws InterruptedException {
    Duration bound = within.compareTo(admissionWait) < 0 ? within : admissionWait;
    if (bound.isNegative() || bound.isZero()) return Optional.empty(); // CDI cannot have answered
    var seen = new AtomicBoolean();
    Optional<DataVolume> last =
        under.awaitDataVolume(
            name,
            dv -> {
              if (dv.isEmpty()) return seen.get(); // gone, or not yet in the watch's view
              seen.set(true);
              return dv.get().quotaRefusal().isPresent() || dv.get().claimName() != null;
            },
            bound);
    return last.filter(dv -> config.owns(dv.labels())).flatMap(DataVolume::quotaRefusal);
  }

  /** Deletes the volume if it is this tenant cluster's; absent is fine. */
  public void delete(String name) {
    if (get(name).isPresent()) under.deleteDataVolume(name);
  }

  /** Raises the requested size of this tenant cluster's volume {@code name}; CDI grows the PVC. */
  public void resize(String name, long bytes) {
    under.resize(name, bytes);
  }

  /** This tenant cluster's volumes, by name. */
  public List<DataVolume> list() {
    return under.dataVolumes(config.labels()).stream()
        .filter(dv -> config.owns(dv.labels()))
        .sorted(Comparator.comparing(DataVolume::name))
        .toList();
  }
}
