package io.kmetal.csi.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import csi.v1.Csi.GetPluginInfoRequest;
import csi.v1.Csi.GetPluginInfoResponse;
import csi.v1.Csi.NodeGetCapabilitiesRequest;
import csi.v1.Csi.ProbeRequest;
import csi.v1.Csi.ProbeResponse;
import csi.v1.IdentityGrpc;
import csi.v1.NodeGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kmetal.csi.identity.IdentityService;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The driver's calls to its own socket, against the real server on a real Unix socket. */
class SocketCallsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static SocketCalls.Call probe() {
    return new SocketCalls.Call(
        IdentityGrpc.getProbeMethod().getFullMethodName(),
        ProbeRequest.getDefaultInstance().toByteArray());
  }

  private static Path socket() throws IOException {
    return Files.createTempDirectory("csi-").resolve("csi.sock");
  }

  @Test
  void eachCallIsAnsweredOnItsOwnStreamInOrder() throws Exception {
    try (CsiServer server =
        CsiServer.start(
            new Endpoint(socket()), List.of(new IdentityService("1.2.3", List.of(), () -> true)))) {
      List<SocketCalls.Answer> answers =
          SocketCalls.send(
              server.endpoint().socket(),
              List.of(
                  new SocketCalls.Call(
                      IdentityGrpc.getGetPluginInfoMethod().getFullMethodName(),
                      GetPluginInfoRequest.getDefaultInstance().toByteArray()),
                  probe()),
              TIMEOUT);

      assertTrue(answers.get(0).ok(), answers.get(0).toString());
      assertEquals(
          "1.2.3", GetPluginInfoResponse.parseFrom(answers.get(0).response()).getVendorVersion());
      assertTrue(ProbeResponse.parseFrom(answers.get(1).response()).getReady().getValue());
    }
  }

  @Test
  void aMethodTheServerDoesNotServeIsUnimplemented() throws Exception {
    try (CsiServer server =
        CsiServer.start(
            new Endpoint(socket()), List.of(new IdentityService("v", List.of(), () -> true)))) {
      SocketCalls.Answer answer =
          SocketCalls.send(
                  server.endpoint().socket(),
                  List.of(
                      new SocketCalls.Call(
                          NodeGrpc.getNodeGetCapabilitiesMethod().getFullMethodName(),
                          NodeGetCapabilitiesRequest.getDefaultInstance().toByteArray())),
                  TIMEOUT)
              .get(0);

      assertFalse(answer.ok());
      assertEquals(Status.Code.UNIMPLEMENTED.value(), answer.status());
    }
  }

  @Test
  void aFailedCallCarriesItsStatusAndMessage() throws Exception {
    var failing =
        new IdentityGrpc.IdentityImplBase() {
          @Override
          public void probe(ProbeRequest request, StreamObserver<ProbeResponse> response) {
            response.onError(
                Status.FAILED_PRECONDITION.withDescription("not yet").asRuntimeException());
          }
        };
    try (CsiServer server = CsiServer.start(new Endpoint(socket()), List.of(failing))) {
      SocketCalls.Answer answer =
          SocketCalls.send(server.endpoint().socket(), List.of(probe()), TIMEOUT).get(0);

      assertEquals(Status.Code.FAILED_PRECONDITION.value(), answer.status());
      assertEquals("not yet", answer.message());
      assertEquals(0, answer.response().length);
    }
  }

  @Test
  void aSocketNobodyServesFails() throws Exception {
    Path nobody = socket();
    assertThrows(IOException.class, () -> SocketCalls.send(nobody, List.of(probe()), TIMEOUT));
  }

  @Test
  void aServerThatNeverAnswersFailsWhenTheTimeIsUp() throws Exception {
    Path socket = socket();
    try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      silent.bind(UnixDomainSocketAddress.of(socket));
      IOException e =
          assertThrows(
              IOException.class,
              () -> SocketCalls.send(socket, List.of(probe()), Duration.ofMillis(300)));
      assertEquals("no answer within 300 ms", e.getMessage());
      try (SocketChannel accepted = silent.accept()) {
        assertTrue(accepted.isOpen(), "the call did connect");
      }
    }
  }
}
