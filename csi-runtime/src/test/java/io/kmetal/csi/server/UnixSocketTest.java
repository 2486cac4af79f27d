package io.kmetal.csi.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The JDK's Unix channels as the sockets grpc-java's OkHttp transport reads and writes. */
class UnixSocketTest {
  private static Path socketPath() throws IOException {
    return Files.createTempDirectory("uds-").resolve("s.sock");
  }

  /**
   * The transport keeps a read waiting on every connection while other threads write responses: a
   * write must not wait for that read to return (the JDK's channel streams would hold it).
   */
  @Test
  void aWriteGoesThroughWhileAReadWaitsOnTheSameSocket() throws Exception {
    Path path = socketPath();
    try (ServerSocket server = UnixServerSocket.factory().createServerSocket()) {
      server.bind(UnixDomainSocketAddress.of(path));
      try (Socket client = UnixSocket.connect(path);
          Socket accepted = server.accept()) {
        InputStream response = client.getInputStream();
        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> readOne(response));
        Thread.sleep(100); // the read is blocked in the channel now
        byte[] request = new byte[1 << 20];
        Arrays.fill(request, (byte) 7);
        CompletableFuture<byte[]> received =
            CompletableFuture.supplyAsync(() -> readFully(accepted, request.length));
        client.getOutputStream().write(request);
        assertArrayEquals(request, received.get(10, TimeUnit.SECONDS));
        accepted.getOutputStream().write(42);
        assertEquals(42, waiting.get(10, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void closingEndsTheReadOnTheOtherSide() throws Exception {
    Path path = socketPath();
    try (ServerSocket server = UnixServerSocket.factory().createServerSocket()) {
      server.bind(UnixDomainSocketAddress.of(path));
      Socket client = UnixSocket.connect(path);
      try (Socket accepted = server.accept()) {
        assertTrue(client.isConnected());
        client.close();
        assertTrue(client.isClosed());
        assertEquals(-1, accepted.getInputStream().read());
      }
    }
  }

  @Test
  void aServerSocketClosedWhileAcceptingEndsTheAccept() throws Exception {
    Path path = socketPath();
    ServerSocket server = UnixServerSocket.factory().createServerSocket();
    server.bind(UnixDomainSocketAddress.of(path));
    assertTrue(server.isBound());
    assertEquals(UnixDomainSocketAddress.of(path), server.getLocalSocketAddress());
    CompletableFuture<Socket> accepting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return server.accept();
              } catch (IOException expected) {
                return null;
              }
            });
    Thread.sleep(100);
    server.close();
    assertEquals(null, accepting.get(10, TimeUnit.SECONDS));
    assertTrue(server.isClosed());
  }

  @Test
  void aSecondBindAndAPortAreRefused() throws Exception {
    try (ServerSocket server = UnixServerSocket.factory().createServerSocket()) {
      assertFalse(server.isBound());
      server.bind(UnixDomainSocketAddress.of(socketPath()));
      assertThrows(IOException.class, () -> server.bind(UnixDomainSocketAddress.of(socketPath())));
    }
    var e =
        assertThrows(
            UnsupportedOperationException.class,
            () -> UnixServerSocket.factory().createServerSocket(9000));
    assertTrue(e.getMessage().contains("Unix socket"), e.getMessage());
  }

  private static int readOne(InputStream in) {
    try {
      return in.read();
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  private static byte[] readFully(Socket socket, int length) {
    try {
      return socket.getInputStream().readNBytes(length);
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }
}
