package io.kmetal.storage.examples.fleet;

import static io.kmetal.storage.testbed.nodes.Workloads.awaitLog;
import static io.kmetal.storage.testbed.nodes.Workloads.awaitRunning;
import static io.kmetal.storage.testbed.nodes.Workloads.claim;
import static io.kmetal.storage.testbed.nodes.Workloads.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kmetal.storage.testbed.PulumiCli;
import io.kmetal.storage.testbed.Runbook;
import io.kmetal.storage.testbed.Sandbox;
import io.kmetal.storage.testbed.kubevirt.HppOperatorSimulator;
import io.kmetal.storage.testbed.kubevirt.KubevirtSimulator;
import io.kmetal.storage.testbed.kubevirt.TenantVm;
import io.kmetal.storage.testbed.nodes.NodeFigures;
import io.kmetal.storage.testbed.nodes.Workloads;
import io.kmetal.storage.testbed.volumes.StaticVolumes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The acceptance fleet deployed by {@code pulumi up} to a sandbox of its own with real nodes
 * ({@code sandbox up --with-kubelet}: kubelet, containerd, runc, CNI, kube-proxy), every rendered
 * object unmodified: the controller Deployments, the webhook behind its Service, the local-path
 * provisioners and the node DaemonSets run as pods from our image archives, and tenant pods use
 * claims through them. Simulated, and only that: KubeVirt and CDI ({@link KubevirtSimulator}, whose
 * hot-plugged loop devices appear in the tenant node's {@code /dev/disk/by-id}).
 */
@TestMethodOrder(OrderAnnotation.class)
class RealNodesE2E {
  private static final Path ROOT = Sandbox.projectRoot();
  private static final List<String> CLUSTERS = List.of("alpha-prod", "alpha-dev");
  private static final String PART_OF = "app.kubernetes.io/part-of=kmetal-storage";
  private static final Duration READY = Duration.ofMinutes(5);
  private static final long START = System.nanoTime();
  private static final Path DIR = cache().resolve("sandbox-nodes");

  private static Sandbox sandbox;
  private static PulumiCli pulumi;
  private static KubevirtSimulator kubevirt;
  private static HppOperatorSimulator hpp;
  private static KubernetesClient under;
  private static KubernetesClient prod;
  private static double upSeconds;
  private static double pulumiUpSeconds;

  @BeforeAll
  static void deployTheFleetOnRealNodes() throws Exception {
    buildImageArchives();
    Sandbox.downAt(DIR); // what a killed earlier run left
    long t = System.nanoTime();
    sandbox = Sandbox.withKubelet(DIR, CLUSTERS.stream().map(c -> "alpha/" + c).toList());
    upSeconds = seconds(t);
    under = sandbox.under().client();
    prod = sandbox.tenant("alpha", "alpha-prod").client();
    Path state = Files.createTempDirectory("real-nodes-state-");
    pulumi = new PulumiCli(Path.of("").toAbsolutePath(), state);
    pulumi.run("stack", "init", "real-nodes").requireSuccess("stack init");
    pulumi
        .run("config", "set", "underKubeconfig", sandbox.under().kubeconfig().toString())
        .requireSuccess("config");
    for (String cluster : CLUSTERS)
      pulumi
          .run(
              "config",
              "set",
              "--path",
              "tenantKubeconfigs." + cluster,
              sandbox.tenant("alpha", cluster).kubeconfig().toString())
          .requireSuccess("config");
    // the fleet's HPP overlay waits for the operator to report the HostPathProvisioner Available
    hpp = HppOperatorSimulator.start(under, Duration.ofSeconds(2));
    t = System.nanoTime();
    pulumi.run("up", "--yes", "--skip-preview").requireSuccess("pulumi up");
    pulumiUpSeconds = seconds(t);
    // what the under cluster's DNS would answer the tenant API servers (Kamaji runs them as pods)
    sandbox.publishServices();
    kubevirt = KubevirtSimulator.start(sandbox, Files.createTempDirectory("real-nodes-kubevirt-"));
    for (String cluster : CLUSTERS) {
      TenantVm vm = TenantVm.of(under, "alpha", cluster);
      kubevirt.startVm(vm.namespace(), vm.name(), vm.labels());
    }
  }

  @AfterAll
  static void tearDown() {
    if (kubevirt != null) kubevirt.close();
    if (prod != null) prod.close();
    if (sandbox != null && pulumi != null) pulumi.run("destroy", "--yes", "--skip-preview");
    if (hpp != null) hpp.close();
    if (under != null) under.close();
    Sandbox.downAt(DIR); // also when `up` failed half-way
    System.out.printf("real-nodes E2E: %.0f s in all%n", seconds(START));
  }

  @Test
  @Order(1)
  void everyRenderedPodRunsReadyFromOurArchivesWithoutRestarts() throws Exception {
    long t = System.nanoTime();
    List<Pod> underPods = awaitAllReady(under, 8); // 2 x 2 controllers, 2 webhooks, 2 local-path
    for (String cluster : CLUSTERS) {
      try (KubernetesClient tenant = sandbox.tenant("alpha", cluster).client()) {
        List<Pod> nodePods = awaitAllReady(tenant, 1);
        assertEquals(cluster + "-worker-0", nodePods.get(0).getSpec().getNodeName());
        // the kubelet's plugin manager registers the driver in its own loop, after Ready
        var csiNode =
            tenant
                .storage()
                .v1()
                .csiNodes()
                .withName(cluster + "-worker-0")
                .waitUntilCondition(
                    n ->
                        n != null
                            && n.getSpec().getDrivers() != null
                            && !n.getSpec().getDrivers().isEmpty(),
                    60,
                    TimeUnit.SECONDS);
        assertEquals("csi.kubevirt.io", csiNode.getSpec().getDrivers().get(0).getName());
        assertEquals(cluster + "-worker-0", csiNode.getSpec().getDrivers().get(0).getNodeID());
        assertNoPulls(tenant);
      }
    }
    assertNoPulls(under);
    for (Pod p : underPods)
      if (p.getMetadata().getName().startsWith("kubevirt-csi-controller-")) {
        assertEquals(5, p.getStatus().getContainerStatuses().size(), "the driver and 4 sidecars");
        assertEquals(Boolean.FALSE, p.getSpec().getAutomountServiceAccountToken());
      }
    double ready = seconds(t);
    assertEveryBudgetAllowsOneDisruption();
    System.out.printf(
        "real nodes: sandbox up %.0f s + pulumi up %.0f s + the rest Ready %.0f s = %.0f s from"
            + " `up` to every pod Ready%n%s",
        upSeconds,
        pulumiUpSeconds,
        ready,
        upSeconds + pulumiUpSeconds + ready,
        NodeFigures.table(NodeFigures.of(sandbox.dir())));
  }

  /**
   * Each driver process (controller, webhook, node plugin: containers of this machine's kubelets,
   * so processes here) idles within the memory its container requests: the scheduler places pods by
   * requests, and a request below what the process holds misleads it.
   */
  @Test
  @Order(2)
  void everyDriverProcessIdlesWithinItsContainersMemoryRequest() throws Exception {
    TimeUnit.SECONDS.sleep(10); // idle: the start-up's calls are answered
    assertDriversWithinTheirMemoryRequests("idle");
  }

  /**
   * Every driver process maps its class archive in place (the image's own, or the JDK's under the
   * webhook), so the archive's read-only part is mapped read-only: clean pages of the file, which
   * the pods of a node running the same image share. Moved to a random address, a process would
   * hold every page of it as a private, writable copy.
   */
  @Test
  @Order(2)
  void everyDriverProcessMapsItsClassArchiveInPlaceWithAReadOnlyPart() throws Exception {
    var pids = DriverProcesses.pids();
    assertEquals(Set.of("controller", "node", "webhook"), pids.keySet());
    for (var mode : pids.entrySet())
      for (long pid : mode.getValue()) {
        List<String> mapped = DriverProcesses.classArchiveMappings(pid);
        assertTrue(
            mapped.stream().anyMatch(m -> m.split("\\s+")[1].equals("r--p")),
            mode.getKey() + " process " + pid + " maps its class archive so:\n" + mapped);
      }
  }

  /** Once the leaders have provisioned, attached, grown and failed over (the orders before). */
  @Test
  @Order(9)
  void everyDriverProcessStaysWithinItsMemoryRequestAfterTheWorkload() throws Exception {
    assertDriversWithinTheirMemoryRequests("after the workload");
  }

  private static void assertDriversWithinTheirMemoryRequests(String when) throws Exception {
    java.util.Map<String, Long> requested = new java.util.TreeMap<>();
    List<Pod> pods = new java.util.ArrayList<>(under.pods().inAnyNamespace().list().getItems());
    for (String cluster : CLUSTERS)
      try (KubernetesClient tenant = sandbox.tenant("alpha", cluster).client()) {
        pods.addAll(tenant.pods().inAnyNamespace().list().getItems());
      }
    for (Pod p : pods)
      for (var c : p.getSpec().getContainers())
        if (c.getArgs() != null
            && !c.getArgs().isEmpty()
            && c.getImage().contains("kmetal-storage-")
            && c.getResources().getRequests() != null)
          requested.put(
              c.getArgs().get(0),
              c.getResources().getRequests().get("memory").getNumericalAmount().longValue() >> 10);
    var held = DriverProcesses.rssKib();
    System.out.println(
        "driver processes' RSS (VmRSS), " + when + ", beside their containers' memory request:");
    held.forEach(
        (mode, rss) ->
            System.out.printf(
                "  %-10s %s MiB (request %d MiB)%n",
                mode,
                rss.stream().map(k -> String.format("%.1f", k / 1024.0)).toList(),
                requested.getOrDefault(mode, 0L) >> 10));
    assertEquals(Set.of("controller", "node", "webhook"), held.keySet());
    held.forEach(
        (mode, rss) ->
            rss.forEach(
                kib ->
                    assertTrue(
                        kib <= requested.get(mode),
                        mode
                            + " holds "
                            + kib / 1024
                            + " MiB "
                            + when
                            + ", its request is "
                            + (requested.get(mode) >> 10)
                            + " MiB")));
  }

  /**
   * What a Prometheus in the under cluster scrapes: each controller pod's {@code /metrics} on its
   * named port (behind the rendered {@code -metrics} Service), and the webhook's on its HTTPS port,
   * with the tenant's quota as gauges. Read through the API server's pod proxy, as from inside.
   */
  @Test
  @Order(2)
  void theControllersAndTheWebhooksMetricsAreThereToScrape() {
    String base = under.getMasterUrl().toString().replaceAll("/+$", "");
    var pods = under.pods().inNamespace("alpha").list().getItems();
    Pod controller =
        pods.stream()
            .filter(
                p -> p.getMetadata().getName().startsWith("kubevirt-csi-controller-alpha-prod-"))
            .findFirst()
            .orElseThrow();
    Pod webhook =
        pods.stream()
            .filter(p -> p.getMetadata().getName().startsWith("kmetal-webhook-"))
            .findFirst()
            .orElseThrow();
    String driver =
        under.raw(
            base
                + "/api/v1/namespaces/alpha/pods/"
                + controller.getMetadata().getName()
                + ":9809/proxy/metrics");
    String quota = webhookMetrics(webhook);
    assertTrue(driver.contains("kmetal_csi_operations_total{"), driver);
    String hard = "kmetal_webhook_quota_bytes{namespace=\"alpha\",state=\"hard\"} ";
    assertEquals(
        10.0 * (1L << 30),
        quota
            .lines()
            .filter(l -> l.startsWith(hard))
            .mapToDouble(l -> Double.parseDouble(l.substring(hard.length()).strip()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no quota gauge in\n" + quota)),
        "the fleet's storageQuota, 10Gi");
    assertTrue(
        quota.contains("kmetal_webhook_quota_volumes{namespace=\"alpha\",state=\"used\"}"), quota);
    assertTrue(
        quota.contains("kmetal_webhook_quota_snapshots{namespace=\"alpha\",state=\"hard\"}"),
        quota);
    assertTrue(
        under
                .services()
                .inNamespace("alpha")
                .withName("kubevirt-csi-controller-alpha-prod-metrics")
                .get()
            != null);
    quota
        .lines()
        .filter(l -> l.startsWith("kmetal_webhook_quota_"))
        .forEach(l -> System.out.println("scraped from the webhook: " + l));
  }

  /**
   * The disruption controller counts the real pods behind each rendered budget: with both replicas
   * Ready, a drain may take one of them and no more.
   */
  private static void assertEveryBudgetAllowsOneDisruption() throws InterruptedException {
    var budgets = under.policy().v1().podDisruptionBudget().inNamespace("alpha");
    assertEquals(
        List.of(
            "kmetal-webhook",
            "kubevirt-csi-controller-alpha-dev",
            "kubevirt-csi-controller-alpha-prod"),
        budgets.list().getItems().stream().map(b -> b.getMetadata().getName()).sorted().toList());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (var budget : budgets.list().getItems()) {
      var name = budget.getMetadata().getName();
      var status = budgets.withName(name).get().getStatus();
      while ((status == null
              || status.getCurrentHealthy() != 2
              || status.getDisruptionsAllowed() != 1)
          && System.nanoTime() < deadline) {
        Thread.sleep(500);
        status = budgets.withName(name).get().getStatus();
      }
      assertEquals(2, status.getCurrentHealthy(), name);
      assertEquals(1, status.getDisruptionsAllowed(), name);
    }
  }

  /**
   * XFS, because growing a mounted ext4 takes CAP_SYS_RESOURCE, which this machine's container
   * lacks (the ioctl is refused even to root here); XFS grows with CAP_SYS_ADMIN. The tenant's own
   * class names the rendered one's parameters and the filesystem.
   */
  @Test
  @Order(2)
  void aClaimWrittenByOnePodIsReadByTheNextAndGrowsOnline() throws Exception {
    var kubevirt = prod.storage().v1().storageClasses().withName("kubevirt").get();
    prod.resource(
            new io.fabric8.kubernetes.api.model.storage.StorageClassBuilder()
                .withNewMetadata()
                .withName("kubevirt-xfs")
                .endMetadata()
                .withProvisioner(kubevirt.getProvisioner())
                .addToParameters(kubevirt.getParameters())
                .addToParameters("csi.storage.k8s.io/fstype", "xfs")
                .withAllowVolumeExpansion(true)
                .withVolumeBindingMode("WaitForFirstConsumer")
                .build())
        .create();
    prod.resource(claim("default", "data", "kubevirt-xfs", "1Gi")).create();
    Pod writer =
        prod.resource(
                pod(
                    "default",
                    "writer",
                    "data",
                    null,
                    "echo hello > /data/greeting && sync && echo written && sleep 3600"))
            .create();
    awaitRunning(prod, writer, READY);
    awaitLog(prod, writer, "written", READY);
    prod.resource(writer).withGracePeriod(1).delete();
    prod.pods()
        .inNamespace("default")
        .withName("writer")
        .waitUntilCondition(p -> p == null, 2, TimeUnit.MINUTES);

    Pod reader = prod.resource(pod("default", "reader", "data", null, READER)).create();
    awaitRunning(prod, reader, READY);
    assertTrue(awaitLog(prod, reader, "greeting: hello", READY).contains("greeting: hello"));

    prod.persistentVolumeClaims()
        .inNamespace("default")
        .withName("data")
        .edit(
            c -> {
              c.getSpec().getResources().getRequests().put("storage", new Quantity("2Gi"));
              return c;
            });
    prod.persistentVolumeClaims()
        .inNamespace("default")
        .withName("data")
        .waitUntilCondition(
            c ->
                c.getStatus().getCapacity() != null
                    && new Quantity("2Gi").equals(c.getStatus().getCapacity().get("storage")),
            3,
            TimeUnit.MINUTES);
    // df in 1K blocks: XFS grown to 2 GiB shows 2.0 million and some
    awaitLog(prod, reader, "size-kib: 20", READY);
  }

  @Test
  @Order(3)
  void whenTheLeadingControllerIsKilledTheOtherProvisionsTheNextClaim() throws Exception {
    String leader = leader();
    under.pods().inNamespace("alpha").withName(leader).withGracePeriod(0).delete();
    long t = System.nanoTime();
    prod.resource(claim("default", "after-failover", null, "1Gi")).create();
    Pod p =
        prod.resource(pod("default", "after-failover", "after-failover", null, "sleep 3600"))
            .create();
    awaitRunning(prod, p, READY);
    double failover = seconds(t);
    // the lease moves when the dead holder's lease runs out, which need not come before the pod
    // runs
    String next =
        prod.leases()
            .inNamespace("kube-system")
            .withName("csi-kubevirt-io")
            .waitUntilCondition(
                l -> l != null && !leader.equals(l.getSpec().getHolderIdentity()),
                60,
                TimeUnit.SECONDS)
            .getSpec()
            .getHolderIdentity();
    assertNotEquals(leader, next, "another replica leads");
    System.out.printf(
        "leader %s killed: %s took over; a new claim provisioned, attached and mounted in %.0f s%n",
        leader, next, failover);
  }

  @Test
  @Order(4)
  void aRestartedNodePluginKeepsExistingMountsAndServesNewOnes() throws Exception {
    Pod old = prod.pods().inNamespace("kube-system").withLabel(PART_OF).list().getItems().get(0);
    prod.resource(old).delete();
    prod.pods()
        .inNamespace("kube-system")
        .withLabel(PART_OF)
        .waitUntilCondition(
            p ->
                p != null
                    && !p.getMetadata().getUid().equals(old.getMetadata().getUid())
                    && Workloads.ready(p),
            3,
            TimeUnit.MINUTES);
    var reader = prod.pods().inNamespace("default").withName("reader");
    int before = reader.getLog().length();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String since = "";
    while (System.nanoTime() < deadline && !since.contains("greeting: hello")) {
      Thread.sleep(1_000); // the reader prints once a second
      since = reader.getLog().substring(before);
    }
    assertTrue(since.contains("greeting: hello"), "the old mount still reads: " + since);
    assertFalse(since.contains("can't"), since);

    prod.resource(claim("default", "after-restart", null, "1Gi")).create();
    awaitRunning(
        prod,
        prod.resource(pod("default", "after-restart", "after-restart", null, "sleep 3600"))
            .create(),
        READY);
  }

  @Test
  @Order(5)
  void theWebhookBehindItsServiceRefusesAnOverQuotaClaimFromTheTenantApiServer() {
    var refused =
        assertThrows(
            KubernetesClientException.class,
            () -> prod.resource(claim("default", "too-big", null, "50Gi")).create());
    assertTrue(
        refused.getMessage().contains("denied the request: insufficient storage quota"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("alpha-storage"), refused.getMessage());
    // whichever replica refused it counted it, by cluster and reason
    String counted =
        "kmetal_webhook_refusals_total{cluster=\"alpha-prod\",namespace=\"alpha\",reason=\"storage\"} ";
    double refusals =
        under.pods().inNamespace("alpha").list().getItems().stream()
            .filter(p -> p.getMetadata().getName().startsWith("kmetal-webhook-"))
            .flatMap(p -> webhookMetrics(p).lines())
            .filter(l -> l.startsWith(counted))
            .mapToDouble(l -> Double.parseDouble(l.substring(counted.length()).strip()))
            .sum();
    assertEquals(1.0, refusals, "refusals counted by the webhook replicas");
  }

  /** The webhook pod's /metrics, through the API server's pod proxy (HTTPS to the pod). */
  private static String webhookMetrics(Pod webhook) {
    return under.raw(
        under.getMasterUrl().toString().replaceAll("/+$", "")
            + "/api/v1/namespaces/alpha/pods/https:"
            + webhook.getMetadata().getName()
            + ":8443/proxy/metrics");
  }

  /**
   * Every command of the README's Troubleshooting section, as written, prints what it promises; its
   * emergency quota raise is undone afterwards.
   */
  @Test
  @Order(6)
  void theReadmesTroubleshootingCommandsPrintWhatTheyPromise() throws Exception {
    Runbook runbook = Runbook.readmeSection(ROOT.resolve("README.md"), "Troubleshooting");
    Path dir = Files.createTempDirectory("runbook-");
    Files.writeString(
        dir.resolve("claim.yaml"),
        io.fabric8.kubernetes.client.utils.Serialization.asYaml(
            claim("default", "too-big", null, "50Gi")));
    var quota = under.resourceQuotas().inNamespace("alpha").withName("alpha-storage");
    var hard = quota.get().getSpec().getHard();
    try {
      List<String> broken =
          runbook
              .run(
                  dir,
                  java.util.Map.of(
                      "UNDER", sandbox.under().kubeconfig().toString(),
                      "TENANT", sandbox.tenant("alpha", "alpha-prod").kubeconfig().toString(),
                      "PATH", PulumiCli.toolsBin() + ":" + System.getenv("PATH")))
              .stream()
              .filter(o -> !o.printedWhatItPromises())
              .map(
                  o ->
                      o.step().command()
                          + "\n  promised: "
                          + o.step().expected()
                          + "\n  printed: "
                          + o.output())
              .toList();
      assertEquals(List.of(), broken, String.join("\n", broken));
    } finally {
      quota.edit(
          q -> {
            q.getSpec().setHard(hard);
            return q;
          });
    }
  }

  /**
   * After the whole flow ran on it (claims provisioned, attached, grown, leader failover), the
   * controller's tenant identity is what the sidecars used, and it is refused what they never need;
   * no under-cluster workload mounts a tenant's admin kubeconfig.
   */
  @Test
  @Order(7)
  void theControllerReachesTheTenantAsItsOwnLeastPrivilegeIdentityOnly() throws Exception {
    var secret =
        under
            .secrets()
            .inNamespace("alpha")
            .withName("alpha-prod-kmetal-csi-controller-kubeconfig")
            .get();
    String kubeconfig =
        new String(
            java.util.Base64.getDecoder().decode(secret.getData().get("kubeconfig")),
            java.nio.charset.StandardCharsets.UTF_8);
    try (KubernetesClient asController =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(kubeconfig))
            .build()) {
      assertFalse(asController.persistentVolumes().list().getItems().isEmpty(), "its own PVs");
      var secrets =
          assertThrows(
              KubernetesClientException.class,
              () -> asController.secrets().inNamespace("kube-system").list());
      assertEquals(403, secrets.getCode());
      var namespaces =
          assertThrows(
              KubernetesClientException.class,
              () ->
                  asController
                      .namespaces()
                      .resource(
                          new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                              .withNewMetadata()
                              .withName("taken-over")
                              .endMetadata()
                              .build())
                      .create());
      assertEquals(403, namespaces.getCode());
    }
    List<String> refused = new java.util.ArrayList<>();
    for (String ns : List.of("alpha", "local-path-storage"))
      for (Pod p : under.pods().inNamespace(ns).list().getItems())
        for (var c : p.getSpec().getContainers()) {
          String log =
              under
                  .pods()
                  .inNamespace(ns)
                  .withName(p.getMetadata().getName())
                  .inContainer(c.getName())
                  .getLog();
          log.lines()
              .filter(l -> l.toLowerCase(java.util.Locale.ROOT).contains("forbidden"))
              .limit(3)
              .forEach(l -> refused.add(p.getMetadata().getName() + "/" + c.getName() + ": " + l));
        }
    for (String cluster : CLUSTERS)
      try (KubernetesClient tenant = sandbox.tenant("alpha", cluster).client()) {
        for (Pod p :
            tenant
                .pods()
                .inNamespace("kube-system")
                .withLabel("app", "kubevirt-csi-node")
                .list()
                .getItems())
          tenant
              .pods()
              .inNamespace("kube-system")
              .withName(p.getMetadata().getName())
              .getLog()
              .lines()
              .filter(l -> l.toLowerCase(java.util.Locale.ROOT).contains("forbidden"))
              .limit(3)
              .forEach(l -> refused.add(cluster + "/" + p.getMetadata().getName() + ": " + l));
      }
    assertEquals(
        List.of(), refused, "no call of the flow was refused to any under-cluster or node pod");
    for (var d : under.apps().deployments().inAnyNamespace().list().getItems())
      assertFalse(
          d.getSpec().getTemplate().getSpec().getVolumes().stream()
              .anyMatch(
                  v ->
                      v.getSecret() != null
                          && v.getSecret().getSecretName().endsWith("-admin-kubeconfig")),
          d.getMetadata().getName() + " mounts a tenant admin kubeconfig");
  }

  @Test
  @Order(8)
  void localPathClaimsBindOnlyOnTheNodesTheirPathMapsName() throws Exception {
    under
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName("split")
                .endMetadata()
                .build())
        .create();
    String script = "echo ok > /data/f && echo wrote && sleep 3600";
    under.resource(claim("split", "platform-c1", "local-path", "64Mi")).create();
    awaitRunning(
        under,
        under.resource(pod("split", "platform-c1", "platform-c1", "c1", script)).create(),
        READY);
    under.resource(claim("split", "tenant-w1", "tenant-storage-class", "64Mi")).create();
    awaitRunning(
        under,
        under.resource(pod("split", "tenant-w1", "tenant-w1", "w1", script)).create(),
        READY);
    assertEquals("c1", boundNode("platform-c1"));
    assertEquals("w1", boundNode("tenant-w1"));

    under.resource(claim("split", "platform-w1", "local-path", "64Mi")).create();
    under.resource(pod("split", "platform-w1", "platform-w1", "w1", script)).create();
    var refusal =
        await(
            "the provisioner's refusal of platform-w1",
            () ->
                under
                    .v1()
                    .events()
                    .inNamespace("split")
                    .withField("involvedObject.name", "platform-w1")
                    .list()
                    .getItems()
                    .stream()
                    .filter(e -> "ProvisioningFailed".equals(e.getReason()))
                    .findFirst()
                    .orElse(null));
    assertTrue(refusal.getMessage().contains("w1"), refusal.getMessage());
    assertEquals(
        "Pending",
        under
            .persistentVolumeClaims()
            .inNamespace("split")
            .withName("platform-w1")
            .get()
            .getStatus()
            .getPhase());
  }

  /**
   * The gold tier's {@code retainCleanup} (30d, deleting) as a Job made from its rendered CronJob,
   * as {@code kubectl create job --from=cronjob/...} makes one: of two volumes the kube-controller-
   * manager released for real, it deletes the one Released for 40 days and keeps the young one.
   */
  @Test
  @Order(8)
  void theRetainCleanupJobDeletesOnlyTheVolumesReleasedLongEnough() throws Exception {
    String ns = "retain-e2e";
    String gold = "ocs-gold-nvme";
    under
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .endMetadata()
                .build())
        .create();
    var volumes = new StaticVolumes(under, ns);
    for (String name : List.of("retain-old", "retain-young")) {
      volumes.bind(name, gold, "Retain");
      volumes.release(name);
    }
    volumes.releasedAgo("retain-old", Duration.ofDays(40));

    var cronJob =
        under
            .batch()
            .v1()
            .cronjobs()
            .inNamespace("kube-system")
            .withName("retain-cleanup-" + gold)
            .get();
    assertTrue(cronJob != null, "the rendered CronJob is deployed");
    var job =
        under
            .batch()
            .v1()
            .jobs()
            .inNamespace("kube-system")
            .resource(
                new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
                    .withNewMetadata()
                    .withName("retain-cleanup-e2e")
                    .endMetadata()
                    .withSpec(cronJob.getSpec().getJobTemplate().getSpec())
                    .build())
            .create();
    await(
        "the clean-up job to finish",
        () -> {
          var status = under.batch().v1().jobs().resource(job).get().getStatus();
          if (status != null && status.getFailed() != null && status.getFailed() > 0)
            throw new AssertionError("the clean-up job failed: " + jobLog());
          return status != null && status.getSucceeded() != null && status.getSucceeded() > 0
              ? status
              : null;
        });
    String log = jobLog();
    System.out.println("retain clean-up job log:\n" + log);
    assertTrue(log.contains("deleted: retain-old"), log);
    assertFalse(log.contains("retain-young"), "too young to be listed: " + log);
    assertFalse(log.toLowerCase(java.util.Locale.ROOT).contains("forbidden"), log);
    // deleted through the API; gone once the controller manager drops kubernetes.io/pv-protection
    assertEquals(
        null,
        under
            .persistentVolumes()
            .withName("retain-old")
            .waitUntilCondition(java.util.Objects::isNull, 60, TimeUnit.SECONDS));
    assertEquals("Released", volumes.phase("retain-young"));

    under
        .batch()
        .v1()
        .jobs()
        .resource(job)
        .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.FOREGROUND)
        .delete();
    under.persistentVolumes().withName("retain-young").delete();
    under.namespaces().withName(ns).delete();
  }

  private static String jobLog() {
    return under
        .pods()
        .inNamespace("kube-system")
        .withLabel("job-name", "retain-cleanup-e2e")
        .list()
        .getItems()
        .stream()
        .map(
            p ->
                under
                    .pods()
                    .inNamespace("kube-system")
                    .withName(p.getMetadata().getName())
                    .getLog())
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  @Test
  @Order(10)
  void destroyLeavesNoPodMountOrLoopDeviceBehind() throws Exception {
    prod.pods().inNamespace("default").delete();
    prod.persistentVolumeClaims().inNamespace("default").delete();
    await(
        "the tenant's volumes deleted",
        () -> prod.persistentVolumes().list().getItems().isEmpty() ? "gone" : null);
    under.namespaces().withName("split").delete();
    prod.storage().v1().storageClasses().withName("kubevirt-xfs").delete();
    pulumi.run("destroy", "--yes", "--skip-preview").requireSuccess("pulumi destroy");
    assertEquals(List.of(), under.pods().inAnyNamespace().withLabel(PART_OF).list().getItems());
    assertEquals(List.of(), prod.pods().inAnyNamespace().withLabel(PART_OF).list().getItems());
    assertEquals(
        List.of(),
        under.namespaces().list().getItems().stream()
            .map(n -> n.getMetadata().getName())
            .filter(n -> n.startsWith("local-path-"))
            .toList(),
        "the tiers' provisioner namespaces are gone");
    String mounts = Files.readString(Path.of("/proc/mounts"));
    assertFalse(mounts.contains("kubernetes.io/csi"), "no CSI mount is left:\n" + mounts);
    kubevirt.close();
    kubevirt = null;
    String loops = run("losetup", "--noheadings", "-O", "BACK-FILE");
    assertFalse(loops.contains("real-nodes-kubevirt-"), "no loop device is left: " + loops);
  }

  @Test
  @Order(11)
  void sandboxDownRemovesTheNodesNamespacesAndMounts() throws Exception {
    Path dir = sandbox.dir();
    pulumi = null;
    sandbox.down();
    String mounts = Files.readString(Path.of("/proc/mounts"));
    assertFalse(mounts.contains(dir.toString()), "no mount of the sandbox is left:\n" + mounts);
    String netns = run("ip", "netns", "list");
    String slot =
        Files.readString(dir.resolve("net.env"))
            .lines()
            .filter(l -> l.startsWith("SLOT="))
            .findFirst()
            .orElseThrow()
            .substring(5);
    assertFalse(netns.contains("kmsb" + slot + "-"), "no node namespace is left: " + netns);
  }

  /** Reads the greeting and the filesystem's size every second, so a broken mount shows. */
  private static final String READER =
      "while true; do echo \"greeting: $(cat /data/greeting)\"; "
          + "echo \"size-kib: $(df -k /data | awk 'NR==2 {print $2}')\"; sleep 1; done";

  private String leader() {
    return prod.leases()
        .inNamespace("kube-system")
        .withName("csi-kubevirt-io")
        .get()
        .getSpec()
        .getHolderIdentity();
  }

  private String boundNode(String claim) {
    String pv =
        under
            .persistentVolumeClaims()
            .inNamespace("split")
            .withName(claim)
            .get()
            .getSpec()
            .getVolumeName();
    return under
        .persistentVolumes()
        .withName(pv)
        .get()
        .getSpec()
        .getNodeAffinity()
        .getRequired()
        .getNodeSelectorTerms()
        .get(0)
        .getMatchExpressions()
        .get(0)
        .getValues()
        .get(0);
  }

  /** Polls {@code probe} until it answers (non-null) within {@link #READY}. */
  private static <T> T await(String what, java.util.function.Supplier<T> probe)
      throws InterruptedException {
    long deadline = System.nanoTime() + READY.toNanos();
    while (System.nanoTime() < deadline) {
      T answer = probe.get();
      if (answer != null) return answer;
      Thread.sleep(1_000);
    }
    throw new AssertionError(what + ": not within " + READY);
  }

  private static List<Pod> awaitAllReady(KubernetesClient client, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + READY.toNanos();
    List<Pod> pods = List.of();
    while (System.nanoTime() < deadline) {
      // the serving pods: a run of a tier's clean-up CronJob (a Job's pod) comes and goes
      pods =
          client.pods().inAnyNamespace().withLabel(PART_OF).list().getItems().stream()
              .filter(p -> p.getMetadata().getLabels().get("batch.kubernetes.io/job-name") == null)
              .toList();
      if (pods.size() == count && pods.stream().allMatch(Workloads::ready)) {
        List<String> restarts = new java.util.ArrayList<>();
        for (Pod p : pods) restarts.addAll(Workloads.restarts(client, p));
        assertEquals(List.of(), restarts, "containers restarted:\n" + String.join("\n", restarts));
        return pods;
      }
      Thread.sleep(1_000);
    }
    throw new AssertionError(
        "not all "
            + count
            + " pods Ready in "
            + READY
            + ": "
            + pods.stream()
                .map(p -> p.getMetadata().getName() + " " + p.getStatus().getPhase())
                .toList());
  }

  /** Every image came from the archives: the kubelet never pulled one. */
  private static void assertNoPulls(KubernetesClient client) {
    var pulls =
        client.v1().events().inAnyNamespace().list().getItems().stream()
            .filter(
                e ->
                    "Pulling".equals(e.getReason())
                        || "Failed".equals(e.getReason()) && e.getMessage().contains("pull"))
            .map(e -> e.getInvolvedObject().getName() + ": " + e.getMessage())
            .toList();
    assertEquals(List.of(), pulls);
  }

  private static void buildImageArchives() throws Exception {
    Process p =
        new ProcessBuilder(
                "java",
                "-jar",
                ROOT.resolve("images/target/kmetal-images.jar").toString(),
                "--root",
                ROOT.toString(),
                "all")
            .inheritIO()
            .start();
    assertEquals(0, p.waitFor(), "kmetal images all");
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  private static Path cache() {
    String cache = System.getenv("KMETAL_CACHE");
    return cache != null
        ? Path.of(cache)
        : Path.of(System.getProperty("user.home"), ".cache/kmetal-storage");
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
