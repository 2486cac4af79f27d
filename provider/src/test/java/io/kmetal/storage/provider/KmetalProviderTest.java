package io.kmetal.storage.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pulumi.core.Output;
import com.pulumi.provider.internal.models.ConstructRequest;
import com.pulumi.provider.internal.models.ConstructResponse;
import com.pulumi.provider.internal.models.GetSchemaRequest;
import com.pulumi.provider.internal.properties.PropertyValue;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestResult;
import io.kmetal.storage.StoragePlatform;
import io.kmetal.storage.StoragePlatformArgs;
import io.kmetal.storage.TenantStorage;
import io.kmetal.storage.TenantStorageArgs;
import io.kmetal.storage.fleet.FleetFile;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.TenantStorageSpec;
import io.kmetal.storage.model.validation.InvalidSpecException;
import io.kmetal.storage.testbed.Sandbox;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin's Construct builds exactly what the Java API builds from the same inputs, keeps
 * kubeconfigs secret, and refuses bad inputs with the Java API's own field-naming message.
 */
class KmetalProviderTest {
  private static final String KUBECONFIG = "apiVersion: v1\nkind: Config\n# token: s3cret\n";

  /** Records what each run registers. */
  static final class Recording implements Mocks {
    final ConcurrentLinkedQueue<ResourceArgs> registered = new ConcurrentLinkedQueue<>();

    /** A tenant cluster's token controller and Kamaji's admin kubeconfig, as far as reads go. */
    @Override
    public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
      registered.add(args);
      Map<String, Object> state = args.inputs;
      if (args.id != null && !args.id.isEmpty())
        state = Map.of("data", Map.of("admin.conf", b64(ADMIN)));
      else if ("kubernetes.io/service-account-token".equals(args.inputs.get("type"))) {
        state = new java.util.LinkedHashMap<>(args.inputs);
        state.put("data", Map.of("token", b64("t0ken"), "ca.crt", b64("CA")));
      }
      return CompletableFuture.completedFuture(
          ResourceResult.of(
              Optional.of(args.id != null && !args.id.isEmpty() ? args.id : args.name + "-id"),
              state));
    }

    private static final String ADMIN =
        "apiVersion: v1\nkind: Config\ncurrent-context: a\n"
            + "clusters: [{name: t, cluster: {server: 'https://t:6443'}}]\n"
            + "contexts: [{name: a, context: {cluster: t, user: a}}]\n";

    private static String b64(String s) {
      return java.util.Base64.getEncoder()
          .encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    List<String> typesAndNames() {
      return registered.stream().map(r -> r.type + " " + r.name).sorted().toList();
    }
  }

  @AfterEach
  void cleanup() {
    PulumiTest.cleanup();
  }

  private static List<String> run(Recording mocks, Consumer<com.pulumi.Context> program) {
    TestResult result = PulumiTest.withMocks(mocks).runTest(program);
    assertEquals(0, result.exitCode(), () -> String.join("\n", result.errors()));
    List<String> registered = mocks.typesAndNames();
    PulumiTest.cleanup();
    return registered;
  }

  private static Map<String, PropertyValue> alphaInputs(PropertyValue kubeconfig) {
    Map<String, PropertyValue> inputs =
        EngineValues.inputs(EngineValues.fleetEntry("tenantStorages", 0));
    List<PropertyValue> clusters =
        inputs.get("clusters").getArrayValue().stream()
            .map(
                c -> {
                  var cluster = new java.util.LinkedHashMap<>(c.getObjectValue());
                  cluster.put("kubeconfig", kubeconfig);
                  return PropertyValue.of(cluster);
                })
            .toList();
    inputs.put("clusters", PropertyValue.of(clusters));
    return inputs;
  }

  private static ConstructRequest request(String type, Map<String, PropertyValue> inputs) {
    return new ConstructRequest(type, "alpha", inputs, ComponentResourceOptions.Empty);
  }

  @Test
  void getSchemaServesTheCommittedSchemaByteForByte() throws Exception {
    String committed = Files.readString(Sandbox.projectRoot().resolve("schema.json"));
    String served =
        new KmetalProvider().getSchema(new GetSchemaRequest(0, null, null)).join().getSchema();
    assertEquals(committed, served);
  }

