package io.kmetal.storage.internal.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kmetal.storage.Fixtures;
import io.kmetal.storage.model.Target;
import io.kmetal.storage.model.TenantStorageSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the source documents require of the rendered objects, asserted on the typed objects. */
class RenderContractTest {
  private final List<Manifest> fleet = FleetRenderer.render(Fixtures.acceptanceFleet());

  @Test
  void localPathConfigRefusesUnlistedNodesForEveryClass() throws Exception {
    ConfigMap cm = (ConfigMap) one(Target.UNDER, "ConfigMap", "local-path-config");
    JsonNode config = new ObjectMapper().readTree(cm.getData().get("config.json"));
    for (String cls : List.of("local-path", "tenant-storage-class")) {
      JsonNode map = config.path("storageClassConfigs").path(cls).path("nodePathMap");
      JsonNode last = map.get(map.size() - 1);
      assertEquals("DEFAULT_PATH_FOR_NON_LISTED_NODES", last.path("node").asText(), cls);
      assertEquals(0, last.path("paths").size(), cls + ": unlisted nodes must map to []");
    }
  }

  @Test
  void fleetSharesOneLocalPathProvisioner() {
    long provisioners =
        fleet.stream()
            .filter(
                m -> m.kind().equals("Deployment") && m.name().startsWith("local-path-provisioner"))
            .count();
    assertEquals(1, provisioners);
    StorageClass platform = (StorageClass) one(Target.UNDER, "StorageClass", "local-path");
    StorageClass tenant = (StorageClass) one(Target.UNDER, "StorageClass", "tenant-storage-class");
    assertEquals(platform.getProvisioner(), tenant.getProvisioner());
  }

  @Test
  void controllerSidecarsRunWithLeaderElectionAgainstTheTenantCluster() {
    Deployment d =
        (Deployment) one(Target.UNDER, "Deployment", "kubevirt-csi-controller-alpha-prod");
    assertEquals(2, d.getSpec().getReplicas());
    for (String sidecar :
        List.of("csi-provisioner", "csi-attacher", "csi-snapshotter", "csi-resizer")) {
      List<String> args = container(d, sidecar).getArgs();
      assertTrue(args.contains("--leader-election"), sidecar);
      assertTrue(
          args.stream().anyMatch(a -> a.startsWith("--kubeconfig=")),
          sidecar + " must watch the tenant cluster");
    }
    assertFalse(
        container(d, "csi-driver").getArgs().stream().anyMatch(a -> a.startsWith("--kubeconfig=")),
        "the driver uses in-cluster credentials");
  }

