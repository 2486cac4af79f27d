package io.kmetal.csi.server;

import com.google.protobuf.MessageLite;
import io.grpc.MethodDescriptor;
import io.grpc.okhttp.internal.framed.ErrorCode;
import io.grpc.okhttp.internal.framed.FrameReader;
import io.grpc.okhttp.internal.framed.FrameWriter;
import io.grpc.okhttp.internal.framed.Header;
import io.grpc.okhttp.internal.framed.HeadersMode;
import io.grpc.okhttp.internal.framed.Http2;
import io.grpc.okhttp.internal.framed.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;

/**
 * Unary gRPC calls from the driver to its own CSI socket (the warm-up before the socket appears,
 * {@code /healthz}'s Probe), written and read with the HTTP/2 frame writer and reader of
 * grpc-java's OkHttp transport, which the server has loaded already.
 *
 * <p>Not a gRPC channel: grpc-java's client (channel, name resolution, load balancing, its own
 * transport) loaded some 480 classes for these few calls, 5.3 MiB the process then held for its
 * whole life ({@code ./kmetal bench csi start}'s floor row: 54.5 MiB with a channel, 49.2 without).
 * All calls go on one connection, a stream each, and each is read to its trailers.
 */
public final class SocketCalls {
  private static final int GRPC_FRAME_HEADER = 5;

  /** A unary call: {@code method} as in {@code csi.v1.Identity/Probe}, the request's bytes. */
  public record Call(String method, byte[] request) {
    /** {@code request} to the generated {@code method}. */
    public static Call of(MethodDescriptor<?, ?> method, MessageLite request) {
      return new Call(method.getFullMethodName(), request.toByteArray());
    }
  }

  /**
   * The answer to one call: its gRPC status code (0 is OK) and message, and the response's bytes
   * (empty unless OK).
   */
  public record Answer(int status, String message, byte[] response) {
    public boolean ok() {
      return status == 0;
    }
  }

  private SocketCalls() {}

  /**
   * Sends {@code calls} to the server on {@code socket} and reads their answers, in order; an
   * {@link IOException} when the socket cannot be reached or {@code timeout} passes first.
   */
  public static List<Answer> send(Path socket, List<Call> calls, Duration timeout)
      throws IOException {
    try (UnixSocket connection = UnixSocket.connect(socket);
        Deadline deadline = new Deadline(connection, timeout)) {
      FrameWriter out =
          new Http2().newWriter(Okio.buffer(Okio.sink(connection.getOutputStream())), true);
      FrameReader in =
          new Http2().newReader(Okio.buffer(Okio.source(connection.getInputStream())), true);
      out.connectionPreface();
      out.settings(new Settings());
      for (int i = 0; i < calls.size(); i++) {
        int stream = 2 * i + 1; // a client's streams are odd
        out.synStream(false, false, stream, 0, headers(calls.get(i).method()));
        Buffer body = framed(calls.get(i).request());
        out.data(true, stream, body, (int) body.size());
      }
      out.flush();
      Streams streams = new Streams(calls.size(), out);
      try {
        while (!streams.allEnded() && in.nextFrame(streams)) {
          streams.flushAcks();
        }
      } catch (IOException e) {
        if (!deadline.passed()) throw e;
      }
      if (streams.allEnded()) return streams.answers();
      throw new IOException(
          deadline.passed()
              ? "no answer within " + timeout.toMillis() + " ms"
              : "the server closed the connection");
    }
  }

  private static List<Header> headers(String method) {
    return List.of(
        new Header(Header.TARGET_METHOD, "POST"),
        new Header(Header.TARGET_SCHEME, "http"),
        new Header(Header.TARGET_PATH, "/" + method),
        new Header(Header.TARGET_AUTHORITY, "localhost"),
        new Header("content-type", "application/grpc"),
        new Header("te", "trailers"));
  }

  /** gRPC's message framing: uncompressed, four bytes of length, the message. */
  private static Buffer framed(byte[] message) {
    Buffer body = new Buffer();
    body.writeByte(0);
    body.writeInt(message.length);
    body.write(message);
    return body;
  }

  /**
   * Closes the connection when the time is up, which ends a read waiting on it: a task on the
   * servers' timer, not a thread of its own for every call.
   */
  private static final class Deadline implements AutoCloseable {
    private final ScheduledFuture<?> timer;
    private volatile boolean passed;

