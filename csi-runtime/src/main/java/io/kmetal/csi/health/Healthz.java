package io.kmetal.csi.health;

import com.google.protobuf.InvalidProtocolBufferException;
import csi.v1.Csi.ProbeRequest;
import csi.v1.Csi.ProbeResponse;
import csi.v1.IdentityGrpc;
import io.kmetal.csi.server.ListenAddress;
import io.kmetal.csi.server.SocketCalls;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /healthz}, what upstream's livenessprobe sidecar serves: the driver's own {@code
 * Probe}, asked through its CSI socket as a sidecar would ask it, so a wedged gRPC server fails
 * too. {@code 200 ok} when the Probe answers ready (and {@code extra} names no problem), else
 * {@code 503} with the reason.
 */
public final class Healthz implements AutoCloseable {
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  private static final SocketCalls.Call PROBE =
      SocketCalls.Call.of(IdentityGrpc.getProbeMethod(), ProbeRequest.getDefaultInstance());

  private final ProbeListener listener;

  private Healthz(ProbeListener listener) {
    this.listener = listener;
  }

  /** Serves {@code /healthz} at {@code address} ({@code --health-address}) for {@code socket}. */
  public static Healthz serve(String address, Path socket, Supplier<Optional<String>> extra)
      throws IOException {
    ListenAddress where = ListenAddress.parse("--health-address", address);
    return new Healthz(
        ProbeListener.start(where.socketAddress(), "/healthz", () -> answer(socket, extra)));
  }

  /** The port it listens on (for {@code :0}). */
  public int port() {
    return listener.port();
  }

  private static ProbeListener.Answer answer(Path socket, Supplier<Optional<String>> extra) {
    Optional<String> problem = check(socket, extra);
    return new ProbeListener.Answer(problem.isEmpty() ? 200 : 503, problem.orElse("ok"));
  }

  /** Empty when healthy, else why not. */
  private static Optional<String> check(Path socket, Supplier<Optional<String>> extra) {
    try {
      SocketCalls.Answer answer = SocketCalls.send(socket, List.of(PROBE), PROBE_TIMEOUT).get(0);
      if (!answer.ok())
        return Optional.of(
            "the driver's Probe failed: gRPC status " + answer.status() + " " + answer.message());
      ProbeResponse probe = ProbeResponse.parseFrom(answer.response());
      if (probe.hasReady() && !probe.getReady().getValue()) {
        return Optional.of("the driver's Probe answers not ready");
      }
    } catch (InvalidProtocolBufferException e) {
      return Optional.of("the driver's Probe failed: its answer does not parse: " + e.getMessage());
    } catch (IOException e) {
      return Optional.of("the driver's Probe failed: " + e.getMessage());
    }
    return extra.get();
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
