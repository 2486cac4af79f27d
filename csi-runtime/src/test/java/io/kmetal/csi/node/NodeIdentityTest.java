package io.kmetal.csi.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

class NodeIdentityTest {
  private static NodeBuilder node() {
    return new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata();
  }

  @Test
  void theVmComesFromTheProviderIdFirstThenTheAnnotation() {
    Node both =
        node()
            .editMetadata()
            .addToAnnotations(NodeIdentity.VM_NAME, "from-annotation")
            .endMetadata()
            .withNewSpec()
            .withProviderID("kubevirt://from-provider")
            .endSpec()
            .build();
    Node annotated =
        node().editMetadata().addToAnnotations(NodeIdentity.VM_NAME, "vm-7").endMetadata().build();

    assertEquals("from-provider", NodeIdentity.vmName(both));
    assertEquals("vm-7", NodeIdentity.vmName(annotated));
  }

  @Test
  void aNodeNamingNoVmIsRefusedNamingBothSources() {
    Node other = node().withNewSpec().withProviderID("aws:///eu-west-1a/i-0abc").endSpec().build();

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