    Deadline(UnixSocket connection, Duration timeout) {
      timer =
          ServerThreads.TIMER.schedule(
              () -> {
                passed = true;
                try {
                  connection.close();
                } catch (IOException e) {
                  // closed already
                }
              },
              timeout.toMillis(),
              TimeUnit.MILLISECONDS);
    }

    boolean passed() {
      return passed;
    }

    @Override
    public void close() {
      timer.cancel(false);
    }
  }

  /** The calls' streams as the server answers them. */
  private static final class Streams implements FrameReader.Handler {
    private final int count;
    private final FrameWriter out;
    private final List<ByteArrayOutputStream> bodies = new ArrayList<>();
    private final List<List<Header>> received = new ArrayList<>();
    private final Answer[] answers;
    private int ended;
    private boolean acks;

    Streams(int count, FrameWriter out) {
      this.count = count;
      this.out = out;
      this.answers = new Answer[count];
      for (int i = 0; i < count; i++) {
        bodies.add(new ByteArrayOutputStream());
        received.add(new ArrayList<>());
      }
    }

    boolean allEnded() {
      return ended == count;
    }

    List<Answer> answers() {
      return List.of(answers);
    }

    void flushAcks() throws IOException {
      if (acks) out.flush();
      acks = false;
    }

    private int index(int stream) {
      int i = (stream - 1) / 2;
      return stream % 2 == 1 && i < count ? i : -1;
    }

    private void end(int i, Answer answer) {
      if (i < 0 || answers[i] != null) return;
      answers[i] = answer;
      ended++;
    }

    @Override
    public void data(boolean inFinished, int stream, BufferedSource source, int length, int padded)
        throws IOException {
      byte[] bytes = source.readByteArray(length);
      int i = index(stream);
      if (i >= 0) bodies.get(i).write(bytes);
    }

    @Override
    public void headers(
        boolean outFinished,
        boolean inFinished,
        int stream,
        int associatedStream,
        List<Header> headers,
        HeadersMode mode) {
      int i = index(stream);
      if (i < 0) return;
      received.get(i).addAll(headers);
      if (inFinished) end(i, answer(received.get(i), bodies.get(i).toByteArray()));
    }

    private static Answer answer(List<Header> headers, byte[] body) {
      String status = value(headers, "grpc-status");
      String message = value(headers, "grpc-message");
      if (status == null) return new Answer(2, "no grpc-status in the answer", new byte[0]);
      int code = Integer.parseInt(status);
      if (code != 0 || body.length < GRPC_FRAME_HEADER)
        return new Answer(code, message == null ? "" : message, new byte[0]);
      int length = ByteBuffer.wrap(body, 1, 4).getInt();
      byte[] response = new byte[length];
      System.arraycopy(body, GRPC_FRAME_HEADER, response, 0, length);
      return new Answer(0, "", response);
    }

    private static String value(List<Header> headers, String name) {
      ByteString key = ByteString.encodeUtf8(name);
      for (Header header : headers) if (header.name.equals(key)) return header.value.utf8();
      return null;
    }

    @Override
    public void rstStream(int stream, ErrorCode code) {
      end(index(stream), new Answer(13, "the stream was reset: " + code, new byte[0]));
    }

    @Override
    public void settings(boolean clearPrevious, Settings settings) {
      try {
        out.ackSettings(settings);
        acks = true;
      } catch (IOException e) {
        // the read that follows fails too
      }
    }

    @Override
    public void ackSettings() {}

    @Override
    public void ping(boolean ack, int payload1, int payload2) {
      if (ack) return;
      try {
        out.ping(true, payload1, payload2);
        acks = true;
      } catch (IOException e) {
        // the read that follows fails too
      }
    }

    @Override
    public void goAway(int lastGoodStream, ErrorCode code, ByteString debug) {
      for (int i = 0; i < count; i++)
        end(i, new Answer(14, "the server went away: " + code, new byte[0]));
    }

    @Override
    public void windowUpdate(int stream, long increment) {}

    @Override
    public void priority(int stream, int dependency, int weight, boolean exclusive) {}

    @Override
    public void pushPromise(int stream, int promised, List<Header> headers) {}

    @Override
    public void alternateService(
        int stream, String origin, ByteString protocol, String host, int port, long maxAge) {}
  }
}
