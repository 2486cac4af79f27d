package io.kmetal.storage.bench.csi;

import csi.v1.Csi.ProbeRequest;
import csi.v1.IdentityGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.kmetal.csi.server.UnixChannels;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * gRPC channels to a driver's Unix socket, as the sidecars and kubelet dial it (grpc-netty-shaded's
 * epoll transport), sharing one event loop.
 */
public final class CsiSockets implements AutoCloseable {
  private final EventLoopGroup group = new EpollEventLoopGroup(2);

  public ManagedChannel open(Path socket) {
    return UnixChannels.open(socket, group);
  }

  /** One Probe on a new connection: whether the driver says it is ready. */
  public boolean probe(Path socket) {
    ManagedChannel channel = open(socket);
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

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
