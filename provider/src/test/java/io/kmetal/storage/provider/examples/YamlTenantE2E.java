package io.kmetal.storage.provider.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kmetal.storage.testbed.ExampleStack;
import io.kmetal.storage.testbed.PulumiCli;
import io.kmetal.storage.testbed.PulumiCli.Step;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * examples/yaml-tenant: Pulumi YAML using the plugin installed from its tarball, through the real
 * engine, YAML language host and pulumi-kubernetes against the sandbox.
 */
@TestMethodOrder(OrderAnnotation.class)
class YamlTenantE2E {
  private static final String PART_OF = "app.kubernetes.io/part-of=kmetal-storage";
  private static ExampleStack stack;
  private static PulumiCli pulumi;

  @BeforeAll
  static void createStack() throws Exception {
    stack = ExampleStack.create("yaml-tenant");
    pulumi = stack.pulumi();
  }

  @AfterAll
  static void removeStack() {
    if (stack != null) {
      pulumi.run("destroy", "--yes", "--skip-preview");
      stack.remove();
    }
  }

  private static KubernetesClient tenant() {
    return stack.sandbox().tenant("beta", "beta-one").client();
  }

  private static KubernetesClient under() {
    return stack.sandbox().under().client();
  }

  @Test
  @Order(1)
  void invalidInputFailsThePreviewNamingTheFieldAndAppliesNothing() {
    pulumi.run("config", "set", "betaQuota", "lots").requireSuccess("config");
    PulumiCli.Result up = pulumi.run("up", "--yes", "--skip-preview");
    pulumi.run("config", "set", "betaQuota", "5Gi").requireSuccess("config");

    assertNotEquals(0, up.exitCode(), up.output());
    assertTrue(up.output().contains("TenantStorage \"beta\""), up.output());
    assertTrue(up.output().contains("storageQuota"), up.output());
    assertTrue(up.output().contains("nothing was rendered or applied"), up.output());
    try (KubernetesClient under = under()) {
      assertTrue(under.resourceQuotas().inNamespace("beta").list().getItems().isEmpty());
    }
    try (KubernetesClient tenant = tenant()) {
      assertTrue(
          tenant.storage().v1().storageClasses().withLabel(PART_OF).list().getItems().isEmpty());
    }
  }

  @Test
  @Order(2)
  void upThenPreviewShowsNoChanges() {
    pulumi.run("up", "--yes", "--skip-preview").requireSuccess("pulumi up");
    pulumi.run("preview", "--expect-no-changes").requireSuccess("preview after up");
    try (KubernetesClient tenant = tenant()) {
      assertEquals(
          "beta-storage",
          tenant
              .storage()
              .v1()
              .storageClasses()
              .withName("kubevirt")
              .get()
              .getParameters()
              .get("infraStorageClassName"));
    }
    try (KubernetesClient under = under()) {
      assertEquals(
          "5Gi",
          under
              .resourceQuotas()
              .inNamespace("beta")
              .withName("beta-storage")
              .get()
              .getSpec()
              .getHard()
              .get("beta-storage.storageclass.storage.k8s.io/requests.storage")
              .toString());
    }
  }

  @Test
  @Order(3)
  void anEditedQuotaPreviewsAsOneInPlaceUpdate() {
    List<Step> steps = pulumi.previewStepsWith("betaQuota", "6Gi", "5Gi");
    assertEquals(
        List.of(new Step("update", "kubernetes:core/v1:ResourceQuota", "under/beta/beta-storage")),
        steps);
  }

  @Test
  @Order(3)
  void theReviewersPreviewOfAnEditedQuotaIsTheDiffWithoutWarnings() {
    String preview = pulumi.previewWith("betaQuota", "6Gi", "5Gi").output();
    assertTrue(preview.contains("hard"), "the diff shows the quota's change:\n" + preview);
    assertEquals(
        List.of(),
        preview
            .lines()
            .filter(l -> l.toLowerCase(java.util.Locale.ROOT).contains("warning"))
            .toList(),
        preview);
  }

  @Test
  @Order(4)
  void anImmutableFieldPreviewsAsAReplacementOfThatObjectOnly() {
    List<Step> steps = pulumi.previewStepsWith("betaReclaimPolicy", "Retain", "Delete");
    Set<String> touched =
        steps.stream().map(s -> s.type() + " " + s.name()).collect(Collectors.toSet());
    assertEquals(Set.of("kubernetes:storage.k8s.io/v1:StorageClass under/beta-storage"), touched);
    assertTrue(steps.stream().anyMatch(s -> s.op().equals("replace")), steps.toString());
  }

  @Test
  @Order(5)
  void stateHoldsNoKubeconfigKeyInPlainText() {
    for (var cluster :
        List.of(stack.sandbox().tenant("beta", "beta-one"), stack.sandbox().under())) {
      assertEquals(List.of(), cluster.filesHoldingClientKey(stack.state()), cluster.name());
    }
  }

  @Test
  @Order(6)
  void destroyLeavesNothingOfOursBehind() {
    stack.destroy();
    try (KubernetesClient under = under()) {
      assertTrue(
          under.apps().deployments().inAnyNamespace().withLabel(PART_OF).list().getItems().stream()
              .noneMatch(d -> d.getMetadata().getNamespace().equals("beta")));
      assertTrue(under.resourceQuotas().inNamespace("beta").list().getItems().isEmpty());
      assertEquals(null, under.storage().v1().storageClasses().withName("beta-storage").get());
    }
    try (KubernetesClient tenant = tenant()) {
      assertTrue(
          tenant.storage().v1().storageClasses().withLabel(PART_OF).list().getItems().isEmpty());
    }
  }
}
