package io.kmetal.csi.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The node id from the Node as the API server returns it (JSON). */
class NodeIdentityTest {
  private static JsonNode node(String json) throws Exception {
    return new ObjectMapper().readTree(json);
  }

  @Test
  void theVmComesFromTheProviderIdFirstThenTheAnnotation() throws Exception {
    JsonNode both =
        node(
            """
            {"metadata": {"name": "worker-1",
                          "annotations": {"csi.kubevirt.io/infra-vm-name": "from-annotation"}},
             "spec": {"providerID": "kubevirt://from-provider"}}
            """);
    JsonNode annotated =
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
    JsonNode other =
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
}
