package io.kmetal.csi.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server on the driver's Unix socket (grpc-netty-shaded's epoll transport). A socket file
 * left by a previous run is replaced; {@link #close()} drains calls in flight for up to the grace
 * period, then cancels the rest and removes the socket.
 */
public final class CsiServer implements AutoCloseable {
  private final Endpoint endpoint;
  private final Server server;
  private final EventLoopGroup boss = new EpollEventLoopGroup(1);
  private final EventLoopGroup workers = new EpollEventLoopGroup(2);

  private CsiServer(Endpoint endpoint, List<BindableService> services) {
    this.endpoint = endpoint;
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new DomainSocketAddress(endpoint.socket().toFile()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers);
    services.forEach(builder::addService);
    this.server = builder.build();
  }

  /** Binds the socket and serves {@code services} until {@link #close()}. */
  public static CsiServer start(Endpoint endpoint, List<BindableService> services)
      throws IOException {
    Files.createDirectories(endpoint.socket().getParent());
    Files.deleteIfExists(endpoint.socket());
    CsiServer server = new CsiServer(endpoint, services);
    server.server.start();
    return server;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() throws IOException {
    server.shutdown();
    try {
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      Files.deleteIfExists(endpoint.socket());
    }
  }
}
