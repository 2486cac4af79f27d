package io.kmetal.csi.webhook;

import java.time.Instant;

/**
 * Room in the tenant's quota a replica of the webhook holds in the ledger and may hand out to
 * claims on its own, without a write per admission; every other replica counts it as used until it
 * is returned or {@code expires}. The holder writes what it admitted from it at least every second.
 */
record Grant(Amount room, Instant expires) {
  static final Grant NONE = new Grant(Amount.NONE, Instant.EPOCH);

  boolean live(Instant now) {
    return !room.isNone() && now.isBefore(expires);
  }
}
