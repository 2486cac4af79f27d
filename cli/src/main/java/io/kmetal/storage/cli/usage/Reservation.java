package io.kmetal.storage.cli.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tenant claim the quota webhook admitted, from its ledger (the ConfigMap {@code
 * kmetal-webhook-ledger} in the tenant's namespace): {@code <key>: <bytes> <expires epoch s>
 * <cluster> <namespace/name>}. The webhook counts it as pending until the under-cluster claim
 * {@code pvc-<key>} exists at {@code bytes}, or it expires.
 *
 * @param key the tenant claim's uid (or {@code <cluster>.<namespace>.<name>} when the review had
 *     none)
 * @param claim the tenant claim, {@code namespace/name} in tenant cluster {@code cluster}
 * @param bytes the under-cluster claim size the admission allowed for
 */
public record Reservation(String key, String cluster, String claim, long bytes, Instant expires) {
  /** The ledger's keys of the room a webhook replica holds; not a claim. */
  static final String GRANT = "_grant.";

  /** The ledger's keys of admitted snapshots: they count snapshots, neither bytes nor claims. */
  static final String SNAPSHOT = "snapshot-";

  /** The under-cluster claim the driver makes for this tenant claim. */
  public String underClaim() {
    return "pvc-" + key;
  }

  /**
   * The claim reservations a ledger ConfigMap's data holds, by key; grants, snapshots and entries
   * it cannot read are left out (the webhook drops unreadable entries too).
   */
  public static List<Reservation> fromLedger(Map<String, String> data) {
    List<Reservation> out = new ArrayList<>();
    if (data == null) return out;
    new TreeMap<>(data)
        .forEach(
            (key, value) -> {
              if (key.startsWith(GRANT) || key.startsWith(SNAPSHOT) || value == null) return;
              String[] f = value.split(" ", 4);
              if (f.length < 4) return;
              try {
                out.add(
                    new Reservation(
                        key,
                        f[2],
                        f[3],
                        Long.parseLong(f[0]),
                        Instant.ofEpochSecond(Long.parseLong(f[1]))));
              } catch (RuntimeException unreadable) {
                // written by a newer or broken replica: the webhook does not count it either
              }
            });
    return out;
  }
}
