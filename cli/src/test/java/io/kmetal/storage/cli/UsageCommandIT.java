package io.kmetal.storage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kmetal.csi.webhook.WebhookLedger;
import io.kmetal.csi.webhook.WebhookLedger.Admitted;
import io.kmetal.storage.internal.render.ControllerRenderer;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.internal.render.ResourceQuotaRenderer;
import io.kmetal.storage.model.TenantClusterSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import io.kmetal.storage.testbed.Sandbox;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kmetal usage} against the sandbox's under cluster: a tenant's ResourceQuota and its two
 * clusters' CSI controller configuration as the renderer renders them, real claims on the quota's
 * class (the kube-controller-manager's quota controller counts them into the quota's status), and
 * the webhook's ledger written by the webhook's own code: two admissions, one of them provisioned
 * since.
 */
class UsageCommandIT {
  private static final String TENANT = "usage-it";
  private static final String CLASS = TenantStorageSpec.DEFAULT_INFRA_CLASS;
  private static final long MI = 1L << 20;
  private static final long GI = 1L << 30;
  private static final String PROD = "usage-it-prod";
  private static final String DEV = "usage-it-dev";
  private static final Map<String, String> DEV_LABELS = Map.of("kmetal.io/usage-it", "dev");

  /** A prod claim labelled through its DataVolume. */
  private static final String PROVISIONED = "11111111-0000-4000-8000-000000000001";

  /** A dev claim labelled itself. */
  private static final String DEV_CLAIM = "11111111-0000-4000-8000-000000000002";

  /** Admitted, and provisioned since: counted once, as used. */
  private static final String BOUND_LATER = "11111111-0000-4000-8000-000000000003";

  /** Admitted, not provisioned yet: pending. */
  private static final String ADMITTED = "11111111-0000-4000-8000-000000000004";

  private static final TenantStorageSpec SPEC =
      TenantStorageSpec.builder()
          .name(TENANT)
          .storageQuota("10Gi")
          .maxVolumes(10)
          .clusters(TenantClusterSpec.named(PROD), new TenantClusterSpec(DEV, null, DEV_LABELS))
          .build();

  private static KubernetesClient under;

  @BeforeAll
  static void aTenantWithClaimsAndAdmissions() throws Exception {
    under = Sandbox.running().under().client();
    cleanUp();
    awaitGone();
    under
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(TENANT).endMetadata().build())
        .create();
    under.resource((ResourceQuota) ResourceQuotaRenderer.render(SPEC).object()).create();
    for (TenantClusterSpec cluster : SPEC.clusters())
      ControllerRenderer.render(SPEC, cluster).stream()
          .map(Manifest::object)
          .filter(ConfigMap.class::isInstance)
          .forEach(m -> under.resource(m).create());

    claim("pvc-" + PROVISIONED, CLASS, "2Gi", Map.of());
    dataVolume("pvc-" + PROVISIONED, "2Gi", Map.of(TenantClusterSpec.CLUSTER_LABEL, PROD));
    claim("pvc-" + DEV_CLAIM, CLASS, "1Gi", DEV_LABELS);
    claim("pvc-" + BOUND_LATER, CLASS, "1Gi", Map.of(TenantClusterSpec.CLUSTER_LABEL, PROD));
    claim("worker-disk", CLASS, "3Gi", Map.of());
    claim("elsewhere", "local-path", "5Gi", Map.of());
    awaitQuotaCounts(7 * GI, 4);

