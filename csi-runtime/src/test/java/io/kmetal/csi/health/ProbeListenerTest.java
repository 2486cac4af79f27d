package io.kmetal.csi.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The listener over real loopback sockets, byte for byte as a kubelet's probe sees it. */
class ProbeListenerTest {
  private final AtomicInteger asked = new AtomicInteger();
  private ProbeListener listener;

  @BeforeEach
  void start() throws IOException {
    listener =
        ProbeListener.start(
            new InetSocketAddress("127.0.0.1", 0),
            "/healthz",
            () -> {
              asked.incrementAndGet();
              return new ProbeListener.Answer(503, "the driver's Probe answers not ready");
            });
  }

  @AfterEach
  void stop() throws IOException {
    listener.close();
  }

  @Test
  void aKubeletProbeGetsTheAnswerAsPlainTextAndTheConnectionCloses() throws IOException {
    String request =
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:9808\r\nUser-Agent: kube-probe/1.34\r\n"
            + "Accept: */*\r\nConnection: close\r\n\r\n";
    assertEquals(
        "HTTP/1.1 503 Service Unavailable\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: 37\r\n"
            + "Connection: close\r\n\r\n"
            + "the driver's Probe answers not ready\n",
        exchange(request));
    assertEquals(1, asked.get());
  }

  @Test
  void aHeadRequestGetsTheHeadersOnly() throws IOException {
    String answer = exchange("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals("HTTP/1.1 503 Service Unavailable", answer.lines().findFirst().orElseThrow());
    assertEquals(true, answer.endsWith("Content-Length: 37\r\nConnection: close\r\n\r\n"));
  }

  @Test
  void aQueryStringIsIgnored() throws IOException {
    assertEquals(
        "HTTP/1.1 503 Service Unavailable", statusLine("GET /healthz?verbose HTTP/1.1\r\n\r\n"));
  }

  @Test
  void otherPathsMethodsAndMalformedRequestsAreRefusedWithoutAskingTheHandler() throws IOException {
    assertEquals("HTTP/1.1 404 Not Found", statusLine("GET /metrics HTTP/1.1\r\n\r\n"));
    assertEquals(
        "HTTP/1.1 405 Method Not Allowed",
        statusLine("POST /healthz HTTP/1.1\r\nContent-Length: 0\r\n\r\n"));
    assertEquals("HTTP/1.1 400 Bad Request", statusLine("GET /healthz\r\n\r\n"));
    assertEquals("HTTP/1.1 400 Bad Request", statusLine("hello\r\n\r\n"));
    assertEquals(0, asked.get());
  }

  @Test
  void aClientThatHangsUpOrSendsAnOversizedHeadDoesNotStopTheNext() throws IOException {
    try (Socket quitter = connect()) {
      quitter.getOutputStream().write("GET /hea".getBytes(StandardCharsets.US_ASCII));
    }
    String huge = "GET /healthz HTTP/1.1\r\nX: " + "a".repeat(ProbeListener.MAX_HEAD) + "\r\n\r\n";
    assertEquals("", exchange(huge));
    assertEquals("HTTP/1.1 503 Service Unavailable", statusLine("GET /healthz HTTP/1.1\r\n\r\n"));
  }

  @Test
  void aClientThatConnectsAndStallsDoesNotHoldUpTheKubeletsProbe() throws Exception {
    Socket stalled = connect();
    try {
      awaitConnectionsServed(1);
      // the probe is answered well before the stalled connection's head time runs out
      try (Socket probe = connect(ProbeListener.HEAD_MILLIS / 2)) {
        probe.getOutputStream().write(bytes("GET /healthz HTTP/1.1\r\n\r\n"));
        String answer = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("HTTP/1.1 503 Service Unavailable", answer.lines().findFirst().orElse(""));
      }
    } finally {
      stalled.close();
    }
  }

  @Test
  void pastItsConnectionLimitANewConnectionIsClosedUnanswered() throws Exception {
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < ProbeListener.MAX_CONNECTIONS; i++) stalled.add(connect());
      awaitConnectionsServed(ProbeListener.MAX_CONNECTIONS);
      assertEquals("", exchange("GET /healthz HTTP/1.1\r\n\r\n"));
      assertEquals(0, asked.get());
    } finally {
      for (Socket socket : stalled) socket.close();
    }
    // the stalled ones hung up: their threads are free again
    String answer = exchange("GET /healthz HTTP/1.1\r\n\r\n");
    for (int i = 0; i < 50 && answer.isEmpty(); i++) {
      Thread.sleep(100);
      answer = exchange("GET /healthz HTTP/1.1\r\n\r\n");
    }
    assertEquals("HTTP/1.1 503 Service Unavailable", answer.lines().findFirst().orElse(""));
  }

  @Test
  void aClosedListenerRefusesConnections() throws IOException {
    int port = listener.port();
    listener.close();
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
  }

  private void awaitConnectionsServed(int count) throws InterruptedException {
    for (int i = 0; i < 100 && listener.connectionsServed() < count; i++) Thread.sleep(20);
    assertEquals(count, listener.connectionsServed());
  }

  private String statusLine(String request) throws IOException {
    return exchange(request).lines().findFirst().orElse("");
  }

  /** Sends {@code request} on a new connection and reads until the listener closes it. */
  private String exchange(String request) throws IOException {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        // an oversized head: the listener closes before all of it is written
      }
      try {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }
  }

  private Socket connect() throws IOException {
    return connect(10_000);
  }

  private Socket connect(int readTimeoutMillis) throws IOException {
    Socket socket = new Socket("127.0.0.1", listener.port());
    socket.setSoTimeout(readTimeoutMillis);
    return socket;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
