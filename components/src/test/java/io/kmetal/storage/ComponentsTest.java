package io.kmetal.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pulumi.core.Output;
import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestResult;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The components register one resource per rendered object, in the right cluster, secrets kept. */
class ComponentsTest {
  private static final String KUBECONFIG =
      "apiVersion: v1\nkind: Config\nusers: [{name: admin, user: {token: s3cret}}]\n";

  /**
   * Records every registration and echoes the inputs back as the state; a read (an id given)
   * returns {@link #live} as the object the cluster holds.
   */
  static final class RecordingMocks implements Mocks {
    final ConcurrentLinkedQueue<ResourceArgs> registered = new ConcurrentLinkedQueue<>();
    volatile Map<String, Object> live = Map.of();

    @Override
    public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
      registered.add(args);
      if (args.id != null && !args.id.isEmpty())
        return CompletableFuture.completedFuture(
            ResourceResult.of(
                Optional.of(args.id),
                args.type.equals("kubernetes:core/v1:Secret")
                    ? TenantClusters.adminSecret()
                    : live));
      return CompletableFuture.completedFuture(
          ResourceResult.of(Optional.of(args.name + "-id"), TenantClusters.created(args)));
    }

    List<ResourceArgs> ofType(String type) {
      return registered.stream().filter(r -> r.type.equals(type)).toList();
    }
  }

  private final RecordingMocks mocks = new RecordingMocks();

  @AfterEach
  void cleanup() {
    PulumiTest.cleanup();
  }

  private TestResult run(java.util.function.Consumer<com.pulumi.Context> program) {
    return PulumiTest.withMocks(mocks).runTest(program);
  }

  private static TenantStorageSpec alpha() {
    return Fixtures.acceptanceFleet().tenantStorages().get(0);
  }

  private static TenantStorageArgs alphaArgs() {
    return alphaArgs(alpha());
  }

  private static TenantStorageArgs alphaArgs(TenantStorageSpec alpha) {
    return TenantStorageArgs.builder(alpha)
        .kubeconfig("alpha-prod", Output.of(KUBECONFIG))
        .kubeconfig("alpha-dev", Output.of(KUBECONFIG))
        .build();
  }

  @Test
  void tenantStorageRegistersEveryRenderedObjectUnderItsProvider() {
    TestResult result = run(ctx -> new TenantStorage("alpha", alphaArgs()));
    assertEquals(0, result.exitCode(), () -> String.join("\n", result.errors()));

    assertEquals(
        2, mocks.ofType("pulumi:providers:kubernetes").size(), "one provider per tenant cluster");
    var quota = mocks.ofType("kubernetes:core/v1:ResourceQuota");
    assertEquals(1, quota.size());
    assertEquals("under/alpha/alpha-storage", quota.get(0).name);
    assertEquals(
        "",
        quota.get(0).provider == null ? "" : quota.get(0).provider,
        "under objects use the inherited provider");

    var tenantClasses = mocks.ofType("kubernetes:storage.k8s.io/v1:StorageClass");
    assertEquals(
        List.of("alpha/alpha-dev/kubevirt", "alpha/alpha-prod/kubevirt"),
        tenantClasses.stream().map(r -> r.name).sorted().toList());
    for (var sc : tenantClasses) {
      String cluster = sc.name.split("/")[1];
      assertTrue(
          sc.provider.contains("pulumi:providers:kubernetes::alpha-" + cluster), sc.provider);
    }
    assertEquals(
        io.kmetal.storage.internal.render.TenantStorageRenderer.render(alpha()).size(),
        mocks.registered.size() - 2 - 1 - 1 - 2 - 2 - 2,
        "objects + the generated TLS secret + 2 providers + the component + the feature gates'"
            + " read and patch + the controller's kubeconfig secret per cluster + 2 admin"
            + " kubeconfig reads");
  }

  /** A KubeVirt CR as the cluster holds it, with one developer-configuration list. */
  private static Map<String, Object> kubevirtWith(String list, List<String> gates) {
    return Map.of(
        "spec", Map.of("configuration", Map.of("developerConfiguration", Map.of(list, gates))));
  }

  @Test
  void hotPlugGateIsMergedWithTheGatesTheClusterHolds() {
    mocks.live = kubevirtWith("featureGates", List.of("Snapshot", "VMExport"));
    TestResult result = run(ctx -> new TenantStorage("alpha", alphaArgs()));
    assertEquals(0, result.exitCode(), () -> String.join("\n", result.errors()));

    var read = mocks.ofType("kubernetes:kubevirt.io/v1:KubeVirt");
    assertEquals(List.of("kubevirt/kubevirt"), read.stream().map(r -> r.id).toList());
    var patch = mocks.ofType("kubernetes:kubevirt.io/v1:KubeVirtPatch");
    assertEquals(
        List.of("under/kubevirt/kubevirt/feature-gates/alpha"),
        patch.stream().map(r -> r.name).toList());
    assertEquals(
        Map.of(
            "configuration",
            Map.of(
                "developerConfiguration",
                Map.of(
                    "featureGates", List.of("Snapshot", "VMExport", "DeclarativeHotplugVolumes")))),
        patch.get(0).inputs.get("spec"),
        "the operator's gates first, never dropped; the needed one added");
  }

  @Test
  void aHotPlugGateTheOperatorDisabledFailsNamingIt() {
    mocks.live = kubevirtWith("disabledFeatureGates", List.of("DeclarativeHotplugVolumes"));
    TestResult result = run(ctx -> new TenantStorage("alpha", alphaArgs()));
    assertTrue(result.exitCode() != 0);
    String errors = String.join("\n", result.errors());
    assertTrue(
        errors.contains("KubeVirt kubevirt/kubevirt disables DeclarativeHotplugVolumes")
            && errors.contains("kubevirt.manageFeatureGates"),
        errors);
  }

  @Test
  void unmanagedGatesAreNeitherReadNorPatched() {
    TenantStorageSpec unmanaged =
        Fixtures.yaml(
                "tenantStorages: [{name: alpha, storageQuota: 1Gi,"
                    + " clusters: [{name: alpha-prod}, {name: alpha-dev}],"
                    + " kubevirt: {manageFeatureGates: false}}]")
            .tenantStorages()
            .get(0);
    TestResult result = run(ctx -> new TenantStorage("alpha", alphaArgs(unmanaged)));
    assertEquals(0, result.exitCode(), () -> String.join("\n", result.errors()));
    assertTrue(mocks.ofType("kubernetes:kubevirt.io/v1:KubeVirt").isEmpty());
    assertTrue(mocks.ofType("kubernetes:kubevirt.io/v1:KubeVirtPatch").isEmpty());
  }

  @Test
  void generatedCertificateIsTheSecretAndEveryConfigurationTrustsItsCa() {
    TestResult result = run(ctx -> new TenantStorage("alpha", alphaArgs()));
    assertEquals(0, result.exitCode(), () -> String.join("\n", result.errors()));
    var secrets = webhookSecrets();
    assertEquals(
        List.of("under/alpha/kmetal-webhook-tls"), secrets.stream().map(r -> r.name).toList());
    @SuppressWarnings("unchecked")
    var metadata = (Map<String, Object>) secrets.get(0).inputs.get("metadata");
    @SuppressWarnings("unchecked")
    var ca =
        ((Map<String, String>) metadata.get("annotations"))
            .get(io.kmetal.storage.internal.render.WebhookRenderer.CA_BUNDLE_ANNOTATION);
    @SuppressWarnings("unchecked")
    var data = (Map<String, String>) secrets.get(0).inputs.get("data");
    assertEquals(ca, data.get("ca.crt"));
    assertEquals(java.util.Set.of("tls.crt", "tls.key", "ca.crt"), data.keySet());
    assertEveryConfigurationTrusts(ca);
  }

  private List<com.pulumi.test.Mocks.ResourceArgs> webhookSecrets() {
    return mocks.ofType("kubernetes:core/v1:Secret").stream()
        .filter(r -> r.name.endsWith("/kmetal-webhook-tls"))
        .toList();
  }

  @Test
  void eachClustersControllerKubeconfigIsBuiltFromItsTokenAndTheAdminServerAsASecret() {
    TestResult result = run(ctx -> new TenantStorage("alpha", alphaArgs()));
    assertEquals(0, result.exitCode(), () -> String.join("\n", result.errors()));
    var kubeconfigs =
        mocks.ofType("kubernetes:core/v1:Secret").stream()
            .filter(r -> r.name.endsWith("-kmetal-csi-controller-kubeconfig"))
            .toList();
    assertEquals(2, kubeconfigs.size());
    @SuppressWarnings("unchecked")
    var data = (Map<String, String>) kubeconfigs.get(0).inputs.get("data");
    String kubeconfig =
        new String(
            java.util.Base64.getDecoder().decode(data.get("kubeconfig")),
            java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(kubeconfig.contains(TenantClusters.TOKEN), kubeconfig);
    assertTrue(kubeconfig.contains(TenantClusters.SERVER), kubeconfig);
    assertFalse(kubeconfig.contains("c2VjcmV0"), "the admin's key stays out");
    for (var d : mocks.ofType("kubernetes:apps/v1:Deployment"))
      assertFalse(d.inputs.toString().contains("admin-kubeconfig"), d.name + " mounts no admin");
  }

  @Test
  void inPushModeTheWebhookGetsItsOwnKubeconfigPerCluster() {
    TenantStorageSpec push =
        Fixtures.yaml(
                "tenantStorages: [{name: alpha, storageQuota: 1Gi,"
                    + " clusters: [{name: alpha-prod}, {name: alpha-dev}],"
                    + " webhook: {pushConfiguration: true}}]")
            .tenantStorages()
            .get(0);
    TestResult result = run(ctx -> new TenantStorage("alpha", alphaArgs(push)));
    assertEquals(0, result.exitCode(), () -> String.join("\n", result.errors()));
    assertEquals(
        List.of(
            "under/alpha/alpha-dev-kmetal-webhook-pusher-kubeconfig",
            "under/alpha/alpha-prod-kmetal-webhook-pusher-kubeconfig"),
        mocks.ofType("kubernetes:core/v1:Secret").stream()
            .map(r -> r.name)
            .filter(n -> n.endsWith("-kmetal-webhook-pusher-kubeconfig"))
            .sorted()
            .toList());
    var webhook =
        mocks.ofType("kubernetes:apps/v1:Deployment").stream()
            .filter(d -> d.name.equals("under/alpha/kmetal-webhook"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        webhook.inputs.toString().contains("alpha-prod-kmetal-webhook-pusher-kubeconfig"),
        "the webhook mounts the pusher's kubeconfig");
  }

  private void assertEveryConfigurationTrusts(String ca) {
    var configurations =
        mocks.ofType("kubernetes:admissionregistration.k8s.io/v1:ValidatingWebhookConfiguration");
    assertEquals(2, configurations.size());
    for (var c : configurations) {
      @SuppressWarnings("unchecked")
      var hooks = (List<Map<String, Map<String, Object>>>) c.inputs.get("webhooks");
      assertEquals(ca, hooks.get(0).get("clientConfig").get("caBundle"), c.name);
    }
  }

  @Test
  void givenCaBundleMeansTheSecretIsBroughtNotGenerated() {
    String ca =
        java.util.Base64.getEncoder()
            .encodeToString(
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".getBytes());
    TenantStorageSpec brought =
        Fixtures.yaml(
                "tenantStorages: [{name: alpha, storageQuota: 1Gi,"
                    + " clusters: [{name: alpha-prod}, {name: alpha-dev}],"
                    + " webhook: {caBundle: "
                    + ca
                    + "}}]")
            .tenantStorages()
            .get(0);
    TestResult result = run(ctx -> new TenantStorage("alpha", alphaArgs(brought)));
    assertEquals(0, result.exitCode(), () -> String.join("\n", result.errors()));
    assertTrue(webhookSecrets().isEmpty());
    assertEveryConfigurationTrusts(ca);
  }

  @Test
  void storageTierRegistersItsClassAndSnapshotClass() {
    TestResult result =
        run(ctx -> new StorageTier("gold", Fixtures.acceptanceFleet().storageTiers().get(2)));
    assertEquals(0, result.exitCode(), () -> String.join("\n", result.errors()));
    var inputs = mocks.ofType("kubernetes:storage.k8s.io/v1:StorageClass").get(0).inputs;
    assertEquals("openshift-storage.rbd.csi.ceph.com", inputs.get("provisioner"));
    assertEquals("Retain", inputs.get("reclaimPolicy"));
    assertEquals(
        1, mocks.ofType("kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass").size());
  }

  @Test
  void componentsWithoutANameTakeTheirResourceName() {
    StorageTierSpec gold = Fixtures.acceptanceFleet().storageTiers().get(2);
    StorageTierSpec unnamedTier =
        new StorageTierSpec(
            null,
            null,
            gold.description(),
            gold.role(),
            gold.isDefault(),
            gold.reclaimPolicy(),
            gold.volumeBindingMode(),
            gold.allowVolumeExpansion(),
            gold.mountOptions(),
            gold.backend(),
            gold.storageProfile(),
            gold.snapshotClass(),
            gold.enforceSingleDefault(),
            gold.protection(),
            gold.retainCleanup());
    TenantStorageSpec a = alpha();
    TenantStorageSpec unnamedTenant =
        TenantStorageSpec.builder()
            .storageQuota("3Gi")
            .clusters(a.clusters())
            .webhook(a.webhook())
            .build();
    TestResult result =
        run(
            ctx -> {
              new StorageTier("platinum", unnamedTier);
              new TenantStorage("hk", alphaArgs(unnamedTenant));
            });
    assertEquals(0, result.exitCode(), () -> String.join("\n", result.errors()));
    var classes =
        mocks.ofType("kubernetes:storage.k8s.io/v1:StorageClass").stream()
            .map(r -> r.name)
            .toList();
    assertTrue(classes.contains("under/platinum"), classes.toString());
    var quota = mocks.ofType("kubernetes:core/v1:ResourceQuota");
    assertEquals(List.of("under/hk/hk-storage"), quota.stream().map(r -> r.name).toList());
  }

  @Test
  void hppOverlayPatchesKubeVirtInsteadOfOwningIt() {
    TestResult result =
        run(ctx -> new HppOverlay("vm-state", Fixtures.acceptanceFleet().hppOverlays().get(0)));
    assertEquals(0, result.exitCode(), () -> String.join("\n", result.errors()));
    assertEquals(1, mocks.ofType("kubernetes:kubevirt.io/v1:KubeVirtPatch").size());
    assertTrue(mocks.ofType("kubernetes:kubevirt.io/v1:KubeVirt").isEmpty());
    @SuppressWarnings("unchecked")
    var spec =
        (Map<String, Object>)
            mocks
                .ofType("kubernetes:hostpathprovisioner.kubevirt.io/v1beta1:HostPathProvisioner")
                .get(0)
                .inputs
                .get("spec");
    assertEquals(List.of("Snapshotting"), spec.get("featureGates"));
  }

  @Test
  void theHostPathProvisionerIsAwaitedAvailableForTheOverlaysTimeout() {
    var overlay = Fixtures.acceptanceFleet().hppOverlays().get(0);
    TestResult result = run(ctx -> new HppOverlay("vm-state", overlay));
    assertEquals(0, result.exitCode(), () -> String.join("\n", result.errors()));
    @SuppressWarnings("unchecked")
    var metadata =
        (Map<String, Map<String, String>>)
            mocks
                .ofType("kubernetes:hostpathprovisioner.kubevirt.io/v1beta1:HostPathProvisioner")
                .get(0)
                .inputs
                .get("metadata");
    assertEquals(
        Map.of("pulumi.com/waitFor", "condition=Available", "pulumi.com/timeoutSeconds", "600"),
        metadata.get("annotations"));
  }

  @Test
  void invalidInputRegistersNothing() {
    Fleet bad = Fixtures.read(Fixtures.dir().resolve("invalid/quota-not-a-quantity.yaml"));
    TestResult result =
        run(
            ctx ->
                new TenantStorage(
                    "alpha",
                    TenantStorageArgs.builder(bad.tenantStorages().get(0))
                        .kubeconfig("alpha-prod", Output.of(KUBECONFIG))
                        .build()));
    assertFalse(
        result.exceptions().isEmpty() && result.errors().isEmpty(), "the program must fail");
    String said = String.join("\n", result.errors()) + result.exceptions();
    assertTrue(said.contains("storageQuota") && said.contains("ten gigs"), said);
    assertTrue(
        mocks.registered.isEmpty(),
        "nothing may be registered: " + mocks.registered.stream().map(r -> r.type).toList());
  }

  @Test
  void missingKubeconfigIsReportedBeforeAnythingIsRegistered() {
    TestResult result =
        run(
            ctx ->
                new TenantStorage(
                    "alpha",
                    TenantStorageArgs.builder(alpha())
                        .kubeconfig("alpha-prod", Output.of(KUBECONFIG))
                        .build()));
    String said = String.join("\n", result.errors()) + result.exceptions();
    assertTrue(said.contains("clusters[1].kubeconfig"), said);
    assertTrue(mocks.registered.isEmpty());
  }
}
