package io.kmetal.csi.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A connected Unix-domain {@link SocketChannel} shown as a {@link Socket}, the type grpc-java's
 * OkHttp transport reads and writes (the JDK gives a Unix channel no {@code socket()} of its own).
 *
 * <p>The streams call the channel directly: one thread reads frames while others write, and the
 * channel reads and writes under separate locks. The JDK's {@code Channels.newInputStream} would
 * hold the channel's blocking lock through a read and so stall every write behind it.
 */
final class UnixSocket extends Socket {
  private final SocketChannel channel;
  private final InputStream in = new ChannelInput();
  private final OutputStream out = new ChannelOutput();

  UnixSocket(SocketChannel channel) {
    this.channel = channel;
  }

  /** A socket connected to {@code path}. */
  static UnixSocket connect(Path path) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(path));
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return new UnixSocket(channel);
  }

  @Override
  public InputStream getInputStream() {
    return in;
  }

  @Override
  public OutputStream getOutputStream() {
    return out;
  }

  /** A Unix socket has no Nagle delay to turn off. */
  @Override
  public void setTcpNoDelay(boolean on) {}

  @Override
  public boolean isConnected() {
    return true;
  }

  @Override
  public boolean isClosed() {
    return !channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return address(true);
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return address(false);
  }

  private SocketAddress address(boolean local) {
    try {
      return local ? channel.getLocalAddress() : channel.getRemoteAddress();
    } catch (IOException closed) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "UnixSocket[" + getLocalSocketAddress() + "]";
  }

  private final class ChannelInput extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      return length == 0 ? 0 : channel.read(ByteBuffer.wrap(bytes, offset, length));
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private final class ChannelOutput extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
      while (buffer.hasRemaining()) channel.write(buffer);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
