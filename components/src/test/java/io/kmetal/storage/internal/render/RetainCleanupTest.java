package io.kmetal.storage.internal.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.kmetal.storage.Fixtures;
import io.kmetal.storage.model.Images;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The clean-up CronJob of a Retain tier, as a fleet renders it. */
class RetainCleanupTest {
  private static List<Manifest> render(String retainCleanup) {
    return FleetRenderer.render(
        Fixtures.yaml(
            "storageTiers: [{name: gold, isDefault: true, backend: {csi: {provisioner: p}}"
                + (retainCleanup == null ? "" : ", retainCleanup: " + retainCleanup)
                + "}]"));
  }

  private static <T> T only(List<Manifest> out, Class<T> type) {
    List<T> found =
        out.stream().map(Manifest::object).filter(type::isInstance).map(type::cast).toList();
    assertEquals(1, found.size(), type.getSimpleName() + " objects");
    return found.get(0);
  }

  private static Container container(CronJob job) {
    PodSpec pod = job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    assertEquals(1, pod.getContainers().size());
    return pod.getContainers().get(0);
  }

  @Test
  void aTierWithoutRetainCleanupRendersNoJob() {
    assertTrue(render(null).stream().noneMatch(m -> m.kind().equals("CronJob")));
  }

  @Test
  void theDefaultIsADailyDryRunOverVolumesReleasedForThirtyDays() {
    List<Manifest> out = render("{}");
    CronJob job = only(out, CronJob.class);
    assertEquals("retain-cleanup-gold", job.getMetadata().getName());
    assertEquals("kube-system", job.getMetadata().getNamespace());
    assertEquals("17 3 * * *", job.getSpec().getSchedule());
    assertEquals("Forbid", job.getSpec().getConcurrencyPolicy());
    Container c = container(job);
    assertEquals(Images.CONTROLLER, c.getImage());
    assertEquals(List.of("released", "--storage-class=gold", "--older-than=30d"), c.getArgs());
    assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation());
    assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
    assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
    PodSpec pod = job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    assertEquals("retain-cleanup-gold", pod.getServiceAccountName());
    assertTrue(pod.getSecurityContext().getRunAsNonRoot());
  }

  @Test
  void aJobThatDeletesPassesBothFlagsAndItsRoleMayDelete() {
    List<Manifest> out = render("{olderThan: 7d, dryRun: false, schedule: '0 4 * * 0'}");
    CronJob job = only(out, CronJob.class);
    assertEquals("0 4 * * 0", job.getSpec().getSchedule());
    assertEquals(
        List.of("released", "--storage-class=gold", "--older-than=7d", "--delete", "--yes"),
        container(job).getArgs());
  }

  @Test
  void itsServiceAccountIsBoundToItsOwnClusterRoleInItsNamespace() {
    List<Manifest> out = render("{namespace: ops, image: mirror.example/kmetal:1}");
    ServiceAccount sa = only(out, ServiceAccount.class);
    assertEquals("ops", sa.getMetadata().getNamespace());
    ClusterRoleBinding binding = only(out, ClusterRoleBinding.class);
    assertEquals("kmetal-retain-cleanup-gold", binding.getRoleRef().getName());
    assertEquals("ops", binding.getSubjects().get(0).getNamespace());
    assertEquals(sa.getMetadata().getName(), binding.getSubjects().get(0).getName());
    assertEquals("mirror.example/kmetal:1", container(only(out, CronJob.class)).getImage());
  }
}
