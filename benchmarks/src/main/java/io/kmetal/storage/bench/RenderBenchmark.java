package io.kmetal.storage.bench;

import io.kmetal.storage.internal.render.FleetRenderer;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.internal.render.ManifestWriter;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.TenantClusterSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Validate + render cost per tenant (2 clusters each) at 1, 100 and 1,000 tenants, and the same
 * plus YAML serialization. Prints a table with the per-tenant cost relative to the 1-tenant fleet,
 * so growth that is not linear shows as a ratio well above 1. Run: {@code ./kmetal bench render}.
 */
public final class RenderBenchmark {
  private static final int[] SIZES = {1, 100, 1000};

  private RenderBenchmark() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    // Warm up until the JIT has compiled the builders and the YAML writer: 10,000 tenants' worth.
    Fleet warmUp = fleet(SIZES[SIZES.length - 1]);
    for (int i = 0; i < 10; i++) measure(warmUp, 1, i % 2 == 0);
    System.out.println("render + validate, tenants x 2 clusters (median of " + rounds + " rounds)");
    System.out.printf(
        Locale.ROOT,
        "%-9s %9s %12s %14s %10s %16s%n",
        "tenants",
        "objects",
        "total ms",
        "ms per tenant",
        "vs 1",
        "+YAML ms/tenant");
    double base = 0;
    for (int size : SIZES) {
      Fleet fleet = fleet(size);
      double render = measure(fleet, rounds, false);
      double withYaml = measure(fleet, Math.max(3, rounds / 3), true);
      int objects = FleetRenderer.render(fleet).size();
      double perTenant = render / size;
      if (size == 1) base = perTenant;
      System.out.printf(
          Locale.ROOT,
          "%-9d %9d %12.3f %14.4f %9.2fx %16.4f%n",
          size,
          objects,
          render,
          perTenant,
          perTenant / base,
          withYaml / size);
    }
  }

  /** Median wall time in ms of validating and rendering the fleet (and writing YAML text). */
  static double measure(Fleet fleet, int rounds, boolean yaml) {
    double[] ms = new double[rounds];
    long sink = 0;
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      List<Manifest> manifests = FleetRenderer.render(fleet);
      sink += yaml ? ManifestWriter.files(manifests).size() : manifests.size();
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    if (sink == 42) System.out.print(""); // keep the work observable
    Arrays.sort(ms);
    return ms[rounds / 2];
  }

  static Fleet fleet(int tenants) {
    List<TenantStorageSpec> list = new ArrayList<>();
    for (int i = 0; i < tenants; i++) {
      String name = "tenant-" + i;
      list.add(
          new TenantStorageSpec(
              name,
              name,
              null,
              "100Gi",
              null,
              null,
              null,
              null,
              null,
              List.of(
                  new TenantClusterSpec(name + "-prod", null, null),
                  new TenantClusterSpec(name + "-dev", null, null)),
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null));
    }
    return new Fleet(List.of(), list, List.of());
  }
}
