package io.kmetal.storage.bench.csi;

import java.util.Arrays;
import java.util.List;

/**
 * Sorted latencies of one measured series, in nanoseconds, with the wall time the series took (for
 * requests per second). Percentiles are nearest-rank.
 */
public record Latencies(long[] nanos, long wallNanos) {
  public Latencies {
    nanos = nanos.clone();
    Arrays.sort(nanos);
  }

  public static Latencies of(long[] nanos) {
    return new Latencies(nanos, Arrays.stream(nanos).sum());
  }

  /** Several series as one: every latency, and the wall time they took together. */
  public static Latencies merge(List<Latencies> series) {
    long[] nanos = series.stream().flatMapToLong(l -> Arrays.stream(l.nanos)).toArray();
    return new Latencies(nanos, series.stream().mapToLong(Latencies::wallNanos).sum());
  }

  /** The {@code p}-th percentile (0 < p ≤ 100) in milliseconds. */
  public double percentileMs(double p) {
    int rank = (int) Math.ceil(p / 100 * nanos.length);
    return nanos[Math.max(0, Math.min(nanos.length, rank) - 1)] / 1e6;
  }

  public double p50() {
    return percentileMs(50);
  }

  public double p99() {
    return percentileMs(99);
  }

  public double maxMs() {
    return nanos[nanos.length - 1] / 1e6;
  }

  public double minMs() {
    return nanos[0] / 1e6;
  }

  public double perSecond() {
    return nanos.length / (wallNanos / 1e9);
  }

  public int count() {
    return nanos.length;
  }
}
