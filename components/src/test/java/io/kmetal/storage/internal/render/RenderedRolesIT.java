package io.kmetal.storage.internal.render;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kmetal.storage.Fixtures;
import io.kmetal.storage.internal.render.RbacMinimumTest.Access;
import io.kmetal.storage.internal.render.RoleUses.Identity;
import io.kmetal.storage.internal.render.RoleUses.Use;
import io.kmetal.storage.testbed.Sandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

  /**
   * Two tenants' rendered under-cluster objects side by side: what tenant alpha's controller and
   * webhook may do in their own namespace, they may do nothing of in beta's, and neither the other
   * way round (every role is namespaced; no ClusterRole reaches the under cluster).
   */
  @Test
  void oneTenantsIdentitiesReachNothingOfAnothers() throws InterruptedException {
    List<Manifest> under =
        FleetRenderer.render(
                Fixtures.yaml(
                    "tenantStorages: [{name: rbac-alpha, storageQuota: 1Gi, clusters: [{name: a1}]},"
                        + " {name: rbac-beta, storageQuota: 1Gi, clusters: [{name: b1}]}]"))
            .stream()
            .filter(m -> m.target().isUnder())
            .toList();
    assertTrue(
        under.stream().noneMatch(m -> m.kind().startsWith("ClusterRole")),
        "no tenant identity is cluster-wide in the under cluster");
    Map<String, String> controllerOf = Map.of("rbac-alpha", "a1", "rbac-beta", "b1");
    for (String ns : controllerOf.keySet())
      admin
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .serverSideApply();
    try {
      for (Manifest m : under)
        if (List.of("Role", "RoleBinding", "ServiceAccount").contains(m.kind()))
          admin.resource(m.object()).serverSideApply();
      List<Access> theirs = new ArrayList<>();
      RoleUses.UNDER_DRIVER.forEach(u -> theirs.addAll(RbacMinimumTest.needed(u)));
      RoleUses.underWebhook(true, WebhookRenderer.LEDGER)
          .forEach(u -> theirs.addAll(RbacMinimumTest.needed(u)));
      for (String resource : List.of("secrets", "configmaps", "pods", "persistentvolumeclaims"))
        theirs.add(new Access("", resource, null, "get"));
      for (String own : controllerOf.keySet()) {
        String other = own.equals("rbac-alpha") ? "rbac-beta" : "rbac-alpha";
        String controller =
            "system:serviceaccount:" + own + ":kubevirt-csi-controller-" + controllerOf.get(own);
        String webhook = "system:serviceaccount:" + own + ":kmetal-webhook";
        // the roles were just applied: the authorizer's caches follow within moments
        awaitVerdict(
            controller,
            own,
            new Access("cdi.kubevirt.io", "datavolumes", null, "create"),
            true,
            "the controller works in its own namespace (so the checks below are not vacuous)");
        awaitVerdict(
            webhook,
            own,
            new Access("", "resourcequotas", null, "list"),
            true,
            "the webhook works in its own namespace");
        for (String user : List.of(controller, webhook))
          for (Access a : theirs)
            assertFalse(allowed(user, other, a), user + " may " + a + " in " + other);
      }
    } finally {
      for (String ns : controllerOf.keySet()) admin.namespaces().withName(ns).delete();
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
    awaitVerdict("system:serviceaccount:" + NS + ":" + ROLE, NS, access, allowed, what);
  }

  private static void awaitVerdict(
      String user, String namespace, Access access, boolean allowed, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      boolean answer = allowed(user, namespace, access);
      if (answer == allowed) return;
      if (System.nanoTime() > deadline)
        fail(what + ": the API server says " + (answer ? "allowed" : "denied") + " for " + access);
      Thread.sleep(50);
    }
  }

  private static boolean allowed(String user, String namespace, Access access) {
    String[] resource = access.resource().split("/", 2);
    String accountNamespace = user.split(":")[2];
    SubjectAccessReview review =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser(user)
            .withGroups(
                "system:serviceaccounts",
                "system:serviceaccounts:" + accountNamespace,
                "system:authenticated")
            .withNewResourceAttributes()
            .withNamespace(namespace)
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
