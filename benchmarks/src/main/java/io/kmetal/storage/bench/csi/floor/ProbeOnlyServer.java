package io.kmetal.storage.bench.csi.floor;

import com.google.protobuf.BoolValue;
import csi.v1.Csi.ProbeRequest;
import csi.v1.Csi.ProbeResponse;
import csi.v1.IdentityGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;

/**
 * grpc-java's Netty server on a Unix socket (args[0]) with the event loops the plugin's has,
 * answering Probe "ready" and nothing else: the least a CSI plugin built on it holds.
 */
public final class ProbeOnlyServer {
  private ProbeOnlyServer() {}

  /** Probe, always ready. */
  public static final class Identity extends IdentityGrpc.IdentityImplBase {
    @Override
    public void probe(ProbeRequest request, StreamObserver<ProbeResponse> response) {
      response.onNext(
          ProbeResponse.newBuilder().setReady(BoolValue.newBuilder().setValue(true)).build());
      response.onCompleted();
    }
  }

  public static void main(String[] args) throws Exception {
    NettyServerBuilder.forAddress(new DomainSocketAddress(args[0]))
        .channelType(EpollServerDomainSocketChannel.class)
        .bossEventLoopGroup(new EpollEventLoopGroup(1))
        .workerEventLoopGroup(new EpollEventLoopGroup(2))
        .addService(new Identity())
        .build()
        .start()
        .awaitTermination();
  }
}
