package io.kmetal.storage.cli.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tenant namespaces in memory, and the fleet the usage tests share: three tenants with two tenant
 * clusters each, admissions pending, one claim provisioned after its admission, a quota without
 * status, one over-committed.
 */
public final class HeldNamespaces implements UnderNamespaces {
  static final long MI = 1L << 20;
  static final long GI = 1L << 30;
  public static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  static final String CLASS = "tenant-storage-class";
  static final String CLUSTER_LABEL = "csi.kubevirt.io/tenant-cluster";

  final List<Quota> quotas = new ArrayList<>();
  final Map<String, TenantNamespace> namespaces = new LinkedHashMap<>();
  final List<String> read = new ArrayList<>();

  @Override
  public List<Quota> quotas() {
    return List.copyOf(quotas);
  }

  @Override
  public TenantNamespace read(String namespace) {
    read.add(namespace);
    return namespaces.getOrDefault(namespace, new TenantNamespace(List.of(), Map.of(), List.of()));
  }

  static UnderClaim claim(String name, long bytes, Map<String, String> labels) {
    return new UnderClaim(name, CLASS, bytes, "Bound", labels);
  }

  static Reservation admitted(String uid, String cluster, String claim, long bytes) {
    return new Reservation(uid, cluster, claim, bytes, NOW.plusSeconds(300));
  }

  /** The fleet the tests share. */
  public static HeldNamespaces fleet() {
    HeldNamespaces held = new HeldNamespaces();
    // acme: acme-prod with the default label, acme-dev with labels of its own
    held.quotas.add(
        new Quota("acme", "acme", "acme-storage", CLASS, 10 * GI, 10L, new Amount(29 * GI / 4, 5)));
    held.namespaces.put(
        "acme",
        new TenantNamespace(
            List.of(
                claim("pvc-p1", 2 * GI, Map.of(CLUSTER_LABEL, "acme-prod")),
                claim("pvc-d1", GI, Map.of("team", "dev", "env", "dev", "other", "x")),
                // provisioned after its admission: counted once, as used
                claim("pvc-u1", GI, Map.of(CLUSTER_LABEL, "acme-prod")),
                // grown by a pending resize from 256Mi to 512Mi
                claim("pvc-d2", 256 * MI, Map.of("team", "dev", "env", "dev")),
                // a worker's disk on the same class: the quota counts it, no cluster marks it
                claim("vm-disk", 3 * GI, Map.of()),
                new UnderClaim("pvc-elsewhere", "local-path", 50 * GI, "Bound", Map.of())),
            Map.of(
                "acme-prod", Map.of(CLUSTER_LABEL, "acme-prod"),
                "acme-dev", Map.of("team", "dev", "env", "dev")),
            List.of(
                admitted("p2", "acme-prod", "default/db", GI),
                admitted("u1", "acme-prod", "default/logs", GI),
                admitted("d2", "acme-dev", "web/cache", 512 * MI),
                new Reservation("gone", "acme-dev", "web/old", GI, NOW.minusSeconds(1)))));
    // globex: the quota controller has not filled the status yet
    held.quotas.add(new Quota("globex", "globex-ns", "globex-storage", CLASS, 5 * GI, 20L, null));
    held.namespaces.put(
        "globex-ns",
        new TenantNamespace(
            List.of(claim("pvc-a1", 2 * GI, Map.of(CLUSTER_LABEL, "globex-a"))),
            Map.of(
                "globex-a", Map.of(CLUSTER_LABEL, "globex-a"),
                "globex-b", Map.of(CLUSTER_LABEL, "globex-b")),
            List.of(admitted("b1", "globex-b", "default/data", GI))));
    // initech: the quota was lowered below what its claims hold, and its status lags
    held.quotas.add(
        new Quota("initech", "initech", "initech-storage", CLASS, GI, null, new Amount(0, 0)));
    held.namespaces.put(
        "initech",
        new TenantNamespace(
            List.of(
                claim("pvc-i1", GI, Map.of(CLUSTER_LABEL, "initech-1")),
                claim("pvc-i2", GI, Map.of(CLUSTER_LABEL, "initech-2"))),
            Map.of(
                "initech-1", Map.of(CLUSTER_LABEL, "initech-1"),
                "initech-2", Map.of(CLUSTER_LABEL, "initech-2")),
            List.of()));
    return held;
  }
}
