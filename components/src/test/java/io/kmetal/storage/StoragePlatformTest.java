package io.kmetal.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pulumi.core.Output;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestResult;
import io.kmetal.storage.internal.pulumi.KubernetesObject;
import io.kmetal.storage.internal.pulumi.ManifestResources;
import io.kmetal.storage.internal.render.FleetRenderer;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.TenantClusterSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The platform registers what {@code kmetal render} writes, object for object. */
class StoragePlatformTest {
  private static final String KUBECONFIG =
      "apiVersion: v1\nkind: Config\nusers: [{name: admin, user: {token: s3cret}}]\n";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ComponentsTest.RecordingMocks mocks = new ComponentsTest.RecordingMocks();

  @AfterEach
  void cleanup() {
    PulumiTest.cleanup();
  }

  private TestResult run(Fleet fleet) {
    return PulumiTest.withMocks(mocks)
        .runTest(ctx -> new StoragePlatform("platform", withKubeconfigs(fleet)));
  }

  /** Every tenant cluster of {@code fleet} reachable. */
  private static StoragePlatformArgs withKubeconfigs(Fleet fleet) {
    StoragePlatformArgs.Builder args = StoragePlatformArgs.builder(fleet);
    for (TenantStorageSpec t : fleet.tenantStorages())
      for (TenantClusterSpec c : t.clusters())
        args.kubeconfig(t.namespace(), c.name(), Output.of(KUBECONFIG));
    return args.build();
  }

  /** Registered Kubernetes objects, {@code type name} → their inputs as JSON. */
  private Map<String, JsonNode> registeredObjects() {
    Map<String, JsonNode> out = new TreeMap<>();
    mocks.registered.stream()
        .filter(r -> r.type.startsWith("kubernetes:") && (r.id == null || r.id.isEmpty()))
        .forEach(
            r -> out.put(r.type + " " + r.name, withoutDeployNotes(JSON.valueToTree(r.inputs))));
    return out;
  }

  /**
   * {@code node} without the {@code pulumi.com/} annotations, pulumi-kubernetes' own instructions
   * (such as awaiting the HostPathProvisioner Available), which a render has no use for.
   */
  private static JsonNode withoutDeployNotes(JsonNode node) {
    JsonNode annotations = node.path("metadata").path("annotations");
    if (annotations instanceof com.fasterxml.jackson.databind.node.ObjectNode a) {
      a.properties().removeIf(e -> e.getKey().startsWith("pulumi.com/"));
      if (a.isEmpty())
        ((com.fasterxml.jackson.databind.node.ObjectNode) node.get("metadata"))
            .remove("annotations");
    }
    return node;
  }

  @Test
  void registersExactlyTheRenderedFleetPlusTheGeneratedSecretAndTheGatePatch() {
    Fleet fleet = Fixtures.acceptanceFleet();
    TestResult result = run(fleet);
    assertEquals(0, result.exitCode(), () -> String.join("\n", result.errors()));

    Map<String, JsonNode> registered = registeredObjects();
    Map<String, JsonNode> rendered = new TreeMap<>();
    for (Manifest m : FleetRenderer.render(fleet))
      rendered.put(
          KubernetesObject.typeToken(m) + " " + ManifestResources.logicalName(m),
          JSON.valueToTree(m.object()));

    TreeSet<String> extra = new TreeSet<>(registered.keySet());
    extra.removeAll(rendered.keySet());
    assertEquals(
        new TreeSet<>(
            List.of(
                "kubernetes:core/v1:Secret under/alpha/kmetal-webhook-tls",
                "kubernetes:core/v1:Secret under/alpha/alpha-prod-kmetal-csi-controller-kubeconfig",
                "kubernetes:core/v1:Secret under/alpha/alpha-dev-kmetal-csi-controller-kubeconfig",
                "kubernetes:kubevirt.io/v1:KubeVirtPatch"
                    + " under/kubevirt/kubevirt/feature-gates/platform")),
        extra,
        "beyond the rendered objects: the generated certificate, each cluster's controller"
            + " kubeconfig and one gate merge per KubeVirt");
    for (var e : rendered.entrySet()) {
      JsonNode got = registered.get(e.getKey());
      assertTrue(got != null, e.getKey() + " is rendered but not registered");
      if (e.getKey().contains("ValidatingWebhookConfiguration")) continue; // CA wired in
      assertTrue(e.getValue().equals(BY_VALUE, got), e.getKey() + ": " + e.getValue() + got);
    }
  }

