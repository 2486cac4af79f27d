package io.kmetal.csi.health;

import io.kmetal.csi.server.ServerThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Supplier;

/**
 * The part of HTTP/1.1 a kubelet's {@code httpGet} probe speaks, for one path: a request per
 * connection, answered in plain text and closed.
 *
 * <p>One thread accepts; each connection is served on a pooled thread of its own, so a client that
 * connects and stalls holds only its own thread, for at most {@link #HEAD_MILLIS} in all, and never
 * the kubelet's next probe. Past {@link #MAX_CONNECTIONS} at once a new connection is closed
 * unanswered.
 *
 * <p>The JDK's {@code com.sun.net.httpserver} served {@code /healthz} before. It stamps every
 * answer with a {@code Date} header formatted with a zone name, and the first one loads the JDK's
 * time-zone and calendar name tables, which a process then holds for its life: about 3 MiB of the
 * node plugin's 50 (README, Benchmarks, "What was cut"). The probe reads none of those headers.
 */
final class ProbeListener implements AutoCloseable {
  /** The longest request head read; a kubelet's is about 150 bytes. */
  static final int MAX_HEAD = 8192;

  /** How long a connection may take to send its whole request head before it is dropped. */
  static final int HEAD_MILLIS = 2000;

  /** Connections served at once; a kubelet sends one probe of each kind at a time. */
  static final int MAX_CONNECTIONS = 8;

  /** What the path answers: an HTTP status and a line of text. */
  record Answer(int status, String text) {}

  private final ServerSocket listener;
  private final String path;
  private final Supplier<Answer> handler;
  private final ThreadPoolExecutor connections = ServerThreads.cached("healthz-", MAX_CONNECTIONS);
  private final Thread acceptor = new Thread(this::acceptConnections, "healthz");

  private ProbeListener(ServerSocket listener, String path, Supplier<Answer> handler) {
    this.listener = listener;
    this.path = path;
    this.handler = handler;
    acceptor.setDaemon(true);
  }

  /** Listens at {@code address}, answering {@code GET path} with {@code handler}. */
  static ProbeListener start(InetSocketAddress address, String path, Supplier<Answer> handler)
      throws IOException {
    ServerSocket listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(address, 16);
    ProbeListener probes = new ProbeListener(listener, path, handler);
    probes.acceptor.start();
    return probes;
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Connections being served now. */
  int connectionsServed() {
    return connections.getActiveCount();
  }

  private void acceptConnections() {
    while (!listener.isClosed()) {
      try {
        Socket connection = listener.accept();
        try {
          connections.execute(() -> serve(connection));
        } catch (RejectedExecutionException e) {
          connection.close();
        }
      } catch (IOException e) {
        // the listener closed (the loop ends), or one accept failed, as when the process is out
        // of file descriptors: try again in a moment rather than spin
        if (!listener.isClosed() && !pause()) return;
      }
    }
  }

  /** A tenth of a second; false when interrupted. */
  private static boolean pause() {
    try {
      Thread.sleep(100);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void serve(Socket connection) {
    try (connection) {
      long deadline = System.nanoTime() + HEAD_MILLIS * 1_000_000L;
      String requestLine = readRequestLine(connection, deadline);
      write(connection.getOutputStream(), answer(requestLine), requestLine.startsWith("HEAD "));
    } catch (IOException e) {
      // a client that hung up, stalled or sent more than a head: nothing to answer
    }
  }

  /** The answer to {@code requestLine} ({@code METHOD TARGET HTTP/1.x}). */
  private Answer answer(String requestLine) {
    String[] parts = requestLine.split(" ", -1);
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      return new Answer(400, "want METHOD PATH HTTP/1.1");
    }
    int query = parts[1].indexOf('?');
    String target = query < 0 ? parts[1] : parts[1].substring(0, query);
    if (!target.equals(path)) return new Answer(404, "only " + path + " is served here");
    if (!parts[0].equals("GET") && !parts[0].equals("HEAD")) {
      return new Answer(405, path + " answers GET and HEAD");
    }
    return handler.get();
  }

  private static void write(OutputStream out, Answer answer, boolean headOnly) throws IOException {
    byte[] body = (answer.text() + "\n").getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + answer.status()
            + " "
            + reason(answer.status())
            + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    if (!headOnly) out.write(body);
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  /**
   * Stops listening; once this returns, connections to the port are refused. Closing the socket
   * only signals the thread blocked in {@code accept}, and the kernel keeps the socket listening
   * until that call has returned, so this waits (at most a second) for the thread to end.
   */
  @Override
  public void close() throws IOException {
    listener.close();
    connections.shutdown();
    try {
      acceptor.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Reads a request's head from {@code connection}, up to its empty line, until {@code deadline}
   * ({@link System#nanoTime()}), and returns its first line.
   */
  private static String readRequestLine(Socket connection, long deadline) throws IOException {
    InputStream in = connection.getInputStream();
    byte[] head = new byte[MAX_HEAD];
    int length = 0;
    int end = -1;
    while (end < 0) {
      if (length == head.length) throw new IOException("request head over " + MAX_HEAD + " bytes");
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) throw new IOException("request head not sent within " + HEAD_MILLIS + " ms");
      connection.setSoTimeout((int) left);
      int read = in.read(head, length, head.length - length);
      if (read < 0) throw new IOException("connection closed before the request's end");
      end = emptyLine(head, Math.max(0, length - 3), length + read);
      length += read;
    }
    String text = new String(head, 0, end, StandardCharsets.US_ASCII);
    return text.substring(0, text.indexOf("\r\n"));
  }

  /**
   * Where the empty line that ends a head starts (just after a {@code CRLF}), searching from {@code
   * from}; -1 when the bytes hold none yet.
   */
  private static int emptyLine(byte[] head, int from, int length) {
    for (int i = from; i + 3 < length; i++) {
      if (head[i] == '\r' && head[i + 1] == '\n' && head[i + 2] == '\r' && head[i + 3] == '\n') {
        return i + 2;
      }
    }
    return -1;
  }
}
