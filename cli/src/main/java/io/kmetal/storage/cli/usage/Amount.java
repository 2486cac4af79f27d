package io.kmetal.storage.cli.usage;

/** Quota counted both ways a tenant is capped: bytes of claims and a number of claims. */
public record Amount(long bytes, long volumes) {
  public static final Amount NONE = new Amount(0, 0);

  public Amount plus(Amount other) {
    return new Amount(bytes + other.bytes, volumes + other.volumes);
  }
}