  @Test
  void everyTwoReplicaDeploymentHasABudgetOfOnePodAtATimeOverItsOwnPods() {
    for (Manifest m : fleet) {
      if (!(m.object() instanceof Deployment d) || d.getSpec().getReplicas() < 2) continue;
      var pdb =
          (io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget)
              one(m.target(), "PodDisruptionBudget", m.name());
      assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal(), m.name());
      assertEquals(
          d.getSpec().getSelector().getMatchLabels(),
          pdb.getSpec().getSelector().getMatchLabels(),
          m.name());
    }
  }

  @Test
  void theWebhookAdmitsTrafficOnItsPortOnly() {
    var policy =
        (io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy)
            one(Target.UNDER, "NetworkPolicy", "kmetal-webhook");
    Deployment webhook = (Deployment) one(Target.UNDER, "Deployment", "kmetal-webhook");
    assertEquals(
        webhook.getSpec().getSelector().getMatchLabels(),
        policy.getSpec().getPodSelector().getMatchLabels());
    assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
    var ports = policy.getSpec().getIngress().get(0).getPorts();
    assertEquals(1, ports.size());
    assertEquals(
        webhook
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getPorts()
            .get(0)
            .getContainerPort(),
        ports.get(0).getPort().getIntVal());
    assertTrue(policy.getSpec().getIngress().get(0).getFrom().isEmpty(), "from anywhere");
  }

  @Test
  void everyUnderClusterDeploymentRunsNonRootReadOnlyWithoutCapabilities() {
    for (Manifest m : fleet) {
      if (!(m.object() instanceof Deployment d) || !m.target().isUnder()) continue;
      var pod = d.getSpec().getTemplate().getSpec();
      assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), m.name());
      assertEquals(
          "RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), m.name());
      for (Container c : pod.getContainers()) {
        var sc = c.getSecurityContext();
        String where = m.name() + "/" + c.getName();
        assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), where);
        assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), where);
        assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), where);
      }
    }
  }

  /** Every namespace we create says which Pod Security level it enforces. */
  @Test
  void everyNamespaceWeCreateStatesItsPodSecurityLevel() {
    var namespaces =
        fleet.stream()
            .filter(m -> m.object() instanceof io.fabric8.kubernetes.api.model.Namespace)
            .toList();
    assertTrue(!namespaces.isEmpty(), "the acceptance fleet creates the local-path namespace");
    for (Manifest m : namespaces)
      assertEquals(
          "privileged",
          m.object().getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"),
          m.name());
  }

  /** The node plugin formats and mounts, so it is privileged; it writes nothing else. */
  @Test
  void theNodePluginIsPrivilegedButKeepsItsRootFilesystemReadOnly() {
    for (Manifest m : fleet) {
      if (!(m.object() instanceof io.fabric8.kubernetes.api.model.apps.DaemonSet ds)) continue;
      var pod = ds.getSpec().getTemplate().getSpec();
      Container driver = pod.getContainers().get(0);
      assertEquals("csi-driver", driver.getName());
      assertEquals(Boolean.TRUE, driver.getSecurityContext().getPrivileged(), m.name());
      assertEquals(Boolean.TRUE, driver.getSecurityContext().getReadOnlyRootFilesystem(), m.name());
      assertTrue(
          driver.getVolumeMounts().stream().anyMatch(v -> v.getMountPath().equals("/tmp")),
          "the JVM's /tmp is an emptyDir");
    }
  }

  @Test
  void everyImageIsPinned() {
    for (Manifest m : fleet) {
      if (m.object() instanceof Deployment d) {
        var pod = d.getSpec().getTemplate().getSpec();
        pod.getContainers().forEach(c -> assertPinned(c.getImage()));
        pod.getInitContainers().forEach(c -> assertPinned(c.getImage()));
      }
    }
  }

  @Test
  void controllerRoleIsLeastPrivilegeAndAllowsVmiRemoveVolume() {
    Role role = (Role) one(Target.UNDER, "Role", "kubevirt-csi-controller-alpha-prod");
    Set<String> resources =
        role.getRules().stream()
            .flatMap(r -> r.getResources().stream())
            .collect(Collectors.toSet());
    assertTrue(resources.contains("virtualmachineinstances/removevolume"));
    assertTrue(
        role.getRules().stream()
            .noneMatch(r -> r.getVerbs().contains("*") || r.getResources().contains("*")));
    assertTrue(
        role.getRules().stream().noneMatch(r -> r.getResources().contains("secrets")),
        "the driver never reads secrets");
  }

  @Test
  void tenantClustersSeeOnlyTheKubevirtClassPointingAtTheInfraClass() {
    for (String cluster : List.of("alpha-prod", "alpha-dev")) {
      Target t = Target.tenant("alpha", cluster);
      StorageClass sc = (StorageClass) one(t, "StorageClass", "kubevirt");
      assertEquals(
          Map.of("infraStorageClassName", "tenant-storage-class", "bus", "scsi"),
          sc.getParameters());
      assertEquals(
          1,
          fleet.stream()
              .filter(m -> m.target().equals(t) && m.kind().equals("StorageClass"))
              .count());
    }
  }

  @Test
  void webhookConfigurationNamesItsClusterAndCoversPvcCreateUpdateAndDelete() {
    var vwc =
        (io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration)
            one(
                Target.tenant("alpha", "alpha-dev"),
                "ValidatingWebhookConfiguration",
                "kmetal-storage-quota");
    var hook = vwc.getWebhooks().get(0);
    assertEquals(
        "https://kmetal-webhook.alpha.svc/validate-pvc/alpha-dev", hook.getClientConfig().getUrl());
    assertEquals(List.of("CREATE", "UPDATE", "DELETE"), hook.getRules().get(0).getOperations());
    assertEquals("Ignore", hook.getFailurePolicy());
  }

  @Test
  void webhookChecksEveryNamespaceUnlessASelectorNarrowsIt() {
    TenantStorageSpec selective =
        Fixtures.yaml(
                """
                tenantStorages:
                  - name: alpha
                    storageQuota: 1Gi
                    clusters: [{name: a}]
                    webhook:
                      namespaceSelector:
                        matchLabels: {kmetal.io/quota: enforced}
                        matchExpressions:
                          - {key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system]}
                          - {key: kmetal.io/quota-exempt, operator: DoesNotExist}
                """)
            .tenantStorages()
            .get(0);
    var selector = hook(selective).getNamespaceSelector();
    assertEquals(Map.of("kmetal.io/quota", "enforced"), selector.getMatchLabels());
    assertEquals(
        List.of(
            "NotIn kubernetes.io/metadata.name [kube-system]",
            "DoesNotExist kmetal.io/quota-exempt []"),
        selector.getMatchExpressions().stream()
            .map(r -> r.getOperator() + " " + r.getKey() + " " + r.getValues())
            .toList());
    assertNull(hook(Fixtures.acceptanceFleet().tenantStorages().get(0)).getNamespaceSelector());
  }

  @Test
  void pushModeHandsEachClustersConfigurationToTheWebhookInsteadOfRenderingIt() throws Exception {
    TenantStorageSpec rendered =
        Fixtures.yaml(
                "tenantStorages: [{name: alpha, storageQuota: 1Gi, clusters: [{name: a}, {name: b}]}]")
            .tenantStorages()
            .get(0);
    TenantStorageSpec pushed =
        Fixtures.yaml(
                "tenantStorages: [{name: alpha, storageQuota: 1Gi, clusters: [{name: a}, {name: b}],"
                    + " webhook: {pushConfiguration: true}}]")
            .tenantStorages()
            .get(0);
    for (var cluster : pushed.clusters()) {
      assertEquals(List.of(), WebhookRenderer.renderTenant(pushed, cluster));
    }
    List<Manifest> under = WebhookRenderer.renderUnder(pushed);
    ConfigMap configurations = (ConfigMap) first(under, "ConfigMap");
    assertEquals(Set.of("a.yaml", "b.yaml"), configurations.getData().keySet());
    for (var cluster : rendered.clusters()) {
      var expected = WebhookRenderer.renderTenant(rendered, cluster).get(0).object();
      var handed =
          new ObjectMapper()
              .readValue(
                  configurations.getData().get(cluster.name() + ".yaml"),
                  io.fabric8.kubernetes.api.model.admissionregistration.v1
                      .ValidatingWebhookConfiguration.class);
      assertEquals(expected, handed, cluster.name());
    }
    Deployment webhook = (Deployment) first(under, "Deployment");
    Container c = container(webhook, "webhook");
    assertTrue(c.getArgs().contains("--push-configurations=/etc/kmetal/configurations"));
    assertTrue(c.getArgs().contains("--tenant-kubeconfigs=/etc/kmetal/tenants"));
    assertEquals(
        List.of(
            "/etc/kmetal/tls",
            "/tmp",
            "/etc/kmetal/configurations",
            "/etc/kmetal/tenants/a",
            "/etc/kmetal/tenants/b"),
        c.getVolumeMounts().stream().map(m -> m.getMountPath()).toList());
    var kubeconfigB = webhook.getSpec().getTemplate().getSpec().getVolumes().get(4).getSecret();
    assertEquals("b-kmetal-webhook-pusher-kubeconfig", kubeconfigB.getSecretName());
    assertEquals("kubeconfig", kubeconfigB.getItems().get(0).getKey());
    assertEquals("kubeconfig", kubeconfigB.getItems().get(0).getPath());
  }

  private static HasMetadata first(List<Manifest> manifests, String kind) {
    return manifests.stream().filter(m -> m.kind().equals(kind)).findFirst().orElseThrow().object();
  }

  private static io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook hook(
      TenantStorageSpec tenant) {
    var vwc =
        (io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration)
            WebhookRenderer.renderTenant(tenant, tenant.clusters().get(0)).get(0).object();
    return vwc.getWebhooks().get(0);
  }

  @Test
  void oneQuotaAndOneWebhookPerTenantOneControllerPerCluster() {
    assertEquals(1, count("ResourceQuota"));
    assertEquals(
        1,
        fleet.stream()
            .filter(m -> m.kind().equals("Deployment") && m.name().equals("kmetal-webhook"))
            .count());
    assertEquals(
        2,
        fleet.stream()
            .filter(
                m ->
                    m.kind().equals("Deployment") && m.name().startsWith(ControllerRenderer.PREFIX))
            .count());
  }

  @Test
  void disabledWebhookRendersNoWebhookObjects() {
    TenantStorageSpec alpha = Fixtures.acceptanceFleet().tenantStorages().get(0);
    TenantStorageSpec off =
        Fixtures.yaml(
                "tenantStorages: [{name: alpha, storageQuota: 1Gi, clusters: [{name: a}], webhook: {enabled: false}}]")
            .tenantStorages()
            .get(0);
    java.util.function.Predicate<Manifest> webhookObject =
        m ->
            m.name().startsWith("kmetal-webhook") || m.name().equals(WebhookRenderer.CONFIGURATION);
    assertTrue(TenantStorageRenderer.render(alpha).stream().anyMatch(webhookObject));
    assertTrue(TenantStorageRenderer.render(off).stream().noneMatch(webhookObject));
  }

  @Test
  void objectsOtherControllersOwnArePatches() {
    Set<String> patched =
        fleet.stream()
            .filter(m -> m.ownership() == Ownership.PATCH)
            .map(Manifest::kind)
            .collect(Collectors.toSet());
    assertEquals(Set.of("StorageProfile", "KubeVirt"), patched);
  }

  @Test
  void everyObjectCarriesTheStandardLabels() {
    for (Manifest m : fleet) {
      Map<String, String> labels = m.object().getMetadata().getLabels();
      assertEquals("kmetal-storage", labels.get("app.kubernetes.io/part-of"), m.key());
      assertTrue(labels.containsKey("app.kubernetes.io/name"), m.key());
      assertTrue(labels.containsKey("app.kubernetes.io/instance"), m.key());
    }
  }

  @Test
  void keysAreUniquePerTarget() {
    Set<String> seen = new java.util.HashSet<>();
    for (Manifest m : fleet)
      assertTrue(seen.add(m.target() + " " + m.key()), "duplicate " + m.key());
  }

  @Test
  void onlyTheChosenTierIsDefault() {
    List<String> defaults =
        fleet.stream()
            .filter(m -> m.target().isUnder() && m.object() instanceof StorageClass)
            .filter(
                m ->
                    "true"
                        .equals(
                            m.object().getMetadata().getAnnotations() == null
                                ? null
                                : m.object()
                                    .getMetadata()
                                    .getAnnotations()
                                    .get(StorageTierRenderer.DEFAULT_CLASS)))
            .map(Manifest::name)
            .toList();
    assertEquals(List.of("ocs-silver-ssd"), defaults);
    assertNull(
        ((StorageClass) one(Target.UNDER, "StorageClass", "ocs-gold-nvme"))
            .getMetadata()
            .getAnnotations()
            .get(StorageTierRenderer.DEFAULT_CLASS));
  }

  private long count(String kind) {
    return fleet.stream().filter(m -> m.kind().equals(kind)).count();
  }

  private HasMetadata one(Target target, String kind, String name) {
    List<HasMetadata> found =
        fleet.stream()
            .filter(
                m -> m.target().equals(target) && m.kind().equals(kind) && m.name().equals(name))
            .map(Manifest::object)
            .toList();
    assertEquals(1, found.size(), kind + "/" + name + " in " + target);
    return found.get(0);
  }

  private static Container container(Deployment d, String name) {
    return d.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static void assertPinned(String image) {
    String last = image.substring(image.lastIndexOf('/') + 1);
    assertTrue(last.contains(":") && !last.endsWith(":latest"), image + " is not pinned");
  }
}
