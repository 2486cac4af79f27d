package io.kmetal.storage.bench.csi;

import io.kmetal.storage.bench.csi.floor.IdleJvm;
import io.kmetal.storage.bench.csi.floor.ProbeOnlyServer;
import io.kmetal.storage.model.Images;
import io.kmetal.storage.testbed.csi.DriverProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The node plugin's start: wall time from {@code ProcessBuilder.start()} to the first Probe
 * answered over its socket (the plugin reads its Node from the tenant API server and answers one
 * Probe of its own before the socket appears), its resident memory ({@code VmRSS}) after 3 s idle,
 * and again after {@value #PROBES} {@code GET /healthz} (what the kubelet's liveness probe, one
 * every 10 s, has asked after 50 minutes; the plugin answers each with a Probe through its own
 * socket) and {@value #SETTLE_MS} ms, under several JVM flag sets side by side, to choose the
 * image's; the plugin rows run the node image's jar ({@code kmetal-csi-node.jar}). Two floor rows
 * run with the images' flags first: a JVM that loads nothing ({@link IdleJvm}) and the driver's
 * gRPC server answering Probe only ({@link ProbeOnlyServer}), what any plugin on this stack holds.
 */
public final class NodeStartBench {
  private static final long IDLE_MS = 3_000;
  private static final int PROBES = 300;
  private static final HttpClient HEALTH_CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** The JIT frees its arenas' chunks within 5 s, and the images' flags trim every 5 s. */
  private static final long SETTLE_MS = 12_000;

  private static final List<String> SERIAL_C1 =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

  /** What a row starts: the node plugin, or one of the floors. */
  private enum Program {
    NODE_PLUGIN,
    PROBE_ONLY,
    IDLE_JVM
  }

  /** A named set of JVM flags, and the program a row runs with them. */
  private record Flags(String name, List<String> flags, Map<String, String> env, Program program) {
    Flags(String name, List<String> flags) {
      this(name, flags, Map.of(), Program.NODE_PLUGIN);
    }

    Flags plus(String name, String... more) {
      List<String> all = new ArrayList<>(flags);
      all.addAll(List.of(more));
      return new Flags(name, all, env, program);
    }

    Flags withEnv(String name, String key, String value) {
      Map<String, String> all = new java.util.TreeMap<>(env);
      all.put(key, value);
      return new Flags(name, flags, all, program);
    }

    Flags running(String name, Program other) {
      return new Flags(name, flags, env, other);
    }

    String shown() {
      StringBuilder out = new StringBuilder();
      env.forEach((k, v) -> out.append(k).append('=').append(v).append(' '));
      return out.append(String.join(" ", flags)).toString();
    }
  }

  private record Start(double ms, double readyMs, long rssKib, long afterProbesKib) {}

  private final Path dir;
  private final Path floorClasses;
  private final NodeBed bed;
  private final Teardown teardown;
  private int starts;

  private NodeStartBench(Path dir, NodeBed bed, Teardown teardown) throws IOException {
    this.dir = dir;
    this.floorClasses = floorClasses(dir.resolve("floor-classes"));
    this.bed = bed;
    this.teardown = teardown;
  }

  /** Prints the table: {@code rounds} starts per flag set. */
  public static void run(Path dir, NodeBed bed, Teardown teardown, int rounds) throws Exception {
    new NodeStartBench(Files.createDirectories(dir.resolve("starts")), bed, teardown)
        .measure(rounds);
  }

  private void measure(int rounds) throws Exception {
    // the images' flags before the footprint work, and now (Images.DRIVER_JVM_FLAGS)
    Flags before = new Flags("", SERIAL_C1).plus("images before: Xms8m", "-Xms8m");
    Flags images = new Flags("images now", List.of(Images.DRIVER_JVM_FLAGS.split(" ")));
    List<Flags> sets = new ArrayList<>();
    sets.add(images.running("floor: JVM alone", Program.IDLE_JVM));
    sets.add(images.running("floor: gRPC, Probe only", Program.PROBE_ONLY));
    sets.add(new Flags("JVM defaults", List.of()));
    sets.add(before);
    sets.add(images);
    sets.add(images.plus("+ -Xmx16m", "-Xmx16m"));
    sets.add(
        new Flags(
            "- trim native heap",
            images.flags().stream().filter(f -> !f.startsWith("-XX:TrimNativeHeap")).toList()));
    sets.add(images.plus("+ -Xint", "-Xint"));
    Flags oneArena = images.withEnv("+ 1 malloc arena", "MALLOC_ARENA_MAX", "1");
    sets.add(oneArena);
    Path archive = dir.resolve("node.jsa");
    String cds = dumpArchive(oneArena, archive);
    if (cds == null) sets.add(oneArena.plus("+ AppCDS", "-XX:SharedArchiveFile=" + archive));

    once(sets.get(2)); // the benchmark's own client path, warmed
    System.out.printf(
        Locale.ROOT,
        "node plugin: start to first Probe answered, to ready (node id known), VmRSS %d s"
            + " after it, and after %d Probes more (%d starts each)%n",
        IDLE_MS / 1000,
        PROBES,
        rounds);
    System.out.printf(
        Locale.ROOT,
        "%-25s %9s %9s %9s %9s %12s %12s %14s%n",
        "JVM flags",
        "start p50",
        "min",
        "max",
        "ready p50",
        "RSS p50 MiB",
        "RSS max MiB",
        "+" + PROBES + " Probes");
    for (Flags set : sets) {
      long[] nanos = new long[rounds];
      long[] ready = new long[rounds];
      long[] rss = new long[rounds];
      long[] afterProbes = new long[rounds];
      for (int r = 0; r < rounds; r++) {
        Start s = once(set);
        nanos[r] = (long) (s.ms() * 1e6);
        ready[r] = (long) (s.readyMs() * 1e6);
        rss[r] = s.rssKib();
        afterProbes[r] = s.afterProbesKib();
      }
      Latencies time = Latencies.of(nanos);
      Arrays.sort(rss);
      Arrays.sort(afterProbes);
      boolean serves = set.program() != Program.IDLE_JVM;
      System.out.printf(
          Locale.ROOT,
          "%-25s %9s %9s %9s %9s %12.1f %12.1f %14s%n",
          set.name(),
          serves ? ms(time.p50()) : "-",
          serves ? ms(time.minMs()) : "-",
          serves ? ms(time.maxMs()) : "-",
          set.program() == Program.NODE_PLUGIN ? ms(Latencies.of(ready).p50()) : "-",
          rss[(rounds - 1) / 2] / 1024.0,
          rss[rounds - 1] / 1024.0,
          serves
              ? String.format(Locale.ROOT, "%.1f", afterProbes[(rounds - 1) / 2] / 1024.0)
              : "-");
    }
    System.out.println(
        "(ms, MiB, p50 of the Probes column too; goal: start <= 1000 ms, RSS <= 48 MiB; the floor"
            + " rows hold no plugin code)");
    for (Flags set : sets)
      System.out.printf(
          Locale.ROOT,
          "  %-25s %s%n",
          set.name(),
          set.shown().replace(archive.toString(), "node.jsa"));
    if (cds == null)
      System.out.println(
          "  (node.jsa: dumped by one start with -XX:ArchiveClassesAtExit, stopped after a Probe and three /healthz)");
    if (cds != null) System.out.println("  (no AppCDS row: " + cds + ")");
    System.out.println();
  }

  /** Until the plugin's Probe answers ready (its node id known), for up to 30 s. */
  private static void awaitReady(Path socket, Path log) throws InterruptedException {
    for (int i = 0; i < 1500; i++) {
      if (CsiSockets.probe(socket)) return;
      TimeUnit.MILLISECONDS.sleep(20);
    }
    throw new IllegalStateException("the node plugin never became ready; see " + log);
  }

  /** The kubelet's liveness probe: {@code GET /healthz}, a connection each, 200 expected. */
  private static void healthz(int port, Path log) throws IOException, InterruptedException {
    HttpResponse<Void> response =
        HEALTH_CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
            HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() != 200)
      throw new IllegalStateException(
          "/healthz answered " + response.statusCode() + "; see " + log);
  }

  private static String ms(double ms) {
    return String.format(Locale.ROOT, "%.0f", ms);
  }

  private List<String> command(Flags flags, Path socket, int healthPort) {
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(flags.flags());
    String jar = DriverProcess.jar().toString();
    switch (flags.program()) {
      case NODE_PLUGIN -> {
        // the jar the node image runs
        command.addAll(
            List.of(
                "-jar",
                DriverProcess.nodeJar().toString(),
                "node",
                "--endpoint=unix://" + socket,
                "--health-address=127.0.0.1:" + healthPort));
        command.addAll(bed.args());
      }
      case PROBE_ONLY ->
          command.addAll(
              List.of(
                  "-cp",
                  jar + ":" + floorClasses,
                  ProbeOnlyServer.class.getName(),
                  socket.toString()));
      case IDLE_JVM ->
          command.addAll(List.of("-cp", floorClasses.toString(), IdleJvm.class.getName()));
    }
    return command;
  }

  /**
   * The floor programs' class files alone in {@code dir}, so their rows open no jar but the
   * driver's (a jar's index is heap).
   */
  private static Path floorClasses(Path dir) throws IOException {
    for (Class<?> type :
        List.of(IdleJvm.class, ProbeOnlyServer.class, ProbeOnlyServer.Identity.class)) {
      String file = type.getName().replace('.', '/') + ".class";
      Path target = dir.resolve(file);
      Files.createDirectories(target.getParent());
      try (var in = NodeStartBench.class.getClassLoader().getResourceAsStream(file)) {
        Files.write(target, in.readAllBytes());
      }
    }
    return dir;
  }

  /** One start: time to the first Probe answered, then the RSS after idling; then stopped. */
  private Start once(Flags flags) throws Exception {
    int n = starts++;
    Path socket = dir.resolve("node-" + n + ".sock");
    Path log = dir.resolve("node-" + n + ".log");
    int healthPort = Os.freeLoopbackPort();
    var builder =
        new ProcessBuilder(command(flags, socket, healthPort))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(flags.env());
    long start = System.nanoTime();
    Process process = builder.start();
    var stop = teardown.add("stop node plugin " + process.pid(), () -> stop(process));
    try {
      if (flags.program() == Program.IDLE_JVM) {
        TimeUnit.MILLISECONDS.sleep(1_000 + IDLE_MS); // a start, then the same idle
        return new Start(Double.NaN, Double.NaN, Os.rssKib(process.pid()), 0);
      }
      waitForSocket(process, socket, log);
      boolean ready = CsiSockets.probe(socket); // answered; ready once the node id is known
      double ms = (System.nanoTime() - start) / 1e6;
      if (!ready) awaitReady(socket, log);
      double readyMs = (System.nanoTime() - start) / 1e6;
      TimeUnit.MILLISECONDS.sleep(IDLE_MS);
      long idle = Os.rssKib(process.pid());
      for (int i = 0; i < PROBES; i++) {
        if (flags.program() == Program.NODE_PLUGIN) healthz(healthPort, log);
        else CsiSockets.probe(socket); // the floor serves no /healthz
      }
      TimeUnit.MILLISECONDS.sleep(SETTLE_MS);
      return new Start(ms, readyMs, idle, Os.rssKib(process.pid()));
    } finally {
      stop.now();
    }
  }

  /**
   * Writes a dynamic AppCDS archive of the node plugin's start (JDK 13+: {@code
   * -XX:ArchiveClassesAtExit}); null when it worked, else why not.
   */
  private String dumpArchive(Flags flags, Path archive) throws Exception {
    Path socket = dir.resolve("dump.sock");
    Path log = dir.resolve("dump.log");
    Flags dumping = flags.plus("dump", "-XX:ArchiveClassesAtExit=" + archive);
    int healthPort = Os.freeLoopbackPort();
    var builder =
        new ProcessBuilder(command(dumping, socket, healthPort))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(flags.env());
    Process process = builder.start();
    var stop = teardown.add("stop node plugin " + process.pid(), () -> stop(process));
    try {
      waitForSocket(process, socket, log);
      awaitReady(socket, log); // /healthz answers 503 until the node id is known
      for (int i = 0; i < 3; i++) healthz(healthPort, log); // as the image's archive is trained
    } finally {
      stop.now();
    }
    return Files.isRegularFile(archive) ? null : "the JVM wrote no archive; see " + log;
  }

  private static void waitForSocket(Process process, Path socket, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(socket)) {
      if (!process.isAlive())
        throw new IllegalStateException("the node plugin exited: " + Files.readString(log));
      if (System.nanoTime() > deadline)
        throw new IllegalStateException("the node plugin opened no socket in 30 s; see " + log);
      TimeUnit.MILLISECONDS.sleep(2);
    }
  }

  /** SIGTERM (the plugin closes its server and exits), then SIGKILL after 15 s. */
  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
