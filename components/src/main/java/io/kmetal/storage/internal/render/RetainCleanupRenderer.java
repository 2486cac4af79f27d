package io.kmetal.storage.internal.render;

import static io.kmetal.contract.DriverFlags.flag;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.kmetal.contract.DriverFlags.Released;
import io.kmetal.storage.model.RetainCleanupSpec;
import io.kmetal.storage.model.StorageTierSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Retain tier's clean-up: a CronJob running the driver image's {@code released} command over the
 * tier's class, with a ServiceAccount whose ClusterRole reads volumes and classes, and deletes
 * volumes only when the job may delete.
 */
final class RetainCleanupRenderer {
  private RetainCleanupRenderer() {}

  /** Nothing unless the tier asks for a clean-up. */
  static List<Manifest> render(StorageTierSpec tier, Map<String, String> labels) {
    RetainCleanupSpec spec = tier.retainCleanup();
    if (spec == null) return List.of();
    String name = RetainCleanupSpec.JOB_PREFIX + tier.storageClassName();
    String role = "kmetal-" + name;
    return List.of(
        Manifest.under(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(spec.namespace())
                .withLabels(labels)
                .endMetadata()
                .build()),
        Manifest.under(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(role)
                .withLabels(labels)
                .endMetadata()
                .withRules(rules(spec))
                .build()),
        Manifest.under(Rbac.clusterRoleBinding(role, labels, role, spec.namespace(), name)),
        Manifest.under(cronJob(tier, spec, name, labels)));
  }

  /**
   * What {@code released} calls: it lists classes and volumes, reads each volume and its class
   * again before deleting it, and deletes at the version it read.
   */
  private static List<PolicyRule> rules(RetainCleanupSpec spec) {
    List<PolicyRule> rules = new ArrayList<>();
    rules.add(
        spec.dryRun()
            ? Rbac.rule("", List.of("persistentvolumes"), "get", "list")
            : Rbac.rule("", List.of("persistentvolumes"), "get", "list", "delete"));
    rules.add(Rbac.rule("storage.k8s.io", List.of("storageclasses"), "get", "list"));
    return rules;
  }

  static List<String> args(StorageTierSpec tier, RetainCleanupSpec spec) {
    List<String> args = new ArrayList<>();
    args.add(Released.MODE);
    args.add(flag(Released.STORAGE_CLASS, tier.storageClassName()));
    args.add(flag(Released.OLDER_THAN, spec.olderThan()));
    if (!spec.dryRun()) {
      args.add(Released.DELETE);
      args.add(Released.YES);
    }
    return args;
  }

  private static CronJob cronJob(
      StorageTierSpec tier, RetainCleanupSpec spec, String name, Map<String, String> labels) {
    return new CronJobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(spec.namespace())
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withSchedule(spec.schedule())
        .withConcurrencyPolicy("Forbid")
        // a run missed by more than an hour (controller down) waits for the next one
        .withStartingDeadlineSeconds(3600L)
        .withSuccessfulJobsHistoryLimit(3)
        .withFailedJobsHistoryLimit(3)
        .withNewJobTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(2)
        .withActiveDeadlineSeconds(900L)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(name)
        .withRestartPolicy("Never")
        .withSecurityContext(Containers.nonRootPod())
        .withContainers(
            new ContainerBuilder()
                .withName("released")
                .withImage(spec.image())
                .withImagePullPolicy("IfNotPresent")
                .withArgs(args(tier, spec))
                .withVolumeMounts(Containers.tmpMount())
                .withResources(Containers.requests("20m", Containers.DRIVER_MEMORY))
                .withSecurityContext(Containers.restricted())
                .build())
        .withVolumes(Containers.tmp())
        .endSpec()
        .endTemplate()
        .endSpec()
        .endJobTemplate()
        .endSpec()
        .build();
  }
}
