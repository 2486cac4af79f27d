package io.kmetal.storage.bench.csi;

import csi.v1.Csi.ProbeRequest;
import csi.v1.IdentityGrpc;
import io.grpc.ManagedChannel;
import io.kmetal.csi.server.UnixChannels;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The benchmarks' calls on a driver's socket ({@link UnixChannels}) that every part makes. */
public final class CsiSockets {
  private CsiSockets() {}

  /** One Probe on a new connection: whether the driver says it is ready. */
  public static boolean probe(Path socket) {
    ManagedChannel channel = UnixChannels.open(socket);
    try {
      return IdentityGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .probe(ProbeRequest.getDefaultInstance())
          .getReady()
          .getValue();
    } finally {
      close(channel);
    }
  }

  public static void close(ManagedChannel channel) {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