  /** Field order aside, Pulumi's wire turns numbers into doubles: compare numbers by value. */
  private static final Comparator<JsonNode> BY_VALUE =
      (a, b) ->
          a.isNumber() && b.isNumber()
              ? Double.compare(a.doubleValue(), b.doubleValue())
              : a.equals(b) ? 0 : 1;

  @Test
  void tenantObjectsGoThroughTheirClustersProvider() {
    TestResult result = run(Fixtures.acceptanceFleet());
    assertEquals(0, result.exitCode(), () -> String.join("\n", result.errors()));
    assertEquals(
        List.of("alpha-alpha-dev", "alpha-alpha-prod"),
        mocks.ofType("pulumi:providers:kubernetes").stream().map(r -> r.name).sorted().toList());
    for (var sc : mocks.ofType("kubernetes:storage.k8s.io/v1:StorageClass")) {
      if (sc.name.startsWith("under/")) continue;
      String cluster = sc.name.split("/")[1];
      assertTrue(
          sc.provider.contains("pulumi:providers:kubernetes::alpha-" + cluster), sc.provider);
    }
  }

  @Test
  void twoTenantsOnOneKubeVirtShareOneGateMerge() {
    Fleet fleet =
        Fixtures.yaml(
            "tenantStorages:\n"
                + "  - {name: a, storageQuota: 1Gi, clusters: [{name: a-one}]}\n"
                + "  - {name: b, storageQuota: 1Gi, clusters: [{name: b-one}],"
                + " kubevirt: {featureGates: [Snapshot]}}\n");
    TestResult result = run(fleet);
    assertEquals(0, result.exitCode(), () -> String.join("\n", result.errors()));
    var patches = mocks.ofType("kubernetes:kubevirt.io/v1:KubeVirtPatch");
    assertEquals(1, patches.size(), patches.stream().map(r -> r.name).toList().toString());
    @SuppressWarnings("unchecked")
    var spec = (Map<String, Map<String, Map<String, Object>>>) patches.get(0).inputs.get("spec");
    assertEquals(
        List.of("DeclarativeHotplugVolumes", "Snapshot"),
        spec.get("configuration").get("developerConfiguration").get("featureGates"));
  }

  @Test
  void aFleetRuleBrokenAcrossObjectsRegistersNothingAndNamesTheFields() {
    Fleet fleet =
        Fixtures.yaml(
            "storageTiers:\n"
                + "  - {name: a, isDefault: true, backend: {csi: {provisioner: x.csi.io}}}\n"
                + "  - {name: b, isDefault: true, backend: {csi: {provisioner: x.csi.io}}}\n");
    TestResult result = run(fleet);
    String said = String.join("\n", result.errors()) + result.exceptions();
    assertTrue(said.contains("StoragePlatform \"platform\"") && said.contains("isDefault"), said);
    assertTrue(
        mocks.registered.isEmpty(),
        "nothing may be registered: "
            + mocks.registered.stream().map(r -> r.type).collect(Collectors.toList()));
  }

  @Test
  void aMissingKubeconfigIsNamedByItsPathInTheFleet() {
    Fleet fleet = Fixtures.acceptanceFleet();
    TestResult result =
        PulumiTest.withMocks(mocks)
            .runTest(
                ctx ->
                    new StoragePlatform(
                        "platform",
                        StoragePlatformArgs.builder(fleet)
                            .kubeconfig("alpha", "alpha-prod", Output.of(KUBECONFIG))
                            .build()));
    String said = String.join("\n", result.errors()) + result.exceptions();
    assertTrue(said.contains("tenantStorages[0].clusters[1].kubeconfig"), said);
    assertTrue(mocks.registered.isEmpty());
  }
}
