package io.kmetal.csi.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import javax.net.ServerSocketFactory;

/**
 * A Unix-domain {@link ServerSocketChannel} shown as a {@link ServerSocket}: grpc-java's OkHttp
 * server binds and accepts through a {@link ServerSocketFactory}, and {@link #factory()} makes it
 * bind the {@code UnixDomainSocketAddress} it is given.
 */
final class UnixServerSocket extends ServerSocket {
  private static final int BACKLOG = 16;
  private volatile ServerSocketChannel channel;

  private UnixServerSocket() throws IOException {
    super(); // an unbound socket: no file descriptor until bind(), which this class overrides
  }

  /** Makes unbound Unix server sockets; the port-taking forms are refused. */
  static ServerSocketFactory factory() {
    return new ServerSocketFactory() {
      @Override
      public ServerSocket createServerSocket() throws IOException {
        return new UnixServerSocket();
      }

      @Override
      public ServerSocket createServerSocket(int port) {
        throw tcp();
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog) {
        throw tcp();
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog, InetAddress address) {
        throw tcp();
      }

      private UnsupportedOperationException tcp() {
        return new UnsupportedOperationException("the CSI socket is a Unix socket, not a port");
      }
    };
  }

  @Override
  public void bind(SocketAddress address) throws IOException {
    bind(address, BACKLOG);
  }

  @Override
  public synchronized void bind(SocketAddress address, int backlog) throws IOException {
    if (channel != null) throw new IOException("already bound to " + getLocalSocketAddress());
    ServerSocketChannel opened = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      opened.bind(address, backlog > 0 ? backlog : BACKLOG);
    } catch (IOException e) {
      opened.close();
      throw e;
    }
    channel = opened;
  }

  @Override
  public Socket accept() throws IOException {
    if (channel == null) throw new IOException("not bound");
    return new UnixSocket(channel.accept());
  }

  @Override
  public boolean isBound() {
    return channel != null;
  }

  @Override
  public boolean isClosed() {
    return channel != null && !channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    if (channel != null) channel.close();
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    try {
      return channel == null ? null : channel.getLocalAddress();
    } catch (IOException closed) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "UnixServerSocket[" + getLocalSocketAddress() + "]";
  }
}
