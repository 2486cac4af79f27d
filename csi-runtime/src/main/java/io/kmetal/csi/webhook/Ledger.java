package io.kmetal.csi.webhook;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every replica of the tenant's webhook (and the next process) must count, as a ConfigMap in
 * the tenant's under-cluster namespace: one entry per admitted claim not yet provisioned, {@code
 * <uid>: <bytes> <expires epoch s> <cluster> <namespace/name>}, and per replica the room it holds,
 * {@code _grant.<replica>: <bytes> <expires epoch s>}. Written only with the resourceVersion it was
 * read at, which serializes the replicas' decisions.
 *
 * @param resourceVersion null while the ConfigMap does not exist
 */
record Ledger(
    String resourceVersion, Map<String, Reservation> reservations, Map<String, Grant> grants) {
  static final String GRANT = "_grant.";
  static final Ledger EMPTY = new Ledger(null, Map.of(), Map.of());

  Ledger {
    reservations = Map.copyOf(reservations);
    grants = Map.copyOf(grants);
  }

  /**
   * The ledger a ConfigMap's {@code data} holds at {@code resourceVersion}; entries it cannot read
   * are dropped (they only ever expire).
   */
  static Ledger of(String resourceVersion, Map<String, String> data) {
    Map<String, Reservation> reservations = new TreeMap<>();
    Map<String, Grant> grants = new TreeMap<>();
    data.forEach(
        (key, value) -> {
          String[] f = value.split(" ", 4);
          try {
            long bytes = Long.parseLong(f[0]);
            Instant expires = Instant.ofEpochSecond(Long.parseLong(f[1]));
            if (key.startsWith(GRANT)) {
              long volumes = f.length > 2 ? Long.parseLong(f[2]) : 0;
              grants.put(
                  key.substring(GRANT.length()), new Grant(new Amount(bytes, volumes), expires));
            } else reservations.put(key, new Reservation(f[2], f[3], bytes, expires));
          } catch (RuntimeException unreadable) {
            // written by a newer or broken replica: not counted, gone at the next write
          }
        });
    return new Ledger(resourceVersion, reservations, grants);
  }

  /** The room other replicas hold now. */
  Amount grantedToOthers(String replica, Instant now) {
    Amount sum = Amount.NONE;
    for (var e : grants.entrySet())
      if (!e.getKey().equals(replica) && e.getValue().live(now))
        sum = sum.plus(e.getValue().room());
    return sum;
  }

  /** The ConfigMap's {@code data} for {@code reservations} and {@code grants}. */
  static Map<String, String> data(
      Map<String, Reservation> reservations, Map<String, Grant> grants) {
    Map<String, String> data = new TreeMap<>();
    reservations.forEach(
        (key, r) ->
            data.put(
                key,
                r.bytes()
                    + " "
                    + r.expires().getEpochSecond()
                    + " "
                    + r.cluster()
                    + " "
                    + r.claim()));
    grants.forEach(
        (replica, g) ->
            data.put(
                GRANT + replica,
                g.room().bytes() + " " + g.expires().getEpochSecond() + " " + g.room().volumes()));
    return data;
  }

  /** The ConfigMap {@code name} of {@code namespace} holding {@code data}, at this version. */
  Map<String, Object> configMap(String namespace, String name, Map<String, String> data) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    if (resourceVersion != null) metadata.put("resourceVersion", resourceVersion);
    metadata.put(
        "labels",
        Map.of(
            "app.kubernetes.io/name", "kmetal-webhook",
            "app.kubernetes.io/component", "quota-ledger"));
    return Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", metadata, "data", data);
  }
}
