package io.kmetal.storage.provider.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kmetal.storage.fleet.FleetFile;
import io.kmetal.storage.internal.render.FleetRenderer;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.testbed.ExampleStack;
import io.kmetal.storage.testbed.PulumiCli;
import io.kmetal.storage.testbed.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * examples/yaml-platform: one StoragePlatform in Pulumi YAML through the plugin, the real engine
 * and pulumi-kubernetes against the sandbox; what it creates is what {@code kmetal render} writes
 * for the same fleet (examples/yaml-platform/fleet.yaml).
 */
@TestMethodOrder(OrderAnnotation.class)
class YamlPlatformE2E {
  private static final Path EXAMPLE = Sandbox.projectRoot().resolve("examples/yaml-platform");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ExampleStack stack;
  private static PulumiCli pulumi;

  @BeforeAll
  static void createStack() throws Exception {
    stack = ExampleStack.create("yaml-platform");
    pulumi = stack.pulumi();
  }

  @AfterAll
  static void removeStack() {
    if (stack != null) {
      pulumi.run("destroy", "--yes", "--skip-preview");
      stack.remove();
    }
  }

  private static List<Manifest> rendered() throws Exception {
    return FleetRenderer.render(FleetFile.load(EXAMPLE.resolve("fleet.yaml")));
  }

  private static KubernetesClient clientFor(Manifest m) {
    return m.target().isUnder()
        ? stack.sandbox().under().client()
        : stack.sandbox().tenant(m.target().tenantNamespace(), m.target().cluster()).client();
  }

  @Test
  @Order(1)
  void theProgramIsTheFleetFilePlusKubeconfigs() throws Exception {
    JsonNode program = new YAMLMapper().readTree(EXAMPLE.resolve("Pulumi.yaml").toFile());
    ObjectNode platform = (ObjectNode) program.at("/resources/platform/properties").deepCopy();
    for (JsonNode tenant : platform.path("tenantStorages"))
      for (JsonNode cluster : tenant.path("clusters")) ((ObjectNode) cluster).remove("kubeconfig");
    JsonNode fleet = new YAMLMapper().readTree(EXAMPLE.resolve("fleet.yaml").toFile());
    assertEquals(fleet, platform);
  }

  @Test
  @Order(2)
  void upThenPreviewShowsNoChanges() {
    pulumi.run("up", "--yes", "--skip-preview").requireSuccess("pulumi up");
    pulumi.run("preview", "--expect-no-changes").requireSuccess("preview after up");
  }

  @Test
  @Order(3)
  void everyObjectRenderWritesIsLiveAsRendered() throws Exception {
    List<String> problems = new ArrayList<>();
    List<Manifest> manifests = rendered();
    for (Manifest m : manifests) {
      try (KubernetesClient client = clientFor(m)) {
        var live = client.resource(m.object()).get();
        if (live == null) {
          problems.add(m.target() + " " + m.kind() + " " + m.name() + ": not created");
          continue;
        }
        JsonNode want = JSON.valueToTree(m.object());
        JsonNode got = JSON.valueToTree(live);
        within(want, got, m.target() + " " + m.kind() + "/" + m.name(), problems);
      }
    }
    assertEquals(List.of(), problems, manifests.size() + " rendered objects");
    assertTrue(manifests.size() > 20, "the tier, the shared provisioner and the tenant");
  }

  /** Every field {@code want} sets holds the same value in {@code got} (which adds defaults). */
  private static void within(JsonNode want, JsonNode got, String path, List<String> problems) {
    if (want.isObject()) {
      for (Map.Entry<String, JsonNode> field : want.properties()) {
        JsonNode there = got.get(field.getKey());
        if (there == null) problems.add(path + "." + field.getKey() + ": missing live");
        else within(field.getValue(), there, path + "." + field.getKey(), problems);
      }
    } else if (want.isArray()) {
      if (!got.isArray() || got.size() != want.size()) {
        problems.add(path + ": " + want + " rendered, " + got + " live");
        return;
      }
      for (int i = 0; i < want.size(); i++)
        within(want.get(i), got.get(i), path + "[" + i + "]", problems);
    } else if (!want.asText().equals(got.asText())) {
      problems.add(path + ": " + want + " rendered, " + got + " live");
    }
  }

  @Test
  @Order(4)
  void destroyLeavesNoRenderedObjectBehind() throws Exception {
    stack.destroy();
    List<String> left = new ArrayList<>();
    for (Manifest m : rendered()) {
      if (m.ownership() != io.kmetal.storage.internal.render.Ownership.OWNED) continue;
      try (KubernetesClient client = clientFor(m)) {
        var live = client.resource(m.object()).get();
        if (live != null && live.getMetadata().getDeletionTimestamp() == null)
          left.add(m.target() + " " + m.kind() + "/" + m.name());
      }
    }
    assertEquals(List.of(), left);
  }
}
