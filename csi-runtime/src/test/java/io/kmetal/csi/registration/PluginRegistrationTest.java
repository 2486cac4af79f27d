package io.kmetal.csi.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.kmetal.csi.server.CsiServer;
import io.kmetal.csi.server.Endpoint;
import io.kmetal.csi.server.UnixChannels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import pluginregistration.Api.InfoRequest;
import pluginregistration.Api.PluginInfo;
import pluginregistration.Api.RegistrationStatus;
import pluginregistration.RegistrationGrpc;

/** The registration API on a real Unix socket, asked the way the kubelet's plugin watcher asks. */
class PluginRegistrationTest {
  private static final String KUBELET_PATH = "/var/lib/kubelet/plugins/csi.kubevirt.io/csi.sock";

  @Test
  void getInfoNamesTheDriverItsKubeletEndpointAndTheCsiVersion() throws Exception {
    Path dir = Files.createTempDirectory("registry-");
    var registration = new PluginRegistration("csi.kubevirt.io", KUBELET_PATH);
    Path socket = PluginRegistration.socket(dir, "csi.kubevirt.io");
    assertEquals(dir.resolve("csi.kubevirt.io-reg.sock"), socket);
    try (CsiServer server = CsiServer.start(new Endpoint(socket), List.of(registration))) {
      PluginInfo info =
          call(server.endpoint().socket(), stub -> stub.getInfo(InfoRequest.getDefaultInstance()));
      assertEquals("CSIPlugin", info.getType());
      assertEquals("csi.kubevirt.io", info.getName());
      assertEquals(KUBELET_PATH, info.getEndpoint());
      assertEquals(List.of("1.0.0"), info.getSupportedVersionsList());
    }
  }

  @Test
  void aRefusalMakesThePluginUnhealthyUntilTheKubeletRegistersIt() throws Exception {
    Path socket = PluginRegistration.socket(Files.createTempDirectory("registry-"), "d");
    var registration = new PluginRegistration("d", KUBELET_PATH);
    assertEquals(Optional.empty(), registration.problem(), "not yet asked is not a problem");
    assertFalse(registration.registered());
    try (CsiServer server = CsiServer.start(new Endpoint(socket), List.of(registration))) {
      assertEquals(socket, server.endpoint().socket());
      call(socket, stub -> stub.notifyRegistrationStatus(status(false, "version 9 unsupported")));
      assertEquals(
          Optional.of("the kubelet refused the registration: version 9 unsupported"),
          registration.problem());
      call(socket, stub -> stub.notifyRegistrationStatus(status(true, "")));
      assertTrue(registration.registered());
      assertEquals(Optional.empty(), registration.problem());
    }
  }

  private static RegistrationStatus status(boolean registered, String error) {
    return RegistrationStatus.newBuilder().setPluginRegistered(registered).setError(error).build();
  }

  private static <T> T call(
      Path socket, java.util.function.Function<RegistrationGrpc.RegistrationBlockingStub, T> rpc) {
    ManagedChannel channel = UnixChannels.open(socket);
    try {
      return rpc.apply(RegistrationGrpc.newBlockingStub(channel));
    } finally {
      channel.shutdownNow();
    }
  }
}