  @Test
  void constructRegistersWhatTheJavaApiRegistersForTheSameInputs() {
    AtomicReference<CompletableFuture<ConstructResponse>> response = new AtomicReference<>();
    List<String> viaPlugin =
        run(
            new Recording(),
            ctx ->
                response.set(
                    new KmetalProvider()
                        .construct(
                            request(
                                TenantStorage.TYPE,
                                alphaInputs(
                                    PropertyValue.ofSecret(PropertyValue.of(KUBECONFIG)))))));

    TenantStorageSpec alpha =
        FleetFile.convert(
            EngineValues.fleetEntry("tenantStorages", 0), TenantStorageSpec.class, "");
    List<String> viaJava =
        run(
            new Recording(),
            ctx ->
                new TenantStorage(
                    "alpha",
                    TenantStorageArgs.builder(alpha)
                        .kubeconfig("alpha-prod", Output.of(KUBECONFIG))
                        .kubeconfig("alpha-dev", Output.of(KUBECONFIG))
                        .build(),
                    null));

    assertEquals(viaJava, viaPlugin);
    assertTrue(
        viaPlugin.size() > 20, "the tenant's objects, providers and component: " + viaPlugin);
    ConstructResponse done = response.get().join();
    assertTrue(done.getUrn().endsWith("kmetal-storage:index:TenantStorage::alpha"), done.getUrn());
    assertEquals(
        "alpha-storage", done.getState().get("quotaName").getStringValue(), "outputs come back");
  }

  /**
   * The acceptance fleet as StoragePlatform inputs, each tenant cluster with {@code kubeconfig}.
   */
  private static Map<String, PropertyValue> platformInputs(PropertyValue kubeconfig) {
    Map<String, PropertyValue> inputs = EngineValues.inputs(EngineValues.fleet());
    List<PropertyValue> tenants =
        inputs.get("tenantStorages").getArrayValue().stream()
            .map(
                t -> {
                  var tenant = new java.util.LinkedHashMap<>(t.getObjectValue());
                  tenant.put(
                      "clusters",
                      PropertyValue.of(
                          tenant.get("clusters").getArrayValue().stream()
                              .map(
                                  c -> {
                                    var cluster = new java.util.LinkedHashMap<>(c.getObjectValue());
                                    cluster.put("kubeconfig", kubeconfig);
                                    return PropertyValue.of(cluster);
                                  })
                              .toList()));
                  return PropertyValue.of(tenant);
                })
            .toList();
    inputs.put("tenantStorages", PropertyValue.of(tenants));
    return inputs;
  }

  @Test
  void constructOfAPlatformRegistersWhatTheJavaApiRegistersForTheSameFleet() {
    AtomicReference<CompletableFuture<ConstructResponse>> response = new AtomicReference<>();
    List<String> viaPlugin =
        run(
            new Recording(),
            ctx ->
                response.set(
                    new KmetalProvider()
                        .construct(
                            request(
                                StoragePlatform.TYPE,
                                platformInputs(
                                    PropertyValue.ofSecret(PropertyValue.of(KUBECONFIG)))))));
    Fleet fleet = FleetFile.convert(EngineValues.fleet(), Fleet.class, "");
    List<String> viaJava =
        run(
            new Recording(),
            ctx ->
                new StoragePlatform(
                    "alpha",
                    StoragePlatformArgs.builder(fleet)
                        .kubeconfig("alpha", "alpha-prod", Output.of(KUBECONFIG))
                        .kubeconfig("alpha", "alpha-dev", Output.of(KUBECONFIG))
                        .build(),
                    null));
    assertEquals(viaJava, viaPlugin);
    assertTrue(viaPlugin.size() > 40, "the whole fleet: " + viaPlugin);
    assertEquals(
        List.of("alpha"),
        response.get().join().getState().get("tenantNamespaces").getArrayValue().stream()
            .map(PropertyValue::getStringValue)
            .toList());
  }

  @Test
  void aPlatformKubeconfigThatIsNotAStringIsNamedByItsPathInTheFleet() {
    var e =
        assertThrows(
            InvalidSpecException.class,
            () ->
                ComponentInputs.storagePlatform(
                    "platform", platformInputs(PropertyValue.of(42.0))));
    assertTrue(
        e.getMessage().contains("tenantStorages[0].clusters[0].kubeconfig: must be a string"),
        e.getMessage());
  }

  @Test
  void constructWithoutANameUsesTheResourceName() {
    PropertyValue kubeconfig = PropertyValue.ofSecret(PropertyValue.of(KUBECONFIG));
    Map<String, PropertyValue> unnamed = alphaInputs(kubeconfig);
    assertEquals("alpha", unnamed.remove("name").getStringValue(), "the resource's own name");
    AtomicReference<CompletableFuture<ConstructResponse>> response = new AtomicReference<>();
    List<String> withoutName =
        run(
            new Recording(),
            ctx ->
                response.set(new KmetalProvider().construct(request(TenantStorage.TYPE, unnamed))));
    List<String> withName =
        run(
            new Recording(),
            ctx ->
                new KmetalProvider()
                    .construct(request(TenantStorage.TYPE, alphaInputs(kubeconfig))));
    assertEquals(withName, withoutName);
    assertEquals(
        "alpha-storage", response.get().join().getState().get("quotaName").getStringValue());
  }

