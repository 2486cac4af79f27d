package io.kmetal.storage.model;

/**
 * A CronJob in the under cluster that runs the driver image's {@code released} command over this
 * tier's class: the Released volumes a {@code Retain} class leaves behind, listed in the job's log
 * and, unless {@code dryRun}, deleted once they have been Released for {@code olderThan}. Only on
 * Retain tiers.
 *
 * <p>Defaults: {@code olderThan} = 30d, {@code dryRun} = true (it reports until told to delete),
 * {@code schedule} = {@value #DEFAULT_SCHEDULE} (daily at 03:17), {@code namespace} = kube-system
 * (where cluster maintenance runs; it always exists), {@code image} = the driver image.
 *
 * @param olderThan how long a volume must have been Released: a number and d, h, m or s
 * @param schedule the CronJob's schedule, five cron fields
 * @param namespace where the CronJob and its ServiceAccount live
 * @param image the image holding {@code kmetal-csi released}, e.g. a mirror of the driver image
 */
public record RetainCleanupSpec(
    String olderThan, Boolean dryRun, String schedule, String namespace, String image) {
  public static final String DEFAULT_SCHEDULE = "17 3 * * *";

  /** The CronJob, its ServiceAccount and ClusterRole are named this and the class name. */
  public static final String JOB_PREFIX = "retain-cleanup-";

  public RetainCleanupSpec {
    olderThan = Defaults.or(olderThan, "30d");
    dryRun = Defaults.or(dryRun, true);
    schedule = Defaults.or(schedule, DEFAULT_SCHEDULE);
    namespace = Defaults.or(namespace, "kube-system");
    image = Defaults.or(image, Images.CONTROLLER);
  }

  /** The defaults: a daily dry run over volumes Released for 30 days. */
  public static RetainCleanupSpec reportOnly() {
    return new RetainCleanupSpec(null, null, null, null, null);
  }
}
