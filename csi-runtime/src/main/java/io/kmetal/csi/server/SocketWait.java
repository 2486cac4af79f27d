package io.kmetal.csi.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The controller pod's {@code postStart} hook on the driver container: returns once the driver's
 * socket is in place, which {@link CsiServer} does only when the driver answers warm. The kubelet
 * starts a pod's containers in order, each after the hook of the one before has returned, so the
 * sidecars behind the driver meet a driver that already answers. Uses nothing but the JDK, so the
 * hook's own JVM starts in a fraction of a second.
 */
public final class SocketWait {
  private static final Duration POLL = Duration.ofMillis(100);

  private SocketWait() {}

  /** {@code SocketWait <socket> <seconds>}: exit 0 once it exists, 1 when the time is up. */
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: SocketWait <socket path> <seconds>");
      System.exit(2);
    }
    Path socket = Path.of(args[0]);
    Duration limit = Duration.ofSeconds(Long.parseLong(args[1]));
    if (!await(socket, limit)) {
      System.err.println(socket + " did not appear within " + limit.toSeconds() + " s");
      System.exit(1);
    }
  }

  /** Whether {@code socket} exists within {@code limit}. */
  static boolean await(Path socket, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!Files.exists(socket)) {
      if (System.nanoTime() - deadline >= 0) return false;
      Thread.sleep(POLL.toMillis());
    }
    return true;
  }
}
