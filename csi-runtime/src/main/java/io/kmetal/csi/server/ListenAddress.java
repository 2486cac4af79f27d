package io.kmetal.csi.server;

import java.net.InetSocketAddress;

/**
 * A {@code [HOST]:PORT} flag value such as {@code :9808} (every address) or {@code 127.0.0.1:9808}.
 */
public record ListenAddress(String host, int port) {
  /** Parses {@code value}; a bad one names {@code flag} and the expected form. */
  public static ListenAddress parse(String flag, String value) {
    int colon = value.lastIndexOf(':');
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (colon < 0 || port < 0 || port > 65535) throw new NumberFormatException(value);
      return new ListenAddress(colon > 0 ? value.substring(0, colon) : null, port);
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException(flag + " " + value + ": want [HOST]:PORT, e.g. :9808");
    }
  }

  public InetSocketAddress socketAddress() {
    return host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }
}
