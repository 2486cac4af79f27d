package io.kmetal.csi.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import csi.v1.ControllerGrpc;
import csi.v1.Csi.ProbeRequest;
import csi.v1.Csi.ProbeResponse;
import csi.v1.IdentityGrpc;
import csi.v1.NodeGrpc;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.kmetal.csi.identity.IdentityService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The server on a real Unix socket, as the sidecars and kubelet reach it. */
class CsiServerTest {
  private static boolean probe(Path socket) {
    ManagedChannel channel = UnixChannels.open(socket);
    try {
      return IdentityGrpc.newBlockingStub(channel)
          .probe(ProbeRequest.getDefaultInstance())
          .getReady()
          .getValue();
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void servesOnTheSocketReplacingAStaleOneAndRemovesItOnClose() throws Exception {
    Path socket = Files.createTempDirectory("csi-").resolve("csi.sock");
    Files.writeString(socket, "left over by a killed driver");
    try (CsiServer server =
        CsiServer.start(
            Endpoint.parse("unix://" + socket),
            List.of(new IdentityService("v", List.of(), () -> true)))) {
      assertEquals(socket, server.endpoint().socket());
      assertTrue(probe(socket));
    }
    assertFalse(Files.exists(socket), "the socket is removed on close");
  }

  /** HTTP/2 streams on one connection, written back from many threads at once. */
  @Test
  void fiftyCallsInFlightOnOneConnectionAreAllAnswered() throws Exception {
    Path socket = Files.createTempDirectory("csi-").resolve("csi.sock");
    try (CsiServer server =
        CsiServer.start(
            Endpoint.parse("unix://" + socket),
            List.of(new IdentityService("v", List.of(), () -> true)))) {
      ManagedChannel channel = UnixChannels.open(server.endpoint().socket());
      try {
        var identity = IdentityGrpc.newFutureStub(channel);
        List<ListenableFuture<ProbeResponse>> calls =
            IntStream.range(0, 50)
                .mapToObj(i -> identity.probe(ProbeRequest.getDefaultInstance()))
                .toList();
        for (var call : calls) assertTrue(call.get(10, TimeUnit.SECONDS).getReady().getValue());
      } finally {
        channel.shutdownNow();
      }
    }
  }

  /**
   * What the kubelet's plugin watcher sees in the directory (inotify): the one socket name, never a
   * visible temporary one it would register as a second plugin of the same name.
   */
  @Test
  void theOnlyVisibleNameThatAppearsIsTheSocketItself() throws Exception {
    Path dir = Files.createTempDirectory("plugins_registry-");
    Path socket = dir.resolve("csi.kubevirt.io-reg.sock");
    List<String> created = new java.util.ArrayList<>();
    try (var watch = dir.getFileSystem().newWatchService()) {
      dir.register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
      try (CsiServer server =
          CsiServer.start(
              Endpoint.parse("unix://" + socket),
              List.of(new IdentityService("v", List.of(), () -> true)))) {
        assertTrue(probe(server.endpoint().socket()));
        var key = watch.poll(5, TimeUnit.SECONDS);
        while (key != null) {
          key.pollEvents().forEach(e -> created.add(e.context().toString()));
          key.reset();
          key = watch.poll(200, TimeUnit.MILLISECONDS);
        }
      }
    }
    assertEquals(
        List.of("csi.kubevirt.io-reg.sock"),
        created.stream().filter(name -> !name.startsWith(".")).toList(),
        "created: " + created);
  }

  @Test
  void endpointsAreUnixSocketsWithAbsolutePaths() {
    assertEquals(Path.of("/csi/csi.sock"), Endpoint.parse("unix:///csi/csi.sock").socket());
    assertEquals(Path.of("/run/x.sock"), Endpoint.parse("/run/x.sock").socket());
    var e = assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("tcp://127.0.0.1:9"));
    assertTrue(e.getMessage().contains("--endpoint"), e.getMessage());
  }

  private static Set<String> methodsOf(ServiceDescriptor... services) {
    return Stream.of(services)
        .flatMap(service -> service.getMethods().stream())
        .map(MethodDescriptor::getFullMethodName)
        .collect(Collectors.toSet());
  }

  private static List<String> warmUpMethods(Set<String> served) {
    return CsiServer.warmUpCalls(served).stream().map(SocketCalls.Call::method).toList();
  }

  @Test
  void theWarmUpAsksOnlyTheFirstCallsOfServicesTheServerServes() {
    assertEquals(
        List.of(
            "csi.v1.Identity/Probe",
            "csi.v1.Identity/GetPluginInfo",
            "csi.v1.Identity/GetPluginCapabilities",
            "csi.v1.Node/NodeGetCapabilities"),
        warmUpMethods(
            methodsOf(IdentityGrpc.getServiceDescriptor(), NodeGrpc.getServiceDescriptor())));
    assertEquals(
        List.of(
            "csi.v1.Identity/Probe",
            "csi.v1.Identity/GetPluginInfo",
            "csi.v1.Identity/GetPluginCapabilities",
            "csi.v1.Controller/ControllerGetCapabilities"),
        warmUpMethods(
            methodsOf(IdentityGrpc.getServiceDescriptor(), ControllerGrpc.getServiceDescriptor())));
    assertEquals(List.of(), warmUpMethods(Set.of("pluginregistration.Registration/GetInfo")));
  }
}
