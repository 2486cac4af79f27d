package io.kmetal.storage.bench.csi;

import csi.v1.ControllerGrpc;
import csi.v1.Csi.CapacityRange;
import csi.v1.Csi.CreateVolumeRequest;
import csi.v1.Csi.DeleteVolumeRequest;
import csi.v1.Csi.ProbeRequest;
import csi.v1.Csi.VolumeCapability;
import csi.v1.IdentityGrpc;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.grpc.ManagedChannel;
import io.kmetal.csi.server.UnixChannels;
import io.kmetal.storage.model.Images;
import io.kmetal.storage.testbed.ResidentMemory;
import io.kmetal.storage.testbed.Sandbox;
import io.kmetal.storage.testbed.csi.DriverProcess;
import io.kmetal.storage.testbed.kubevirt.Kinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CreateVolume through the packaged driver (controller mode, gRPC on its Unix socket) vs. the raw
 * API round trip of creating the same DataVolume with fabric8, closed loop at 1, 10 and 50 requests
 * in flight. Every measured request creates a fresh volume; what a series created is deleted
 * between series, untimed (DeleteVolume for the driver's, a fabric8 delete for the raw ones). The
 * under namespace {@value #NAMESPACE} is the benchmark's alone. Every row also reports the CPU its
 * requests cost each process ({@link CpuUse}). The sandbox's control plane runs on a CPU of its own
 * and the benchmark with its drivers on the rest ({@link CpuSplit}), as a controller pod runs on
 * another machine than its API server: at 50 in flight the control plane's CPU bounds every row,
 * and the ratio of the rows is what the driver adds to the control plane's work per create.
 */
public final class CreateVolumeBench {
  static final String NAMESPACE = "csi-bench";
  static final Map<String, String> LABELS = Map.of("csi.kubevirt.io/tenant-cluster", "csi-bench");
  static final long BYTES = 64L << 20;
  static final int[] CONCURRENCY = {1, 10, 50};

  /**
   * Each concurrency's rows are measured in this many interleaved rounds (every way once per
   * round), so a drift of the machine over the run (etcd's compactions, the API servers'
   * collections) falls on every row alike; the ratio printed is the median of the rounds' ratios.
   */
  static final int ROUNDS = 8;

  /**
   * Every series starts on a quiet machine, so that what the last one left behind (the API servers'
   * and etcd's work on its deletes) falls on none: a fifth of a second with at most this much CPU
   * busy in all (the idle sandbox uses about 10 ms of it), waited for up to {@link #QUIET_MAX_MS}.
   */
  static final long QUIET_BUSY_MS = 40;

  static final long QUIET_MAX_MS = 5000;

  /**
   * The drivers measured side by side: as the images start it (Images.DRIVER_JVM_FLAGS), so what
   * ships is measured, and with the JVM's defaults, so what those flags cost shows.
   */
  static final List<String> IMAGE_JVM_FLAGS = List.of(Images.DRIVER_JVM_FLAGS.split(" "));

  private static final Map<String, List<String>> FLAG_SETS = new LinkedHashMap<>();

  static {
    FLAG_SETS.put("image flags", IMAGE_JVM_FLAGS);
    FLAG_SETS.put("JVM defaults", List.of());
  }

  static final ResourceDefinitionContext DATA_VOLUME = Kinds.DATA_VOLUME;

  /** One way of creating a volume of a given name. */
  @FunctionalInterface
  private interface Creator {
    void create(String name) throws Exception;
  }

  /**
   * A row of the table: how volumes are created, and the driver whose DeleteVolume removes them
   * afterwards (null: swept with fabric8).
   */
  private record Way(String label, Creator creator, Driver driver) {}

  /** One measured series: its latencies and the CPU each request cost, per process. */
  private record Series(Latencies latencies, CpuUse cpu) {}

  /** A controller process on its socket, started with one set of JVM flags. */
  private record Driver(
      String flags, ControllerGrpc.ControllerBlockingStub stub, long pid, Path log) {}

  private final KubernetesClient under;
  private final List<Driver> drivers;
  private final IdentityGrpc.IdentityBlockingStub identity;
  private final String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private long quietMs;

  private CreateVolumeBench(
      KubernetesClient under, List<Driver> drivers, IdentityGrpc.IdentityBlockingStub identity) {
    this.under = under;
    this.drivers = drivers;
    this.identity = identity;
  }

  /** Prints the table: {@code requests} per concurrency and path, after a warm-up. */
  public static void run(Sandbox sandbox, Path dir, Teardown teardown, int requests)
      throws Exception {
    Path config = driverConfig(dir, NAMESPACE);
    KubernetesClient under = sandbox.under().client();
    teardown.add("close the under cluster's client", under::close);
    under
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    teardown.add("delete the benchmark's objects in namespace " + NAMESPACE, () -> sweep(under));
    sweep(under); // a killed earlier run's leftovers
    CpuSplit split = CpuSplit.apply(sandbox.dir());
    var unsplit =
        teardown.add("give the control plane and this benchmark their CPUs back", split::restore);
    List<Driver> drivers = new ArrayList<>();
    ManagedChannel first = null;
    for (var flags : FLAG_SETS.entrySet()) {
      String name = "controller-" + drivers.size();
      DriverProcess controller =
          DriverProcess.start(
              flags.getValue(),
              "controller",
              dir.resolve(name + ".sock"),
              dir.resolve(name + ".log"),
              List.of(
                  "--driver-config=" + config,
                  "--under-kubeconfig=" + sandbox.under().kubeconfig(),
                  // no CDI in this namespace: measure the driver's calls, not a wait for a claim
                  "--admission-wait-seconds=0"));
      teardown.add("stop " + name, controller::close);
      ManagedChannel channel = UnixChannels.open(controller.socket());
      teardown.add("close the channel to " + name, () -> CsiSockets.close(channel));
      if (first == null) first = channel;
      drivers.add(
          new Driver(
              flags.getKey(),
              ControllerGrpc.newBlockingStub(channel),
              controller.process().pid(),
              controller.log()));
    }
    new CreateVolumeBench(under, drivers, IdentityGrpc.newBlockingStub(first))
        .measure(requests, split);
    unsplit.now();
  }

  private void measure(int requests, CpuSplit split) throws Exception {
    List<Way> ways = new ArrayList<>();
    ways.add(new Way("raw create (fabric8)", this::raw, null));
    for (Driver d : drivers)
      ways.add(new Way("driver, " + d.flags(), name -> viaDriver(d, name), d));
    ways.add(new Way("raw get + create", this::rawGetThenCreate, null));
    ways.add(new Way("driver Probe (the gRPC hop)", this::probe, null));
    int warmUp = Math.max(requests, 200);
    int series = 0;
    for (Way way : ways) series(way, 10, warmUp, "w" + series++);
    System.out.printf(
        Locale.ROOT,
        "CreateVolume, 64 MiB blank Filesystem DataVolume in the under cluster: %d interleaved"
            + " rounds of max(%d / %d, 4 x in flight) requests per row, closed loop, after %d"
            + " warm-up each; %s%n",
        ROUNDS,
        requests,
        ROUNDS,
        warmUp,
        split.describe());
    System.out.printf(
        Locale.ROOT,
        "%-11s %-28s %9s %9s %9s %9s   %s%n",
        "in flight",
        "",
        "p50 ms",
        "p99 ms",
        "max ms",
        "req/s",
        "CPU ms per request: bench JVM, drivers, API servers + etcd + rest");
    for (int concurrency : CONCURRENCY) {
      int perRound = Math.max(requests / ROUNDS, 4 * concurrency);
      Map<Way, List<Series>> rounds = new LinkedHashMap<>();
      for (Way way : ways) rounds.put(way, new ArrayList<>());
      for (int round = 0; round < ROUNDS; round++)
        for (Way way : ways)
          rounds.get(way).add(series(way, concurrency, perRound, "m" + series++));
      for (Way way : ways) {
        Latencies l = Latencies.merge(rounds.get(way).stream().map(Series::latencies).toList());
        CpuUse cpu = CpuUse.mean(rounds.get(way).stream().map(Series::cpu).toList());
        System.out.printf(
            Locale.ROOT,
            "%-11d %-28s %9.2f %9.2f %9.2f %9.0f   %6.2f %6.2f %6.2f%n",
            concurrency,
            way.label(),
            l.p50(),
            l.p99(),
            l.maxMs(),
            l.perSecond(),
            cpu.benchMs(),
            cpu.driverMs(),
            cpu.othersMs());
      }
      List<Series> raw = rounds.get(ways.get(0));
      Latencies rawRow = Latencies.merge(raw.stream().map(Series::latencies).toList());
      for (int i = 0; i < drivers.size(); i++) {
        Driver d = drivers.get(i);
        List<Series> driverRounds = rounds.get(ways.get(1 + i));
        Latencies driverRow =
            Latencies.merge(driverRounds.stream().map(Series::latencies).toList());
        double[] ratios = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++)
          ratios[round] =
              driverRounds.get(round).latencies().perSecond()
                  / raw.get(round).latencies().perSecond();
        Arrays.sort(ratios);
        System.out.printf(
            Locale.ROOT,
            "%-11s %-28s %9.2f%n",
            "",
            "  " + d.flags() + ": own (log)",
            DriverLog.ownP50(d.log(), "CreateVolume", perRound * ROUNDS));
        System.out.printf(
            Locale.ROOT,
            "%-11s %-28s %+9.2f %+9.2f %9s %8.2fx  (rounds %.2fx to %.2fx)%n",
            "",
            "  " + d.flags() + " - raw",
            driverRow.p50() - rawRow.p50(),
            driverRow.p99() - rawRow.p99(),
            "",
            (ratios[(ROUNDS - 1) / 2] + ratios[ROUNDS / 2]) / 2,
            ratios[0],
            ratios[ROUNDS - 1]);
      }
    }
    System.out.println(
        "(goals: driver >= 0.9x raw req/s at 50 in flight, p50 overhead <= 3 ms at 1 in flight."
            + " The driver makes one API call like `raw create`; `raw get + create` is what a"
            + " read-first driver would cost; `own` is the call as the driver"
            + " logs it, the rest is the socket, gRPC and waiting for a CPU; Probe is the socket"
            + " and gRPC alone. CPU: /proc's utime + stime over the series, per request; a row"
            + " whose last figure (the control plane's, mostly) comes to "
            + split.controlPlaneCpus()
            + "000 / (req/s) ms is bound by the control plane's "
            + split.controlPlaneCpus()
            + " CPU)");
    System.out.printf(
        Locale.ROOT,
        "  every series started on a quiet machine (at most %d ms of CPU busy in 0.2 s): %.1f s"
            + " waited in all%n",
        QUIET_BUSY_MS,
        quietMs / 1000.0);
    for (Driver d : drivers)
      System.out.printf(
          Locale.ROOT,
          "  %s: %s; resident after the run %.1f MiB%n",
          d.flags(),
          FLAG_SETS.get(d.flags()),
          ResidentMemory.kib(d.pid()).orElse(0) / 1024.0);
    System.out.println();
  }

  /**
   * {@code count} creates by {@code concurrency} threads, each issuing its next request as soon as
   * the last one answered; then everything created is deleted, untimed.
   */
  private Series series(Way way, int concurrency, int count, String series) throws Exception {
    long[] nanos = new long[count];
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++)
      names.add(String.format(Locale.ROOT, "bench-%s-%s-%04d", run, series, i));
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      AtomicInteger next = new AtomicInteger();
      CountDownLatch ready = new CountDownLatch(concurrency);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < concurrency; t++) {
        workers.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  for (int i; (i = next.getAndIncrement()) < count; ) {
                    long start = System.nanoTime();
                    way.creator().create(names.get(i));
                    nanos[i] = System.nanoTime() - start;
                  }
                  return null;
                }));
      }
      ready.await();
      quietMs += CpuUse.awaitQuiet(QUIET_BUSY_MS, QUIET_MAX_MS);
      CpuUse before = CpuUse.sample(driverPids());
      long start = System.nanoTime();
      go.countDown();
      for (Future<?> w : workers) w.get();
      long wall = System.nanoTime() - start;
      CpuUse used = CpuUse.sample(driverPids()).perRequestSince(before, count);
      return new Series(new Latencies(nanos, wall), used);
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(1, TimeUnit.MINUTES);
      if (way.driver() != null) deleteVolumes(way.driver(), names);
      sweep(under);
    }
  }

  private List<Long> driverPids() {
    return drivers.stream().map(Driver::pid).toList();
  }

  private static void viaDriver(Driver driver, String name) {
    driver.stub().withDeadlineAfter(30, TimeUnit.SECONDS).createVolume(request(name, BYTES));
  }

  /** A CreateVolume of an ext4 single-node volume, as external-provisioner sends one. */
  static CreateVolumeRequest request(String name, long bytes) {
    return CreateVolumeRequest.newBuilder()
        .setName(name)
        .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(bytes))
        .addVolumeCapabilities(
            VolumeCapability.newBuilder()
                .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4"))
                .setAccessMode(
                    VolumeCapability.AccessMode.newBuilder()
                        .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER)))
        .build();
  }

  /** The driver ConfigMap's two keys as the controller's pod mounts them, under {@code dir}. */
  static Path driverConfig(Path dir, String namespace) throws java.io.IOException {
    Path config = Files.createDirectories(dir.resolve("driver-config"));
    Files.writeString(config.resolve("infraClusterNamespace"), namespace);
    Files.writeString(
        config.resolve("infraClusterLabels"), "csi.kubevirt.io/tenant-cluster=csi-bench");
    return config;
  }

  private void probe(String unused) {
    identity.withDeadlineAfter(30, TimeUnit.SECONDS).probe(ProbeRequest.getDefaultInstance());
  }

  private void raw(String name) {
    under.genericKubernetesResources(DATA_VOLUME).resource(dataVolume(name)).create();
  }

  private void rawGetThenCreate(String name) {
    var dvs = under.genericKubernetesResources(DATA_VOLUME).inNamespace(NAMESPACE);
    if (dvs.withName(name).get() != null) throw new IllegalStateException(name + " exists");
    dvs.resource(dataVolume(name)).create();
  }

  /** The body the driver's {@code DataVolumes.create} sends for a blank Filesystem RWO volume. */
  static GenericKubernetesResource dataVolume(String name) {
    Map<String, Object> storage = new LinkedHashMap<>();
    storage.put("accessModes", List.of("ReadWriteOnce"));
    storage.put("volumeMode", "Filesystem");
    storage.put("resources", Map.of("requests", Map.of("storage", Long.toString(BYTES))));
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("cdi.kubevirt.io/v1beta1")
        .withKind("DataVolume")
        .withNewMetadata()
        .withName(name)
        .withNamespace(NAMESPACE)
        .withLabels(LABELS)
        .endMetadata()
        .addToAdditionalProperties(
            "spec", Map.of("source", Map.of("blank", Map.of()), "storage", storage))
        .build();
  }

  /** DeleteVolume for each name, 10 at a time. */
  private static void deleteVolumes(Driver driver, List<String> names) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<Future<?>> deletes = new ArrayList<>();
      for (String name : names) {
        deletes.add(
            pool.submit(
                () ->
                    driver
                        .stub()
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(name).build())));
      }
      for (Future<?> d : deletes) d.get();
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Deletes the benchmark's DataVolumes (and PVCs, should a CDI simulator of another run have made
   * some) in its namespace.
   */
  static void sweep(KubernetesClient under) {
    under
        .genericKubernetesResources(DATA_VOLUME)
        .inNamespace(NAMESPACE)
        .withLabels(LABELS)
        .delete();
    under.persistentVolumeClaims().inNamespace(NAMESPACE).delete();
  }
}
