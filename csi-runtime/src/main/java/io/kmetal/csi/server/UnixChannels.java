package io.kmetal.csi.server;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;

/**
 * A gRPC channel to a CSI socket, dialled as the sidecars and kubelet dial it (epoll, plaintext).
 */
public final class UnixChannels {
  private UnixChannels() {}

  public static ManagedChannel open(Path socket, EventLoopGroup group) {
    return NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toFile()))
        .channelType(EpollDomainSocketChannel.class)
        .eventLoopGroup(group)
        .usePlaintext()
        // gRPC sets TCP keepalive on every channel; a Unix socket has none, and Netty logs a
        // warning for each connection that asks (a null value takes the option away)
        .withOption(ChannelOption.SO_KEEPALIVE, null)
        .build();
  }
}
