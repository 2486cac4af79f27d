package io.kmetal.csi.server;

import java.nio.file.Path;

/**
 * Where the driver listens: {@code unix:///csi/csi.sock} (the form the sidecars and kubelet use) or
 * a plain absolute path.
 */
public record Endpoint(Path socket) {
  public static Endpoint parse(String endpoint) {
    String path =
        endpoint.startsWith("unix://") ? endpoint.substring("unix://".length()) : endpoint;
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(
          "--endpoint must be unix:///absolute/path.sock (got \"" + endpoint + "\")");
    }
    return new Endpoint(Path.of(path));
  }

  @Override
  public String toString() {
    return "unix://" + socket;
  }
}
