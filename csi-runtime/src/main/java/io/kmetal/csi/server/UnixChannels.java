package io.kmetal.csi.server;

import io.grpc.ManagedChannel;
import io.grpc.okhttp.OkHttpChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import javax.net.SocketFactory;

/**
 * A gRPC channel to a CSI socket, plaintext HTTP/2 as the sidecars and kubelet dial it, for the
 * tests and benchmarks that play those clients (the driver's own calls to its socket are {@link
 * SocketCalls}, which load no gRPC client). grpc-java's OkHttp transport dials host and port; the
 * socket factory here ignores both and connects to the Unix socket, and the literal loopback
 * address keeps name resolution and proxies out of it.
 */
public final class UnixChannels {
  private UnixChannels() {}

  public static ManagedChannel open(Path socket) {
    return OkHttpChannelBuilder.forAddress("127.0.0.1", 1)
        .socketFactory(new Dialler(socket))
        .proxyDetector(address -> null)
        .usePlaintext()
        .build();
  }

  /** Connects every socket it makes to one Unix socket. */
  private static final class Dialler extends SocketFactory {
    private final Path socket;

    Dialler(Path socket) {
      this.socket = socket;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return UnixSocket.connect(socket);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort)
        throws IOException {
      return UnixSocket.connect(socket);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return UnixSocket.connect(socket);
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
        throws IOException {
      return UnixSocket.connect(socket);
    }
  }
}
