package io.kmetal.storage.bench.csi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The driver's own time per call, as its log line ({@code call method=… code=OK ms=…}) has it: the
 * handler's work, without the socket, gRPC and the wait for a thread on either side.
 */
final class DriverLog {
  private DriverLog() {}

  /** The median of the last {@code count} successful {@code method} calls in {@code log}, in ms. */
  static double ownP50(Path log, String method, int count) throws IOException {
    double[] ms =
        Files.readAllLines(log).stream()
            .filter(l -> l.contains("method=" + method + " ") && l.contains("code=OK"))
            .map(l -> l.substring(l.indexOf(" ms=") + 4).strip())
            .mapToDouble(Double::parseDouble)
            .toArray();
    double[] last = Arrays.copyOfRange(ms, Math.max(0, ms.length - count), ms.length);
    Arrays.sort(last);
    return last.length == 0 ? Double.NaN : last[(last.length - 1) / 2];
  }
}
