package io.kmetal.csi.webhook;

import java.util.Map;

/** The tenant's under-cluster namespace as the webhook sees it. */
interface UnderCluster extends AutoCloseable {
  /** The quota and the claims, from a watch-fed cache (no request per review). */
  Usage usage();

  /** The ledger as last read or written here. */
  Ledger ledger();

  /** The ledger read afresh, after another replica wrote it. */
  Ledger reload();

  /**
   * Stores these reservations and grants if the ledger is still at {@code current}'s
   * resourceVersion.
   *
   * @return the ledger as written
   * @throws Conflict when another replica wrote it meanwhile
   */
  Ledger write(Ledger current, Map<String, Reservation> reservations, Map<String, Grant> grants)
      throws Conflict;

  /** Calls {@code listener} whenever a claim in the namespace is added, changed or deleted. */
  void onClaimsChanged(Runnable listener);

  /** Whether the caches are filled and the ledger read. */
  boolean ready();

  @Override
  void close();

  /** The ledger changed since it was read. */
  final class Conflict extends Exception {
    Conflict(String message) {
      super(message, null, false, false);
    }
  }
}
