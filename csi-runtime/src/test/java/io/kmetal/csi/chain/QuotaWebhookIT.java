package io.kmetal.csi.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kmetal.csi.tls.LoopbackCertificates;
import io.kmetal.storage.testbed.Sandbox;
import io.kmetal.storage.testbed.csi.DriverProcess;
import io.kmetal.storage.testbed.csi.Sidecars;
import io.kmetal.storage.testbed.kubevirt.Kinds;
import io.kmetal.storage.testbed.kubevirt.KubevirtSimulator;
import io.kmetal.storage.testbed.webhook.WebhookCertificates;
import io.kmetal.storage.testbed.webhook.WebhookProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The quota webhook on the sandbox: the tenant API server calls it over TLS through the
 * ValidatingWebhookConfiguration TenantStorage renders (URL and CA pointed at the local process);
 * the webhook reads the under cluster as the rendered ServiceAccount; claims it admits are
 * provisioned by the real external-provisioner and the packaged driver, with the CDI simulator
 * creating the under-cluster claims that the under API server's own ResourceQuota admission counts.
 * The tenant's quota is 10Gi: nine 1Gi Filesystem claims fit with CDI's 5.5% overhead, a tenth does
 * not.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuotaWebhookIT {
  private static final String TENANT_NS = "chain";
  private static final String CLUSTER = "chain-one";
  private static final String NODE = "quota-node";
  private static final String APP_NS = "quota-app";
  private static final String QUOTA = "chain-storage";
  private static final String CLASS_KEY =
      "tenant-storage-class.storageclass.storage.k8s.io/requests.storage";
  private static final String COUNT_KEY =
      "tenant-storage-class.storageclass.storage.k8s.io/persistentvolumeclaims";
  private static final int MAX_VOLUMES = 50;

  private static Path dir;
  private static KubernetesClient under;
  private static KubernetesClient tenant;
  private static KubevirtSimulator kubevirt;
  private static DriverProcess controller;
  private static Sidecars sidecars;
  private static RenderedTenant rendered;
  private static WebhookCertificates certificates;
  private static Path webhookKubeconfig;
  private static WebhookProcess webhook;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    Sandbox sandbox = Sandbox.withTenants(List.of(TENANT_NS + "/" + CLUSTER));
    var tenantCluster = sandbox.tenant(TENANT_NS, CLUSTER);
    dir = Files.createTempDirectory("quota-webhook-");
    under = sandbox.under().client();
    tenant = tenantCluster.client();
    kubevirt = KubevirtSimulator.start(sandbox, dir.resolve("kubevirt"));
    certificates = LoopbackCertificates.issue(dir.resolve("tls"), "kmetal-webhook");
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    rendered =
        RenderedTenant.render(
            TENANT_NS,
            CLUSTER,
            ("maxVolumes: %d\n    maxSnapshots: 2\n"
                    + "    snapshotClasses: [{name: kubevirt-snapshot, infraSnapshotClassName: under-snap}]\n"
                    + "    webhook: {url: 'https://127.0.0.1:%d/validate-pvc', caBundle: %s}")
                .formatted(MAX_VOLUMES, port, certificates.caBundle()));
    // the tenant's namespace is Kamaji's; TenantStorage renders into it
    under
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(TENANT_NS).endMetadata().build())
        .serverSideApply();
    rendered.apply(under, tenant);
    assertEquals(
        QUOTA,
        under
            .resourceQuotas()
            .inNamespace(TENANT_NS)
            .list()
            .getItems()
            .get(0)
            .getMetadata()
            .getName());
    tenant.resource(rendered.webhookConfiguration()).forceConflicts().serverSideApply();
    tenant
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(APP_NS).endMetadata().build())
        .serverSideApply();
    tenant
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(NODE)
                .endMetadata()
                .withNewSpec()
                .withProviderID("kubevirt://quota-vm")
                .endSpec()
                .build())
        .serverSideApply();
    controller =
        DriverProcess.start(
            "controller",
            dir.resolve("controller.sock"),
            dir.resolve("controller.log"),
            List.of(
                "--driver-config=" + rendered.driverConfig(dir.resolve("driver-config")),
                "--under-kubeconfig="
                    + rendered.controllerKubeconfig(under, dir.resolve("controller.kubeconfig")),
                "--tenant-cluster=" + CLUSTER));
    sidecars = Sidecars.start(tenantCluster.kubeconfig(), controller.socket(), dir);
    webhookKubeconfig = rendered.kubeconfigAs("webhook", under, dir.resolve("webhook.kubeconfig"));
    startWebhook();
    removeClaims();
  }

  /** The packaged webhook with the arguments of its rendered Deployment, as its ServiceAccount. */
  private static void startWebhook() throws Exception {
    List<String> args = new ArrayList<>(rendered.webhookArgs(certificates.dir()));
    args.add("--under-kubeconfig=" + webhookKubeconfig);
    webhook =
        WebhookProcess.start(
            args, port, certificates.dir().resolve("ca.crt"), dir.resolve("webhook.log"));
  }

  /** A case that stopped the webhook and failed before restarting it does not fail the next. */
  @AfterEach
  void webhookServesAgain() throws Exception {
    if (webhook != null) return;
    tenant.resource(rendered.webhookConfiguration()).forceConflicts().serverSideApply();
    startWebhook();
  }

  @AfterAll
  static void stop() throws Exception {
    if (webhook != null) webhook.close();
    if (tenant != null) {
      tenant
          .admissionRegistration()
          .v1()
          .validatingWebhookConfigurations()
          .withName(rendered.webhookConfiguration().getMetadata().getName())
          .delete();
      removeClaims();
    }
    if (sidecars != null) sidecars.close();
    if (controller != null) controller.close();
    if (kubevirt != null) kubevirt.close();
    if (tenant != null)
      tenant.genericKubernetesResources(Kinds.VOLUME_SNAPSHOT).inNamespace(APP_NS).delete();
    if (under != null)
      under.genericKubernetesResources(Kinds.VOLUME_SNAPSHOT).inNamespace(TENANT_NS).delete();
    if (rendered != null) {
      under.configMaps().inNamespace(TENANT_NS).withName("kmetal-webhook-ledger").delete();
      rendered.remove(under, tenant);
    }
    if (tenant != null) {
      tenant.nodes().withName(NODE).delete();
      tenant.close();
    }
    if (under != null) under.close();
  }

  @Test
  @Order(1)
  void aClaimWithinTheQuotaIsAdmittedAndProvisioned() throws Exception {
    claim("first", "1Gi");
    awaitBound(List.of("first"));
    // the under claim CDI made carries the driver's tenant-cluster label: the cluster's gauge
    awaitMetric(
        "kmetal_webhook_cluster_volumes{cluster=\""
            + CLUSTER
            + "\",namespace=\"chain\",state=\"used\"}",
        1);
  }

  @Test
  @Order(2)
  void aClaimOverTheQuotaIsRefusedWithTheQuotaMessage() {
    String message = refusal(() -> claim("huge", "20Gi"));
    assertTrue(
        message.contains(
            "admission webhook \"quota.storage.kmetal.io\" denied the request: insufficient"
                + " storage quota: ResourceQuota chain/chain-storage exhausted: claim quota-app/huge in tenant cluster chain-one"
                + " needs 21.16Gi (20Gi requested, 21.16Gi as a CDI volume), but "
                + CLASS_KEY
                + " has 1.06Gi used of hard 10Gi, 8.94Gi left"),
        message);
  }

  @Test
  @Order(3)
  void aBurstOfClaimsAdmitsOnlyWhatFitsAndTheUnderQuotaIsNeverExceeded() throws Exception {
    var overUsed = new ConcurrentLinkedQueue<String>();
    Watching watching = Watching.every(() -> checkUnderQuota(overUsed));
    Burst burst = Burst.of("burst-", 16, "1Gi");
    List<String> admitted = burst.admitted();
    List<String> refused = burst.refused();
    // the first claim holds 1.06Gi: eight more fit, the other eight are refused
    assertEquals(8, admitted.size(), "admitted " + admitted + ", refused " + refused);
    for (String r : refused)
      assertTrue(r.contains("ResourceQuota chain/chain-storage exhausted"), r);
    assertTrue(
        refused.stream().anyMatch(r -> r.contains("admitted but not yet provisioned")),
        refused.toString());
    awaitBound(admitted);
    watching.close();
    assertEquals(List.of(), List.copyOf(overUsed), "the under quota's used never exceeds hard");
    checkUnderQuota(overUsed);
    assertEquals(List.of(), List.copyOf(overUsed));
  }

  @Test
  @Order(4)
  void deletingClaimsFreesRoomAgain() throws Exception {
    refusal(() -> claim("again", "1Gi"));
    deleteIfPresent("first");
    deleteBurstClaims(2);
    await(
        "the deleted claims leave the under cluster",
        () ->
            under.persistentVolumeClaims().inNamespace(TENANT_NS).list().getItems().size() == 6
                && underUsed() <= 6 * cdiBytes(1L << 30));
    // admitted once the webhook's watch of the under claims has seen them go
    await(
        "the webhook admits a claim again",
        () -> admitted(() -> claim("again", "1Gi")),
        () -> "(" + metric("kmetal_webhook_quota_bytes{namespace=\"chain\",state=\"used\"}") + ")");
    claim("again-2", "1Gi");
    awaitBound(List.of("again", "again-2"));
  }

  @Test
  @Order(5)
  void withTheWebhookDownIgnoreAdmitsAndTheUnderQuotaStillHolds() throws Exception {
    webhook.close();
    webhook = null;
    // failurePolicy Ignore (the default): the tenant API server admits both and the driver creates
    // both DataVolumes; eight claims hold 8.47Gi, so CDI creates the claim of one, and the under
    // cluster's own quota admission refuses the other's, which waits Pending: the cap holds
    // The refused claim's DataVolume comes and goes (see below), too briefly to be polled for: a
    // watch records each DataVolume created; the wait is for both claims' and CDI's ninth claim.
    Set<String> created = ConcurrentHashMap.newKeySet();
    var watch =
        under
            .genericKubernetesResources(Kinds.DATA_VOLUME)
            .inNamespace(TENANT_NS)
            .watch(
                new Watcher<GenericKubernetesResource>() {
                  @Override
                  public void eventReceived(Action action, GenericKubernetesResource dv) {
                    created.add(dv.getMetadata().getName());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    try {
      claim("while-down-1", "1Gi");
      claim("while-down-2", "1Gi");
      Set<String> volumes =
          Set.of("while-down-1", "while-down-2").stream()
              .map(n -> tenant.persistentVolumeClaims().inNamespace(APP_NS).withName(n).get())
              .map(c -> "pvc-" + c.getMetadata().getUid()) // the external-provisioner's name
              .collect(java.util.stream.Collectors.toSet());
      await(
          "both DataVolumes created, one of them with its claim",
          () -> underClaims() == 9 && created.containsAll(volumes),
          () ->
              "under claims "
                  + underClaims()
                  + ", DataVolumes "
                  + dataVolumePhases()
                  + ", not succeeded "
                  + notSucceeded()
                  + ", under quota "
                  + under.resourceQuotas().inNamespace(TENANT_NS).list().getItems().stream()
                      .map(q -> q.getStatus())
                      .toList()
                  + ", tenant claims "
                  + tenant.persistentVolumeClaims().inNamespace(APP_NS).list().getItems().stream()
                      .map(c -> c.getMetadata().getName() + "=" + c.getStatus().getPhase())
                      .toList());
    } finally {
      watch.close();
    }
    // the refused claim's DataVolume comes and goes (CreateVolume removes it on CDI's quota verdict
    // and the provisioner retries), so its tenant claim is what stays: Pending, the other Bound
    // once the provisioner's PV is bound by the tenant's controller manager
    await(
        "one tenant claim Bound, the other Pending",
        () -> whileDownPhases().equals(List.of("Bound", "Pending")),
        () -> whileDownPhases().toString());
    Thread.sleep(2000); // and it stays so
    assertEquals(9, underClaims());
    assertEquals(List.of("Bound", "Pending"), whileDownPhases());
    var overUsed = new ConcurrentLinkedQueue<String>();
    checkUnderQuota(overUsed);
    assertEquals(List.of(), List.copyOf(overUsed));
    // failurePolicy Fail: the tenant API server refuses while the webhook is down
    ValidatingWebhookConfiguration fail = rendered.webhookConfiguration();
    fail.getWebhooks().get(0).setFailurePolicy("Fail");
    tenant.resource(fail).forceConflicts().serverSideApply();
    // the API server reads webhook configurations through its own watch: dry runs until it has
    await(
        "the tenant API server fails closed",
        () -> !admitted(() -> tenant.resource(pvc("refused-while-down", "1Gi")).dryRun().create()));
    String message = refusal(() -> claim("refused-while-down", "1Gi"));
    assertTrue(message.contains("failed calling webhook \"quota.storage.kmetal.io\""), message);
    tenant.resource(rendered.webhookConfiguration()).forceConflicts().serverSideApply();
    startWebhook();
  }

  @Test
  @Order(6)
  void aBurstOf200SmallClaimsAgainstMaxVolumes50AdmitsExactly50() throws Exception {
    removeClaims();
    // the webhook counts from its watch of the under claims and its ledger: both must have seen
    // the earlier cases' claims go, or they take part of the 50 (a fixed pause was too short
    // on a busy machine)
    awaitMetric("kmetal_webhook_quota_volumes{namespace=\"chain\",state=\"used\"}", 0);
    awaitMetric("kmetal_webhook_quota_volumes{namespace=\"chain\",state=\"pending\"}", 0);
    var overCounted = new ConcurrentLinkedQueue<String>();
    Watching watching = Watching.every(() -> checkUnderCount(overCounted));
    Burst burst = Burst.of("small-", 200, "1Mi");
    List<String> admitted = burst.admitted();
    List<String> refused = burst.refused();
    assertEquals(MAX_VOLUMES, admitted.size(), "refused: " + refused.stream().limit(3).toList());
    for (String r : refused) assertTrue(r.contains(COUNT_KEY + " has "), r);
    awaitBound(admitted);
    watching.close();
    checkUnderCount(overCounted);
    assertEquals(List.of(), List.copyOf(overCounted), "the under quota never counts more than 50");
    assertEquals(MAX_VOLUMES, underClaims());
    String message = refusal(() -> claim("one-more", "1Mi"));
    assertTrue(message.contains(COUNT_KEY + " has 50 used of hard 50, 0 left"), message);
  }

  /**
   * maxSnapshots: 2, the under namespace holding one snapshot already: the tenant's first snapshot
   * is admitted (counted until its under snapshot exists), the second refused with the count's
   * numbers, and admitted once the under snapshot is gone.
   */
  @Test
  @Order(7)
  void aSnapshotPastMaxSnapshotsIsRefusedAtAdmission() throws Exception {
    under.genericKubernetesResources(Kinds.VOLUME_SNAPSHOT).resource(underSnapshot()).create();
    awaitMetric("kmetal_webhook_quota_snapshots{namespace=\"chain\",state=\"used\"}", 1);
    double refusedBefore = metric(SNAPSHOT_REFUSALS);
    tenantSnapshot("snap-1");
    String message = refusal(() -> tenantSnapshot("snap-2"));
    assertTrue(
        message.contains(
            "insufficient storage quota: ResourceQuota chain/chain-storage exhausted: snapshot"
                + " quota-app/snap-2 in tenant cluster chain-one needs 1 snapshot, but"
                + " count/volumesnapshots.snapshot.storage.k8s.io has "),
        message);
    assertTrue(message.contains(" of hard 2, 0 left"), message);
    assertEquals(refusedBefore + 1, metric(SNAPSHOT_REFUSALS), "the refusal is counted");
    under
        .genericKubernetesResources(Kinds.VOLUME_SNAPSHOT)
        .inNamespace(TENANT_NS)
        .withName("platform-made")
        .delete();
    await(
        "the under snapshot is gone",
        () ->
            under
                    .genericKubernetesResources(Kinds.VOLUME_SNAPSHOT)
                    .inNamespace(TENANT_NS)
                    .withName("platform-made")
                    .get()
                == null);
    awaitMetric("kmetal_webhook_quota_snapshots{namespace=\"chain\",state=\"used\"}", 0);
    tenantSnapshot("snap-2");
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** Claims created all at once from 16 threads, and which of them the webhook admitted. */
  private record Burst(List<String> admitted, List<String> refused) {
    static Burst of(String prefix, int count, String size) throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(16);
      var go = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = prefix + i;
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  try {
                    claim(name, size);
                    return name;
                  } catch (KubernetesClientException e) {
                    return "refused: " + e.getMessage();
                  }
                }));
      }
      go.countDown();
      List<String> admitted = new ArrayList<>();
      List<String> refused = new ArrayList<>();
      for (var f : results) {
        String r = f.get();
        (r.startsWith("refused: ") ? refused : admitted).add(r);
      }
      pool.shutdown();
      return new Burst(admitted, refused);
    }
  }

  /** Runs a check every 50 ms until closed. */
  private record Watching(AtomicBoolean on, Thread thread) {
    static Watching every(Runnable check) {
      var on = new AtomicBoolean(true);
      Thread thread =
          new Thread(
              () -> {
                while (on.get()) {
                  check.run();
                  sleep(50);
                }
              });
      thread.start();
      return new Watching(on, thread);
    }

    void close() throws InterruptedException {
      on.set(false);
      thread.join();
    }
  }

  private static GenericKubernetesResource underSnapshot() {
    return VolumeSnapshots.of(TENANT_NS, "platform-made", null, "absent");
  }

  /** A tenant snapshot of the driver's class; its source need not exist for admission. */
  private static GenericKubernetesResource tenantSnapshot(String name) {
    return tenant
        .genericKubernetesResources(Kinds.VOLUME_SNAPSHOT)
        .resource(VolumeSnapshots.of(APP_NS, name, "kubevirt-snapshot", "absent"))
        .create();
  }

  private static void checkUnderCount(ConcurrentLinkedQueue<String> overCounted) {
    var quota = under.resourceQuotas().inNamespace(TENANT_NS).withName(QUOTA).get();
    Map<String, Quantity> used = quota.getStatus() == null ? null : quota.getStatus().getUsed();
    if (used == null || !used.containsKey(COUNT_KEY)) return;
    int count = Quantity.getAmountInBytes(used.get(COUNT_KEY)).intValue();
    if (count > MAX_VOLUMES) overCounted.add("used " + count + " > hard " + MAX_VOLUMES);
    if (underClaims() > MAX_VOLUMES) overCounted.add(underClaims() + " under claims");
  }

  private static PersistentVolumeClaim claim(String name, String size) {
    return tenant.persistentVolumeClaims().resource(pvc(name, size)).create();
  }

  private static PersistentVolumeClaim pvc(String name, String size) {
    return TenantClaims.onNode(APP_NS, NODE, name, size).build();
  }

  private static List<String> whileDownPhases() {
    return List.of("while-down-1", "while-down-2").stream()
        .map(n -> tenant.persistentVolumeClaims().inNamespace(APP_NS).withName(n).get())
        .map(c -> String.valueOf(c.getStatus().getPhase()))
        .sorted()
        .toList();
  }

  /** Whether the API server admitted {@code create}: false when it refused. */
  private static boolean admitted(Supplier<?> create) {
    try {
      create.get();
      return true;
    } catch (KubernetesClientException refused) {
      return false;
    }
  }

  private static String refusal(Callable<?> create) {
    try {
      create.call();
    } catch (KubernetesClientException e) {
      return e.getMessage();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return fail("the claim was admitted");
  }

  private static List<String> dataVolumePhases() {
    return dataVolumes().stream().map(QuotaWebhookIT::phase).toList();
  }

  /** The name and status of each DataVolume not Succeeded, for failure messages. */
  private static List<String> notSucceeded() {
    return dataVolumes().stream()
        .filter(dv -> !"Succeeded".equals(phase(dv)))
        .map(dv -> dv.getMetadata().getName() + " " + dv.getAdditionalProperties().get("status"))
        .toList();
  }

  private static List<GenericKubernetesResource> dataVolumes() {
    return under
        .genericKubernetesResources(Kinds.DATA_VOLUME)
        .inNamespace(TENANT_NS)
        .list()
        .getItems();
  }

  private static String phase(GenericKubernetesResource dv) {
    return String.valueOf(
        dv.getAdditionalProperties().get("status") instanceof Map<?, ?> st
            ? st.get("phase")
            : null);
  }

  private static int underClaims() {
    return under.persistentVolumeClaims().inNamespace(TENANT_NS).list().getItems().size();
  }

  private static void deleteIfPresent(String name) {
    tenant.persistentVolumeClaims().inNamespace(APP_NS).withName(name).delete();
  }

  private static void deleteBurstClaims(int howMany) {
    tenant.persistentVolumeClaims().inNamespace(APP_NS).list().getItems().stream()
        .map(c -> c.getMetadata().getName())
        .filter(n -> n.startsWith("burst-"))
        .limit(howMany)
        .forEach(QuotaWebhookIT::deleteIfPresent);
  }

  private static long cdiBytes(long requested) {
    return (long) Math.ceil(requested / (1 - 0.055));
  }

  private static long underUsed() {
    var quota = under.resourceQuotas().inNamespace(TENANT_NS).withName(QUOTA).get();
    Quantity used =
        quota.getStatus().getUsed() == null ? null : quota.getStatus().getUsed().get(CLASS_KEY);
    return used == null ? 0 : Quantity.getAmountInBytes(used).longValue();
  }

  private static void checkUnderQuota(ConcurrentLinkedQueue<String> overUsed) {
    var quota = under.resourceQuotas().inNamespace(TENANT_NS).withName(QUOTA).get();
    Map<String, Quantity> used = quota.getStatus() == null ? null : quota.getStatus().getUsed();
    if (used == null || !used.containsKey(CLASS_KEY)) return;
    var hard = Quantity.getAmountInBytes(quota.getSpec().getHard().get(CLASS_KEY));
    if (Quantity.getAmountInBytes(used.get(CLASS_KEY)).compareTo(hard) > 0)
      overUsed.add("used " + used.get(CLASS_KEY) + " > hard " + hard);
  }

  private static void awaitBound(List<String> names) throws InterruptedException {
    for (String name : names)
      await(
          "claim " + name + " is Bound",
          () -> {
            var c = tenant.persistentVolumeClaims().inNamespace(APP_NS).withName(name).get();
            return c != null && "Bound".equals(c.getStatus().getPhase());
          });
  }

  private static void removeClaims() throws InterruptedException {
    tenant.persistentVolumeClaims().inNamespace(APP_NS).delete();
    await(
        "no claim of the test is left",
        () -> tenant.persistentVolumeClaims().inNamespace(APP_NS).list().getItems().isEmpty());
    await(
        "no DataVolume or claim is left in the under cluster",
        () ->
            under
                    .genericKubernetesResources(Kinds.DATA_VOLUME)
                    .inNamespace(TENANT_NS)
                    .list()
                    .getItems()
                    .isEmpty()
                && under
                    .persistentVolumeClaims()
                    .inNamespace(TENANT_NS)
                    .list()
                    .getItems()
                    .isEmpty());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final String SNAPSHOT_REFUSALS =
      "kmetal_webhook_refusals_total{cluster=\""
          + CLUSTER
          + "\",namespace=\"chain\",reason=\"snapshots\"}";

  /** One sample of the webhook's /metrics, 0 when it has none yet. */
  private static double metric(String sample) {
    try {
      String text = webhook.get("/metrics").body();
      return text.lines()
          .filter(l -> l.startsWith(sample + " "))
          .mapToDouble(l -> Double.parseDouble(l.substring(sample.length()).strip()))
          .findFirst()
          .orElse(0);
    } catch (Exception e) {
      throw new AssertionError("cannot scrape the webhook's /metrics", e);
    }
  }

  /** Waits until the webhook's watch shows what the under cluster holds, through its gauge. */
  private static void awaitMetric(String sample, double value) throws InterruptedException {
    await(sample + " = " + value, () -> metric(sample) == value, () -> "(" + metric(sample) + ")");
  }

  private static void await(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    await(what, condition, () -> "");
  }

  private static void await(
      String what,
      java.util.function.BooleanSupplier condition,
      java.util.function.Supplier<String> state)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) fail("timed out waiting until " + what + " " + state.get());
      Thread.sleep(200);
    }
  }
}