    Instant expires = Instant.now().plusSeconds(600);
    WebhookLedger.write(
        Sandbox.running().under().kubeconfig(),
        TENANT,
        ResourceQuotaRenderer.name(SPEC),
        CLASS,
        List.of(
            new Admitted(BOUND_LATER, PROD, "default/logs", GI, expires),
            new Admitted(ADMITTED, DEV, "web/cache", 512 * MI, expires)));
  }

  @AfterAll
  static void cleanUp() {
    under.namespaces().withName(TENANT).delete();
  }

  private static void claim(String name, String cls, String size, Map<String, String> labels) {
    under
        .persistentVolumeClaims()
        .inNamespace(TENANT)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(cls)
                .withNewResources()
                .withRequests(Map.of("storage", new Quantity(size)))
                .endResources()
                .endSpec()
                .build())
        .create();
  }

  private static void dataVolume(String name, String size, Map<String, String> labels) {
    under
        .resource(
            new GenericKubernetesResourceBuilder()
                .withApiVersion("cdi.kubevirt.io/v1beta1")
                .withKind("DataVolume")
                .withNewMetadata()
                .withName(name)
                .withNamespace(TENANT)
                .withLabels(labels)
                .endMetadata()
                .addToAdditionalProperties(
                    "spec",
                    Map.of(
                        "source",
                        Map.of("blank", Map.of()),
                        "storage",
                        Map.of(
                            "storageClassName",
                            CLASS,
                            "resources",
                            Map.of("requests", Map.of("storage", size)))))
                .build())
        .create();
  }

  private static void awaitGone() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (under.namespaces().withName(TENANT).get() != null) {
      assertTrue(System.nanoTime() < deadline, "namespace " + TENANT + " never went away");
      TimeUnit.MILLISECONDS.sleep(250);
    }
  }

  /** Waits for the quota controller to count the claims into the quota's status. */
  private static void awaitQuotaCounts(long bytes, long claims) throws InterruptedException {
    String key = CLASS + ".storageclass.storage.k8s.io/";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      ResourceQuota q =
          under
              .resourceQuotas()
              .inNamespace(TENANT)
              .withName(ResourceQuotaRenderer.name(SPEC))
              .get();
      var used = q.getStatus() == null ? null : q.getStatus().getUsed();
      if (used != null
          && used.containsKey(key + "requests.storage")
          && Quantity.getAmountInBytes(used.get(key + "requests.storage")).longValue() == bytes
          && used.containsKey(key + "persistentvolumeclaims")
          && Quantity.getAmountInBytes(used.get(key + "persistentvolumeclaims")).longValue()
              == claims) return;
      assertTrue(
          System.nanoTime() < deadline,
          "the quota controller never counted the claims: " + (q.getStatus()));
      TimeUnit.MILLISECONDS.sleep(250);
    }
  }

  private static KmetalRun usage(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("usage"));
    all.addAll(List.of(args));
    return KmetalRun.of(all);
  }

  private static String kubeconfig() {
    return "--kubeconfig=" + Sandbox.running().under().kubeconfig();
  }

  private static List<String> texts(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(n -> n.get(field).isNull() ? null : n.get(field).asText())
        .toList();
  }

  @Test
  void theTenantIsCountedAsTheWebhookCountsItPerClusterWithItsClaims() throws Exception {
    KmetalRun run = usage(kubeconfig(), "--tenant=" + TENANT, "-o", "json");

    assertEquals(0, run.exit(), run.err());
    JsonNode tenants = new ObjectMapper().readTree(run.out()).get("tenants");
    assertEquals(1, tenants.size(), run.out());
    JsonNode t = tenants.get(0);
    assertEquals(TENANT, t.get("namespace").asText());
    assertEquals("usage-it-storage", t.get("quota").asText());
    assertEquals(CLASS, t.get("storageClass").asText());
    JsonNode bytes = t.get("bytes");
    assertEquals(10 * GI, bytes.get("hard").asLong());
    assertEquals(7 * GI, bytes.get("used").asLong(), "the claims of the class, once each");
    assertEquals(512 * MI, bytes.get("pending").asLong(), "only the admission not provisioned");
    assertEquals(10 * GI - 7 * GI - 512 * MI, bytes.get("free").asLong());
    assertEquals("75.0", bytes.get("percent").asText());
    JsonNode volumes = t.get("volumes");
    assertEquals(
        List.of(10L, 4L, 1L),
        List.of(
            volumes.get("hard").asLong(),
            volumes.get("used").asLong(),
            volumes.get("pending").asLong()));
    assertEquals(7 * GI, t.get("quotaStatus").get("bytes").asLong(), "the quota controller agrees");
    assertEquals(4, t.get("quotaStatus").get("volumes").asLong());

    JsonNode clusters = t.get("clusters");
    assertEquals(List.of(DEV, PROD), texts(clusters, "cluster").subList(0, 2));
    assertTrue(clusters.get(2).get("cluster").isNull(), "the worker disk no cluster marks");
    assertEquals(GI, clusters.get(0).get("used").get("bytes").asLong());
    assertEquals(512 * MI, clusters.get(0).get("pending").get("bytes").asLong());
    assertEquals(3 * GI, clusters.get(1).get("used").get("bytes").asLong());
    assertEquals(0, clusters.get(1).get("pending").get("bytes").asLong());
    assertEquals(3 * GI, clusters.get(2).get("used").get("bytes").asLong());

    JsonNode claims = t.get("claims");
    assertEquals(
        List.of(
            "pvc-" + DEV_CLAIM,
            "pvc-" + ADMITTED,
            "pvc-" + PROVISIONED,
            "pvc-" + BOUND_LATER,
            "worker-disk"),
        texts(claims, "name"));
    assertEquals(List.of("used", "pending", "used", "used", "used"), texts(claims, "counted"));
    assertEquals("web/cache", claims.get(1).get("tenantClaim").asText());
    assertEquals("default/logs", claims.get(3).get("tenantClaim").asText());
  }

  @Test
  void theTableShowsTheTenantAndEachOfItsClusters() {
    KmetalRun run = usage(kubeconfig(), "--tenant", TENANT);

    assertEquals(0, run.exit(), run.err());
    List<String> lines = run.out().lines().map(l -> l.replaceAll(" {2,}", " ")).toList();
    assertTrue(
        lines.contains("usage-it (all) " + CLASS + " 10Gi 7Gi 512Mi 2.5Gi 75.0% 4+1/10"),
        run.out());
    assertTrue(lines.contains("usage-it usage-it-dev 1Gi 512Mi 1+1"), run.out());
    assertTrue(lines.contains("usage-it usage-it-prod 3Gi 0 2"), run.out());
    assertTrue(lines.contains("usage-it (no cluster) 3Gi 0 1"), run.out());
    assertTrue(
        lines.contains("usage-it usage-it-dev pvc-" + ADMITTED + " pending 512Mi - web/cache"),
        run.out());
  }

  @Test
  void everyTenantIsListedWithoutTheFilter() throws Exception {
    KmetalRun run = usage(kubeconfig(), "-o=json");

    assertEquals(0, run.exit(), run.err());
    assertTrue(
        texts(new ObjectMapper().readTree(run.out()).get("tenants"), "tenant").contains(TENANT),
        run.out());
  }

  @Test
  void anUnknownTenantIsExitThreeNamingTheTenantsThereAre() {
    KmetalRun run = usage(kubeconfig(), "--tenant=no-such-tenant");

    assertEquals(3, run.exit());
    assertTrue(
        run.err().startsWith("kmetal usage: no tenant \"no-such-tenant\" in the under cluster"),
        run.err());
    assertTrue(run.err().contains(TENANT), run.err());
    assertEquals("", run.out());
  }

  @Test
  void anUnreachableClusterIsExitOneNamingTheKubeconfig() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Path kubeconfig = Files.createTempFile("usage-it-", ".kubeconfig");
    Files.writeString(
        kubeconfig,
        Files.readString(Sandbox.running().under().kubeconfig())
            .replaceAll("server: https://[^\\s]+", "server: https://127.0.0.1:" + closed));

    KmetalRun run = usage("--kubeconfig=" + kubeconfig, "--tenant=" + TENANT);

    assertEquals(1, run.exit(), run.out());
    assertTrue(
        run.err()
            .startsWith(
                "kmetal usage: cannot read the under cluster https://127.0.0.1:"
                    + closed
                    + "/ with --kubeconfig "
                    + kubeconfig
                    + ": "),
        run.err());
    assertEquals("", run.out());
    Files.delete(kubeconfig);
  }
}
