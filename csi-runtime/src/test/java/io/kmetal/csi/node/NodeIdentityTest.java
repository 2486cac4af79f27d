package io.kmetal.csi.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.csi.kube.JsonDocument;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node id from the Node as the API server returns it (JSON). */
class NodeIdentityTest {
  private static JsonDocument node(String json) {
    return new JsonDocument(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theVmComesFromTheProviderIdFirstThenTheAnnotation() throws Exception {
    JsonDocument both =
        node(
            """
            {"metadata": {"name": "worker-1",
                          "annotations": {"csi.kubevirt.io/infra-vm-name": "from-annotation"}},
             "spec": {"providerID": "kubevirt://from-provider"}}
            """);
    JsonDocument annotated =
        node(
            """
            {"metadata": {"name": "worker-1",
                          "annotations": {"csi.kubevirt.io/infra-vm-name": " vm-7 "}},
             "spec": {"providerID": "kubevirt://"}}
            """);

    assertEquals("from-provider", NodeIdentity.vmName(both));
    assertEquals("vm-7", NodeIdentity.vmName(annotated));
  }

  @Test
  void aNodeNamingNoVmIsRefusedNamingBothSources() throws Exception {
    JsonDocument other =
        node(
            """
            {"metadata": {"name": "worker-1"}, "spec": {"providerID": "aws:///eu-west-1a/i-0abc"}}
            """);

    var e = assertThrows(IllegalArgumentException.class, () -> NodeIdentity.vmName(other));
    assertTrue(e.getMessage().contains("aws:///eu-west-1a/i-0abc"), e.getMessage());
    assertTrue(e.getMessage().contains(NodeIdentity.VM_NAME), e.getMessage());
  }

  @Test
  void aLookupAnswersOnceTheVmIsFound() {
    var lookup = NodeIdentity.lookUp(() -> "vm-3");
    assertEquals("vm-3", lookup.require());
    assertEquals("vm-3", lookup.known().orElseThrow());
  }

  @Test
  void aChildsLastLineIsTheVmAfterWhateverItLogged() throws Exception {
    var source =
        NodeIdentity.inChildProcess(
            List.of("sh", "-c", "echo 'WARNING: a JVM warning' >&2; echo vm-7"));
    assertEquals("vm-7", source.vmName());
  }

  @Test
  void aChildThatFailsGivesItsLastLineAsTheReason() {
    var source =
        NodeIdentity.inChildProcess(
            List.of(
                "sh",
                "-c",
                "echo starting; echo '--node-name: no node w9 in the cluster' >&2; exit 1"));
    var e = assertThrows(java.io.IOException.class, source::vmName);
    assertEquals("--node-name: no node w9 in the cluster", e.getMessage());
    var silent = NodeIdentity.inChildProcess(List.of("sh", "-c", "exit 0"));
    assertEquals(
        "node-id printed no VM name",
        assertThrows(java.io.IOException.class, silent::vmName).getMessage());
  }
}
