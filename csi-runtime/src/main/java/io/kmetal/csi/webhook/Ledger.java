package io.kmetal.csi.webhook;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reservations of one tenant as a ConfigMap in its under-cluster namespace, so every replica of
 * the webhook (and the next process) counts the same admitted claims: one entry per claim, {@code
 * <uid>: <bytes> <expires epoch s> <cluster> <namespace/name>}. Written only with the
 * resourceVersion it was read at, which serializes decisions across replicas.
 *
 * @param resourceVersion null while the ConfigMap does not exist
 */
record Ledger(String resourceVersion, Map<String, Reservation> reservations) {
  Ledger {
    reservations = Map.copyOf(reservations);
  }

  static final Ledger EMPTY = new Ledger(null, Map.of());

  /** The ledger a ConfigMap holds; entries it cannot read are dropped (they only ever expire). */
  static Ledger of(ConfigMap map) {
    if (map == null) return EMPTY;
    Map<String, Reservation> out = new TreeMap<>();
    if (map.getData() != null)
      map.getData()
          .forEach(
              (key, value) -> {
                String[] f = value.split(" ", 4);
                try {
                  out.put(
                      key,
                      new Reservation(
                          f[2],
                          f[3],
                          Long.parseLong(f[0]),
                          Instant.ofEpochSecond(Long.parseLong(f[1]))));
                } catch (RuntimeException unreadable) {
                  // written by a newer or broken replica: not counted, gone at the next write
                }
              });
    return new Ledger(map.getMetadata().getResourceVersion(), out);
  }

  ConfigMap toConfigMap(String namespace, String name, Map<String, Reservation> next) {
    Map<String, String> data = new TreeMap<>();
    next.forEach(
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
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withResourceVersion(resourceVersion)
        .addToLabels("app.kubernetes.io/name", "kmetal-webhook")
        .addToLabels("app.kubernetes.io/component", "quota-ledger")
        .endMetadata()
        .withData(data)
        .build();
  }
}
