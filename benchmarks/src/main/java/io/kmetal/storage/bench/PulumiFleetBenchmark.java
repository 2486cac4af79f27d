package io.kmetal.storage.bench;

import io.kmetal.storage.testbed.PulumiCli;
import io.kmetal.storage.testbed.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code pulumi preview} and {@code pulumi up} of an N-tenant fleet (default 20) through the
 * components vs. the same objects declared directly, in one run, against the running sandbox
 * ({@code ./kmetal bench pulumi [tenants] [rounds]}). Each round creates a fresh stack per mode,
 * previews, ups and destroys it; the table shows medians and the components/direct ratio.
 */
public final class PulumiFleetBenchmark {
  private PulumiFleetBenchmark() {}

  public static void main(String[] args) throws IOException {
    int tenants = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    Sandbox sandbox = Sandbox.running();
    Path program = Sandbox.projectRoot().resolve("benchmarks");
    Map<String, double[]> preview = new LinkedHashMap<>();
    Map<String, double[]> up = new LinkedHashMap<>();
    for (String mode : new String[] {"direct", "components"}) {
      preview.put(mode, new double[rounds]);
      up.put(mode, new double[rounds]);
    }
    for (int r = 0; r < rounds; r++) {
      for (String mode : preview.keySet()) {
        PulumiCli pulumi = new PulumiCli(program, Files.createTempDirectory("bench-" + mode + "-"));
        pulumi.run("stack", "init", mode).requireSuccess("stack init");
        pulumi.run("config", "set", "mode", mode).requireSuccess("config");
        pulumi.run("config", "set", "tenants", Integer.toString(tenants)).requireSuccess("config");
        pulumi
            .run("config", "set", "underKubeconfig", sandbox.under().kubeconfig().toString())
            .requireSuccess("config");
        pulumi
            .run(
                "config",
                "set",
                "tenantKubeconfig",
                sandbox.tenant("alpha", "alpha-prod").kubeconfig().toString())
            .requireSuccess("config");
        preview.get(mode)[r] =
            seconds(() -> pulumi.run("preview").requireSuccess("preview " + mode));
        up.get(mode)[r] =
            seconds(() -> pulumi.run("up", "--yes", "--skip-preview").requireSuccess("up " + mode));
        pulumi.run("destroy", "--yes", "--skip-preview").requireSuccess("destroy " + mode);
        System.out.printf(
            Locale.ROOT,
            "round %d %-10s preview %6.1f s  up %6.1f s%n",
            r + 1,
            mode,
            preview.get(mode)[r],
            up.get(mode)[r]);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%n%d tenants (%d objects each side), median of %d round(s)%n",
        tenants,
        objects(tenants),
        rounds);
    System.out.printf(Locale.ROOT, "%-12s %12s %12s%n", "", "preview s", "up s");
    for (String mode : preview.keySet()) {
      System.out.printf(
          Locale.ROOT,
          "%-12s %12.1f %12.1f%n",
          mode,
          median(preview.get(mode)),
          median(up.get(mode)));
    }
    System.out.printf(
        Locale.ROOT,
        "%-12s %11.2fx %11.2fx%n",
        "comp/direct",
        median(preview.get("components")) / median(preview.get("direct")),
        median(up.get("components")) / median(up.get("direct")));
  }

  private static int objects(int tenants) {
    return FleetProgram.tenants(tenants).stream()
        .mapToInt(t -> io.kmetal.storage.internal.render.TenantStorageRenderer.render(t).size())
        .sum();
  }

  private static double seconds(Runnable work) {
    long start = System.nanoTime();
    work.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(double[] values) {
    double[] copy = values.clone();
    java.util.Arrays.sort(copy);
    return copy[copy.length / 2];
  }
}