  @Test
  void kubeconfigReachesTheTenantProviderAsASecretWhateverTheCallerSent() {
    Recording mocks = new Recording();
    run(
        mocks,
        ctx ->
            new KmetalProvider()
                .construct(request(TenantStorage.TYPE, alphaInputs(PropertyValue.of(KUBECONFIG)))));
    var providers =
        mocks.registered.stream()
            .filter(r -> r.type.equals("pulumi:providers:kubernetes"))
            .toList();
    assertEquals(2, providers.size());
    // mocks see inputs unwrapped: the secret-ness is asserted on the component's own args
    var args = ComponentInputs.tenantStorage("alpha", alphaInputs(PropertyValue.of(KUBECONFIG)));
    for (Output<String> kubeconfig : args.kubeconfigs().values()) {
      assertTrue(
          com.pulumi.core.internal.Internal.of(kubeconfig).isSecret().join(),
          "a kubeconfig is always a secret");
    }
  }

  @Test
  void aKubeconfigNotKnownDuringPreviewIsAnUnknownSecretNotAnError() {
    var args = ComponentInputs.tenantStorage("alpha", alphaInputs(PropertyValue.COMPUTED));
    Output<String> kubeconfig = args.kubeconfigs().get("alpha-prod");
    var data = com.pulumi.core.internal.Internal.of(kubeconfig).getDataAsync().join();
    assertFalse(data.isKnown());
    assertTrue(data.isSecret());
  }

  @Test
  void invalidInputFailsWithTheJavaApisOwnMessageAndRegistersNothing() {
    Map<String, Object> entry = EngineValues.fleetEntry("tenantStorages", 0);
    entry.put("storageQuota", "lots");
    TenantStorageSpec spec = FleetFile.convert(entry, TenantStorageSpec.class, "");
    Map<String, PropertyValue> inputs = EngineValues.inputs(entry);
    inputs.put("clusters", alphaInputs(PropertyValue.of(KUBECONFIG)).get("clusters"));

    Recording pluginMocks = new Recording();
    String viaPlugin =
        refusal(
            pluginMocks, () -> new KmetalProvider().construct(request(TenantStorage.TYPE, inputs)));
    Recording javaMocks = new Recording();
    String viaJava =
        refusal(
            javaMocks,
            () ->
                new TenantStorage(
                    "alpha",
                    TenantStorageArgs.builder(spec)
                        .kubeconfig("alpha-prod", Output.of(KUBECONFIG))
                        .kubeconfig("alpha-dev", Output.of(KUBECONFIG))
                        .build(),
                    null));

    assertEquals(viaJava, viaPlugin);
    assertTrue(viaPlugin.contains("storageQuota"), viaPlugin);
    assertEquals(List.of(), pluginMocks.typesAndNames(), "nothing registered");
  }

  /** The message {@code construct} is refused with inside a program. */
  private static String refusal(Recording mocks, Runnable construct) {
    AtomicReference<String> message = new AtomicReference<>();
    run(
        mocks,
        ctx -> {
          InvalidSpecException e = assertThrows(InvalidSpecException.class, construct::run);
          message.set(e.getMessage());
        });
    return message.get();
  }

  @Test
  void unknownFieldsAreNamedWithTheirPathAndTheKnownOnes() {
    InvalidSpecException e =
        assertThrows(
            InvalidSpecException.class,
            () ->
                ComponentInputs.tenantStorage(
                    "alpha",
                    EngineValues.json(
                        "{\"name\":\"alpha\",\"storageQuota\":\"1Gi\","
                            + "\"clusters\":[{\"nmae\":\"x\",\"kubeconfig\":\"k\"}]}")));
    assertEquals("clusters[0].nmae", e.problems().get(0).field(), e.getMessage());
    assertTrue(e.getMessage().contains("TenantStorage \"alpha\""), e.getMessage());
    assertTrue(
        e.getMessage().contains("known fields here: kubeconfigSecret, labels, name"),
        e.getMessage());
  }

  @Test
  void specValuesNotKnownAtPreviewAreRefusedNamingTheField() {
    Map<String, PropertyValue> inputs = alphaInputs(PropertyValue.of(KUBECONFIG));
    inputs.put("storageQuota", PropertyValue.COMPUTED);
    InvalidSpecException e =
        assertThrows(
            InvalidSpecException.class, () -> ComponentInputs.tenantStorage("alpha", inputs));
    assertEquals("storageQuota", e.problems().get(0).field());
    assertTrue(e.getMessage().contains("is not known yet"), e.getMessage());
  }

  @Test
  void aKubeconfigThatIsNotAStringIsRefused() {
    InvalidSpecException e =
        assertThrows(
            InvalidSpecException.class,
            () -> ComponentInputs.tenantStorage("alpha", alphaInputs(PropertyValue.of(List.of()))));
    assertEquals("clusters[0].kubeconfig", e.problems().get(0).field());
  }

  @Test
  void anUnknownTypeNamesTheTypesThePackageProvides() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new KmetalProvider().construct(request("kmetal-storage:index:Nope", Map.of())));
    assertTrue(e.getMessage().contains("kmetal-storage:index:TenantStorage"), e.getMessage());
  }
}
