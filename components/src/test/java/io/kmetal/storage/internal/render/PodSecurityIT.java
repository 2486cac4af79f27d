package io.kmetal.storage.internal.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kmetal.storage.Fixtures;
import io.kmetal.storage.testbed.Sandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API server's own Pod Security admission on every pod the acceptance fleet renders, in a
 * namespace that enforces {@code restricted}: each Deployment's pod (controllers, quota webhook,
 * local-path provisioner) is admitted, and the node plugin, the stated exception, is refused.
 * Server-side dry runs: nothing is created.
 */
class PodSecurityIT {
  private static final String NS = "psa-restricted";
  private static final List<Manifest> FLEET = FleetRenderer.render(Fixtures.acceptanceFleet());
  private static KubernetesClient under;

  @BeforeAll
  static void restrictedNamespace() {
    under = Sandbox.running().under().client();
    under
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(NS)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .endMetadata()
                .build())
        .serverSideApply();
    // pods name no ServiceAccount of theirs here: the namespace's default one must exist
    under
        .serviceAccounts()
        .inNamespace(NS)
        .withName("default")
        .waitUntilCondition(sa -> sa != null, 60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void remove() {
    if (under == null) return;
    under.namespaces().withName(NS).delete();
    under.close();
  }

  /** {@code template}'s pod in the restricted namespace, as the API server would admit it. */
  private static String refusal(String name, PodTemplateSpec template) {
    var spec = template.getSpec();
    spec.setServiceAccountName(null);
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NS)
            .endMetadata()
            .withSpec(spec)
            .build();
    try {
      under.pods().inNamespace(NS).resource(pod).dryRun().create();
      return null;
    } catch (KubernetesClientException e) {
      return e.getMessage();
    }
  }

  @Test
  void everyUnderClusterDeploymentsPodPassesRestricted() {
    List<String> refused = new ArrayList<>();
    int checked = 0;
    for (Manifest m : FLEET) {
      if (!(m.object() instanceof Deployment d) || !m.target().isUnder()) continue;
      checked++;
      String why = refusal(d.getMetadata().getName(), d.getSpec().getTemplate());
      if (why != null) refused.add(d.getMetadata().getName() + ": " + why);
    }
    assertEquals(List.of(), refused);
    assertEquals(4, checked, "two controllers, the quota webhook and the local-path provisioner");
  }

  @Test
  void theRetainCleanupJobsPodPassesRestricted() {
    CronJob job =
        FLEET.stream()
            .map(Manifest::object)
            .filter(CronJob.class::isInstance)
            .map(CronJob.class::cast)
            .findFirst()
            .orElseThrow(() -> new AssertionError("the fleet's gold tier renders a CronJob"));
    assertEquals(
        null,
        refusal(
            job.getMetadata().getName(), job.getSpec().getJobTemplate().getSpec().getTemplate()));
  }

  @Test
  void theNodePluginIsTheStatedExceptionAndIsRefused() {
    DaemonSet node =
        (DaemonSet)
            FLEET.stream()
                .filter(m -> m.object() instanceof DaemonSet)
                .findFirst()
                .orElseThrow()
                .object();
    String why = refusal("node-plugin", node.getSpec().getTemplate());
    assertFalse(why == null, "a privileged pod passes restricted?");
    assertTrue(why.contains("violates PodSecurity \"restricted:"), why);
    assertTrue(why.contains("privileged"), why);
  }
}
