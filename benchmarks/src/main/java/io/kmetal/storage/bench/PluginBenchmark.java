package io.kmetal.storage.bench;

import com.pulumi.provider.internal.models.ConstructRequest;
import com.pulumi.provider.internal.properties.PropertyValue;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.kmetal.storage.TenantStorage;
import io.kmetal.storage.provider.KmetalProvider;
import io.kmetal.storage.testbed.Sandbox;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import pulumirpc.Provider.GetSchemaRequest;
import pulumirpc.ResourceProviderGrpc;

/**
 * The plugin's two costs a Pulumi user feels ({@code ./kmetal bench plugin [rounds]}):
 *
 * <ul>
 *   <li>cold start: from starting the packaged plugin to the first {@code GetSchema} answered over
 *       gRPC, as shipped (the launcher's JVM flags) vs. the JVM's defaults on the same jar;
 *   <li>{@code Construct} of a {@code TenantStorage} with 2 clusters after warm-up: inputs mapped,
 *       validated, rendered and every child registered, against mocks that answer at once (so the
 *       figure is the plugin's own work, not the engine's or the API servers').
 * </ul>
 */
public final class PluginBenchmark {
  private PluginBenchmark() {}

  /** The launcher's JVM flags; see {@code provider/src/plugin/pulumi-resource-kmetal-storage}. */
  private static final List<String> LAUNCHER_FLAGS =
      List.of(
          "-XX:+UseSerialGC",
          "-Xss512k",
          "-Djava.util.concurrent.ForkJoinPool.common.parallelism=4");

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("--construct")) {
      constructLatency(Integer.parseInt(args[1]));
      return;
    }
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    Path plugin = Sandbox.projectRoot().resolve("provider/target/plugin");
    Path launcher = plugin.resolve("pulumi-resource-kmetal-storage");
    if (!Files.isExecutable(launcher))
      throw new IllegalStateException(launcher + " is missing: build it with ./kmetal plugin");
    String jar = plugin.resolve("kmetal-storage-provider.jar").toString();

    System.out.println("plugin cold start to first GetSchema answered (" + rounds + " rounds)");
    System.out.printf(Locale.ROOT, "%-34s %10s %10s %10s%n", "", "median ms", "min ms", "max ms");
    double shippedStart =
        coldStart("as shipped (launcher flags)", List.of(launcher.toString()), rounds);
    double defaults = coldStart("JVM defaults, same jar", List.of("java", "-jar", jar), rounds);
    System.out.printf(
        Locale.ROOT, "%-34s %9.2fx%n%n", "shipped / defaults", shippedStart / defaults);

    // Construct in fresh JVMs (the shaded benchmark jar), once as shipped and once with the JVM's
    // defaults: on 2 cores the common pool has parallelism 1, so every CompletableFuture.runAsync
    // of pulumi-java's deployment loop starts a new thread.
    String count = Integer.toString(Math.max(rounds * 30, 200));
    String benchJar = Sandbox.projectRoot().resolve("benchmarks/target/fleet-bench.jar").toString();
    String main = PluginBenchmark.class.getName();
    System.out.println(
        "Construct of a TenantStorage with 2 clusters ("
            + count
            + " after as many warm-up; mocks answer at once)");
    System.out.printf(
        Locale.ROOT,
        "%-34s %10s %10s %12s %10s%n",
        "",
        "p50 ms",
        "p99 ms",
        "amortized ms",
        "resources");
    List<String> shipped = new ArrayList<>(List.of("java"));
    shipped.addAll(LAUNCHER_FLAGS);
    shipped.addAll(List.of("-cp", benchJar, main, "--construct", count));
    child("as shipped (launcher flags)", shipped);
    child("JVM defaults", List.of("java", "-cp", benchJar, main, "--construct", count));
  }

  private static void child(String label, List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0) throw new IllegalStateException(command + " failed: " + line);
    String[] f = line.split(" ");
    System.out.printf(Locale.ROOT, "%-34s %10s %10s %12s %10s%n", label, f[0], f[1], f[2], f[3]);
  }

  private static double coldStart(String label, List<String> command, int rounds) throws Exception {
    double[] ms = new double[rounds];
    for (int r = 0; r < rounds; r++) ms[r] = oneColdStart(command);
    Arrays.sort(ms);
    double median = ms[rounds / 2];
    System.out.printf(
        Locale.ROOT, "%-34s %10.0f %10.0f %10.0f%n", label, median, ms[0], ms[rounds - 1]);
    return median;
  }

  private static double oneColdStart(List<String> command) throws Exception {
    List<String> full = new ArrayList<>(command);
    full.add("127.0.0.1:1"); // the engine address: not dialled before a Construct
    long start = System.nanoTime();
    Process p = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      var stdout =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String port = stdout.readLine();
      if (port == null) throw new IllegalStateException(full + " printed no port");
      ManagedChannel channel =
          Grpc.newChannelBuilder("127.0.0.1:" + port.strip(), InsecureChannelCredentials.create())
              .build();
      try {
        String schema =
            ResourceProviderGrpc.newBlockingStub(channel)
                .getSchema(GetSchemaRequest.newBuilder().build())
                .getSchema();
        if (!schema.contains("kmetal-storage:index:TenantStorage"))
          throw new IllegalStateException("unexpected schema");
        return (System.nanoTime() - start) / 1e6;
      } finally {
        channel.shutdownNow();
      }
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  private static void constructLatency(int count) {
    Map<String, PropertyValue> inputs = tenantWithTwoClusters();
    KmetalProvider provider = new KmetalProvider();
    Mocks instant =
        args ->
            CompletableFuture.completedFuture(
                Mocks.ResourceResult.of(Optional.of(args.name + "-id"), args.inputs));
    runConstructs(provider, instant, inputs, count, new double[count]); // warm-up
    double[] ms = new double[count];
    long start = System.nanoTime();
    int children = runConstructs(provider, instant, inputs, count, ms);
    double amortized = (System.nanoTime() - start) / 1e6 / count;
    Arrays.sort(ms);
    // one line for the parent: p50, p99, amortized, resources per construct
    System.out.printf(
        Locale.ROOT,
        "%.2f %.2f %.2f %d%n",
        ms[count / 2],
        ms[(int) Math.floor(count * 0.99)],
        amortized,
        children);
  }

  /** Constructs {@code count} tenants in one program; returns the resources each registered. */
  private static int runConstructs(
      KmetalProvider provider,
      Mocks mocks,
      Map<String, PropertyValue> inputs,
      int count,
      double[] ms) {
    int[] registered = new int[1];
    Mocks counting =
        args -> {
          synchronized (registered) {
            registered[0]++;
          }
          return mocks.newResourceAsync(args);
        };
    var result =
        PulumiTest.withMocks(counting)
            .runTest(
                ctx -> {
                  for (int i = 0; i < count; i++) {
                    long t = System.nanoTime();
                    provider.construct(
                        new ConstructRequest(
                            TenantStorage.TYPE, "t" + i, inputs, ComponentResourceOptions.Empty));
                    ms[i] = (System.nanoTime() - t) / 1e6;
                  }
                });
    PulumiTest.cleanup();
    if (result.exitCode() != 0) throw new IllegalStateException(String.join("\n", result.errors()));
    return registered[0] / count;
  }

  private static Map<String, PropertyValue> tenantWithTwoClusters() {
    String kubeconfig = "apiVersion: v1\nkind: Config\n";
    List<PropertyValue> clusters = new ArrayList<>();
    for (String name : List.of("prod", "dev")) {
      clusters.add(
          PropertyValue.of(
              Map.of(
                  "name",
                  PropertyValue.of(name),
                  "kubeconfig",
                  PropertyValue.ofSecret(PropertyValue.of(kubeconfig)))));
    }
    return Map.of(
        "name", PropertyValue.of("bench"),
        "storageQuota", PropertyValue.of("100Gi"),
        "clusters", PropertyValue.of(clusters));
  }
}
