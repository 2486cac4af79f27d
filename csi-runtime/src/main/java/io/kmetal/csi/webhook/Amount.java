package io.kmetal.csi.webhook;

/**
 * Quota counted both ways the tenant is capped: bytes of claims ({@code requests.storage}) and a
 * number of claims ({@code persistentvolumeclaims}, the tenant's {@code maxVolumes}). Sums saturate
 * at {@link Long#MAX_VALUE}, which stands for "no limit".
 */
record Amount(long bytes, long volumes) {
  static final Amount NONE = new Amount(0, 0);
  static final Amount UNLIMITED = new Amount(Long.MAX_VALUE, Long.MAX_VALUE);

  Amount plus(Amount other) {
    return new Amount(add(bytes, other.bytes), add(volumes, other.volumes));
  }

  /** Whether this much room covers {@code need} on both counts. */
  boolean covers(Amount need) {
    return need.bytes <= bytes && need.volumes <= volumes;
  }

  boolean isNone() {
    return bytes == 0 && volumes == 0;
  }

  private static long add(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
