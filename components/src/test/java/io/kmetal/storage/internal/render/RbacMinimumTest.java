package io.kmetal.storage.internal.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.kmetal.storage.Fixtures;
import io.kmetal.storage.internal.render.RoleUses.Identity;
import io.kmetal.storage.internal.render.RoleUses.Use;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rendered role is the least its binary needs: each verb it grants serves a named step of
 * {@link RoleUses}, each step is granted, and removing any one rule breaks a named step, so the
 * roles cannot drift wide again. RenderedRolesIT checks the same against a real API server.
 */
class RbacMinimumTest {
  /** One access a rule grants or a use needs; {@code name} null for every object. */
  record Access(String group, String resource, String name, String verb) {
    boolean coveredBy(Access grant) {
      return group.equals(grant.group)
          && resource.equals(grant.resource)
          && verb.equals(grant.verb)
          && (grant.name == null || grant.name.equals(name));
    }
  }

  static List<Access> granted(List<PolicyRule> rules) {
    List<Access> out = new ArrayList<>();
    for (PolicyRule r : rules)
      for (String group : r.getApiGroups())
        for (String resource : r.getResources())
          for (String verb : r.getVerbs())
            if (r.getResourceNames() == null || r.getResourceNames().isEmpty())
              out.add(new Access(group, resource, null, verb));
            else
              for (String name : r.getResourceNames())
                out.add(new Access(group, resource, name, verb));
    return out;
  }

  static List<Access> needed(Use use) {
    return use.verbs().stream()
        .sorted()
        .map(v -> new Access(use.group(), use.resource(), use.name(), v))
        .toList();
  }

  /** Every identity TenantStorage renders, with snapshots counted and push mode on. */
  static Stream<Identity> identities() {
    List<Manifest> out =
        FleetRenderer.render(
            Fixtures.yaml(
                "tenantStorages: [{name: alpha, storageQuota: 10Gi, clusters: [{name: prod}],"
                    + " snapshotClasses: [{name: kubevirt-snapshot, infraSnapshotClassName: s}]}]"));
    Role webhook = (Role) rendered(out, "Role", "kmetal-webhook");
    ClusterRole node = (ClusterRole) rendered(out, "ClusterRole", NodeRenderer.DAEMONSET);
    List<Manifest> plain =
        FleetRenderer.render(
            Fixtures.yaml(
                "tenantStorages: [{name: alpha, storageQuota: 10Gi, clusters: [{name: prod}]}]"));
    Role webhookWithoutSnapshots = (Role) rendered(plain, "Role", "kmetal-webhook");
    List<Manifest> localPath = FleetRenderer.render(io.kmetal.storage.Fixtures.acceptanceFleet());
    Role provisioner = (Role) rendered(localPath, "Role", "local-path-provisioner-role");
    return Stream.of(
        new Identity(
            "ClusterRole kmetal-retain-cleanup-<class> (dry run)",
            retainCleanupRules(true),
            RoleUses.retainCleanup(false)),
        new Identity(
            "ClusterRole kmetal-retain-cleanup-<class> (deletes)",
            retainCleanupRules(false),
            RoleUses.retainCleanup(true)),
        new Identity(
            "Role local-path-storage/local-path-provisioner-role",
            provisioner.getRules(),
            RoleUses.localPathNamespace("local-path-config")),
        new Identity(
            "Role kubevirt-csi-controller-<cluster>",
            ControllerRenderer.rules(true),
            RoleUses.UNDER_DRIVER),
        new Identity(
            "Role kubevirt-csi-controller-<cluster> (snapshots off)",
            ControllerRenderer.rules(false),
            RoleUses.underDriver(false)),
        new Identity(
            "Role kmetal-webhook",
            webhook.getRules(),
            RoleUses.underWebhook(true, WebhookRenderer.LEDGER)),
        new Identity(
            "Role kmetal-webhook (no snapshot classes)",
            webhookWithoutSnapshots.getRules(),
            RoleUses.underWebhook(false, WebhookRenderer.LEDGER)),
        new Identity("ClusterRole kubevirt-csi-node", node.getRules(), RoleUses.TENANT_NODE),
        new Identity(
            "ClusterRole kmetal-csi-controller",
            TenantCredentialsRenderer.CONTROLLER.clusterRules(),
            RoleUses.TENANT_SIDECARS),
        new Identity(
            "ClusterRole kmetal-csi-controller (snapshots off)",
            TenantCredentialsRenderer.controller(false).clusterRules(),
            RoleUses.tenantSidecars(false)),
        new Identity(
            "Role kube-system/kmetal-csi-controller",
            TenantCredentialsRenderer.CONTROLLER.localRules(),
            RoleUses.TENANT_LEASES),
        new Identity(
            "ClusterRole kmetal-webhook-pusher",
            TenantCredentialsRenderer.PUSHER.clusterRules(),
            RoleUses.TENANT_PUSHER));
  }

  private static List<PolicyRule> retainCleanupRules(boolean dryRun) {
    List<Manifest> out =
        FleetRenderer.render(
            Fixtures.yaml(
                "storageTiers: [{name: gold, isDefault: true, backend: {csi: {provisioner: p}}, retainCleanup:"
                    + " {dryRun: "
                    + dryRun
                    + "}}]"));
    return ((ClusterRole) rendered(out, "ClusterRole", "kmetal-retain-cleanup-gold")).getRules();
  }

  private static Object rendered(List<Manifest> out, String kind, String name) {
    return out.stream()
        .filter(m -> m.kind().equals(kind) && m.object().getMetadata().getName().startsWith(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name))
        .object();
  }

  @ParameterizedTest
  @MethodSource("identities")
  void everyStepOfItsBinaryIsGranted(Identity identity) {
    List<Access> grants = granted(identity.rules());
    List<String> missing = new ArrayList<>();
    for (Use use : identity.uses())
      for (Access need : needed(use))
        if (grants.stream().noneMatch(need::coveredBy))
          missing.add(use.who() + " (" + use.step() + ") needs " + need);
    assertEquals(List.of(), missing, identity.role());
  }

  @ParameterizedTest
  @MethodSource("identities")
  void everyGrantedVerbServesANamedStep(Identity identity) {
    List<String> unused = new ArrayList<>();
    for (Access grant : granted(identity.rules()))
      if (identity.uses().stream()
          .flatMap(u -> needed(u).stream())
          .noneMatch(need -> need.equals(grant))) unused.add(grant.toString());
    assertEquals(
        List.of(),
        unused,
        identity.role()
            + " grants what no binary uses: drop it, or name the step that needs it in RoleUses");
  }

  @ParameterizedTest
  @MethodSource("identities")
  void removingAnyRuleBreaksANamedStep(Identity identity) {
    for (int i = 0; i < identity.rules().size(); i++) {
      List<PolicyRule> without = new ArrayList<>(identity.rules());
      PolicyRule removed = without.remove(i);
      List<Access> grants = granted(without);
      List<String> broken =
          identity.uses().stream()
              .filter(
                  u -> needed(u).stream().anyMatch(n -> grants.stream().noneMatch(n::coveredBy)))
              .map(u -> u.who() + ": " + u.step())
              .toList();
      assertFalse(broken.isEmpty(), identity.role() + " keeps working without " + removed);
    }
  }
}
