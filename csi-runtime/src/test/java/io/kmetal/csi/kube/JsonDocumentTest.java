package io.kmetal.csi.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Strings read out of an API server's JSON by pointer, without a tree. */
class JsonDocumentTest {
  private static JsonDocument json(String text) {
    return new JsonDocument(text.getBytes(StandardCharsets.UTF_8));
  }

  private static final JsonDocument NODE =
      json(
          """
          {"kind": "Node",
           "metadata": {"name": "w-1", "labels": {"a": "b"},
                        "annotations": {"csi.kubevirt.io/infra-vm-name": "vm-1", "n": 3}},
           "status": {"images": [{"names": ["x"]}], "name": "not the node's"},
           "spec": {"providerID": "kubevirt://vm-2", "taints": []}}
          """);

  @Test
  void aNestedStringIsFoundWhereverItStandsInTheDocument() {
    assertEquals(Optional.of("w-1"), NODE.text(JsonDocument.pointer("metadata", "name")));
    assertEquals(
        Optional.of("kubevirt://vm-2"), NODE.text(JsonDocument.pointer("spec", "providerID")));
  }

  @Test
  void aKeyHoldingASlashIsEscapedNotSplit() {
    assertEquals(
        Optional.of("vm-1"),
        NODE.text(
            JsonDocument.pointer("metadata", "annotations", "csi.kubevirt.io/infra-vm-name")));
    assertEquals(Optional.empty(), NODE.text(JsonDocument.pointer("metadata", "csi.kubevirt.io")));
  }

  @Test
  void aMissingFieldOrAnotherTypeIsEmpty() {
    assertEquals(Optional.empty(), NODE.text(JsonDocument.pointer("spec", "podCIDR")));
    assertEquals(Optional.empty(), NODE.text(JsonDocument.pointer("metadata", "annotations", "n")));
    assertEquals(Optional.empty(), NODE.text(JsonDocument.pointer("metadata", "labels")));
    assertEquals(Optional.empty(), NODE.text(JsonDocument.pointer("spec", "taints")));
  }

  @Test
  void aBodyThatIsNotJsonIsRefusedSayingSo() {
    var e =
        assertThrows(
            UncheckedIOException.class,
            () -> json("<html>502</html>").text(JsonDocument.pointer("message")));
    assertTrue(e.getMessage().startsWith("not JSON: "), e.getMessage());
  }
}
