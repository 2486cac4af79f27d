package io.kmetal.storage.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kmetal.storage.testbed.PulumiCli;
import io.kmetal.storage.testbed.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the running plugin serves, asked by the real pulumi CLI, equals schema.json: from source
 * ({@code provider/}, PulumiPlugin.yaml with the Java runtime, built and started by Maven through
 * pulumi-language-java) and in its packaged form (the launcher and jar of the tarball). The
 * comparison is of JSON values: the CLI prints the schema it parsed, not the bytes it got.
 */
class PluginSchemaIT {
  @ParameterizedTest(name = "pulumi package get-schema {0}")
  @ValueSource(strings = {"provider", "provider/target/plugin/pulumi-resource-kmetal-storage"})
  void theRunningPluginServesSchemaJson(String plugin) throws Exception {
    Path root = Sandbox.projectRoot();
    Path empty = Files.createTempDirectory("get-schema-");
    PulumiCli pulumi = new PulumiCli(Files.createDirectories(empty.resolve("cwd")), empty);
    String out =
        pulumi
            .run("package", "get-schema", root.resolve(plugin).toString())
            .requireSuccess("get-schema " + plugin)
            .output();
    ObjectMapper json = new ObjectMapper();
    JsonNode served = json.readTree(out.substring(out.indexOf('{')));
    JsonNode committed = json.readTree(root.resolve("schema.json").toFile());
    assertEquals(committed, served);
  }
}
