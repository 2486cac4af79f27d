package io.kmetal.csi.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import csi.v1.Csi.GetPluginCapabilitiesRequest;
import csi.v1.Csi.GetPluginInfoRequest;
import csi.v1.Csi.PluginCapability;
import csi.v1.Csi.ProbeRequest;
import csi.v1.IdentityGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Identity through an in-process gRPC server and stub, as a sidecar sees it. */
class IdentityServiceTest {
  private Server server;
  private ManagedChannel channel;

  private IdentityGrpc.IdentityBlockingStub serve(IdentityService service) throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(service).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    return IdentityGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void pluginInfoNamesTheKubevirtDriverAndItsVersion() throws Exception {
    var info =
        serve(new IdentityService("1.2.3", List.of(), () -> true))
            .getPluginInfo(GetPluginInfoRequest.getDefaultInstance());
    assertEquals("csi.kubevirt.io", info.getName());
    assertEquals("1.2.3", info.getVendorVersion());
  }

  @Test
  void aControllerAdvertisesItsServiceAndOnlineAndOfflineExpansion() throws Exception {
    var caps =
        serve(new IdentityService("v", IdentityService.pluginCapabilities(), () -> true))
            .getPluginCapabilities(GetPluginCapabilitiesRequest.getDefaultInstance())
            .getCapabilitiesList();
    assertEquals(
        PluginCapability.Service.Type.CONTROLLER_SERVICE, caps.get(0).getService().getType());
    assertEquals(
        List.of(
            PluginCapability.VolumeExpansion.Type.ONLINE,
            PluginCapability.VolumeExpansion.Type.OFFLINE),
        caps.stream()
            .filter(PluginCapability::hasVolumeExpansion)
            .map(c -> c.getVolumeExpansion().getType())
            .toList());
  }

  @Test
  void aNodeAdvertisesNoPluginCapabilities() throws Exception {
    var caps =
        serve(new IdentityService("v", List.of(), () -> true))
            .getPluginCapabilities(GetPluginCapabilitiesRequest.getDefaultInstance());
    assertEquals(0, caps.getCapabilitiesCount());
  }

  @Test
  void probeReportsReadinessAsItChanges() throws Exception {
    AtomicBoolean ready = new AtomicBoolean(false);
    var identity = serve(new IdentityService("v", List.of(), ready::get));
    assertFalse(identity.probe(ProbeRequest.getDefaultInstance()).getReady().getValue());
    ready.set(true);
    assertTrue(identity.probe(ProbeRequest.getDefaultInstance()).getReady().getValue());
  }
}
