package io.kmetal.storage.render;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kmetal.storage.render.RbacMinimumTest.Access;
import io.kmetal.storage.render.RoleUses.Identity;
import io.kmetal.storage.render.RoleUses.Use;
import io.kmetal.storage.testbed.Sandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rendered roles as the under cluster's own RBAC authorizer judges them (SubjectAccessReview):
 * each step of {@link RoleUses} is allowed, and with any one rule removed a named step is denied.
 * This proves what RbacMinimumTest computes, subresources and resource names included.
 */
class RenderedRolesIT {
  private static final String NS = "rbac-it";
  private static final String ROLE = "rbac-it-subject";
  private static KubernetesClient admin;

  @BeforeAll
  static void subject() {
    admin = Sandbox.running().under().client();
    admin
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    admin
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(ROLE)
                .withNamespace(NS)
                .endMetadata()
                .build())
        .serverSideApply();
    admin.resource(Rbac.clusterRoleBinding(ROLE, Map.of(), ROLE, NS, ROLE)).serverSideApply();
  }

  @AfterAll
  static void remove() {
    if (admin == null) return;
    admin.rbac().clusterRoleBindings().withName(ROLE).delete();
    admin.rbac().clusterRoles().withName(ROLE).delete();
    admin.namespaces().withName(NS).delete();
    admin.close();
  }

  static java.util.stream.Stream<Identity> identities() {
    return RbacMinimumTest.identities();
  }

  @ParameterizedTest
  @MethodSource("identities")
  void theApiServerAllowsEveryStepAndDeniesOneWithoutItsRule(Identity identity) throws Exception {
    grant(identity.rules());
    for (Use use : identity.uses())
      for (Access need : RbacMinimumTest.needed(use))
        awaitVerdict(need, true, identity.role() + ": " + use.who() + " (" + use.step() + ")");
    for (int i = 0; i < identity.rules().size(); i++) {
      List<PolicyRule> without = new ArrayList<>(identity.rules());
      PolicyRule removed = without.remove(i);
      grant(without);
      List<Access> stillGranted = RbacMinimumTest.granted(without);
      Access broken =
          identity.uses().stream()
              .flatMap(u -> RbacMinimumTest.needed(u).stream())
              .filter(n -> stillGranted.stream().noneMatch(n::coveredBy))
              .findFirst()
              .orElseThrow(() -> new AssertionError("nothing needs " + removed));
      awaitVerdict(broken, false, identity.role() + " without " + removed);
    }
  }

  private static void grant(List<PolicyRule> rules) {
    admin
        .resource(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(ROLE)
                .endMetadata()
                .withRules(rules)
                .build())
        .forceConflicts()
        .serverSideApply();
  }

  /** The authorizer's caches follow a role change within moments: ask until it answers so. */
  private static void awaitVerdict(Access access, boolean allowed, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      boolean answer = allowed(access);
      if (answer == allowed) return;
      if (System.nanoTime() > deadline)
        fail(what + ": the API server says " + (answer ? "allowed" : "denied") + " for " + access);
      Thread.sleep(50);
    }
  }

  private static boolean allowed(Access access) {
    String[] resource = access.resource().split("/", 2);
    SubjectAccessReview review =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser("system:serviceaccount:" + NS + ":" + ROLE)
            .withGroups(
                "system:serviceaccounts", "system:serviceaccounts:" + NS, "system:authenticated")
            .withNewResourceAttributes()
            .withNamespace(NS)
            .withGroup(access.group())
            .withResource(resource[0])
            .withSubresource(resource.length > 1 ? resource[1] : null)
            .withName(access.name())
            .withVerb(access.verb())
            .endResourceAttributes()
            .endSpec()
            .build();
    return admin.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
  }
}
