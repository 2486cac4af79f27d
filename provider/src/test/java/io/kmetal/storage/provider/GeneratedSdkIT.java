package io.kmetal.storage.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.storage.testbed.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SDKs {@code ./kmetal sdk} generates from schema.json are usable as published: the nodejs one
 * installs and compiles, and the TypeScript example type-checks against it; the python one installs
 * and imports; go and java are generated with their package settings.
 */
class GeneratedSdkIT {
  private static final Path ROOT = Sandbox.projectRoot();
  private static final Path SDK = ROOT.resolve("provider/target/sdk");

  @BeforeAll
  static void generate() throws Exception {
    sh(ROOT, "./kmetal", "sdk", "nodejs", "python", "go", "java");
  }

  @Test
  void nodejsSdkInstallsAndCompilesAndTheTypeScriptExampleTypeChecks() throws Exception {
    Path nodejs = SDK.resolve("nodejs");
    sh(nodejs, "npm", "install", "--no-audit", "--no-fund", "--loglevel=error");
    sh(nodejs, "npx", "tsc"); // the SDK's own build: bin/ holds the package to depend on
    Files.copy(
        nodejs.resolve("package.json"),
        nodejs.resolve("bin/package.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertTrue(Files.exists(nodejs.resolve("bin/tenantStorage.d.ts")));

    Path example = Files.createTempDirectory("typescript-tenant-");
    for (String f : List.of("index.ts", "package.json", "tsconfig.json", "Pulumi.yaml")) {
      String text = Files.readString(ROOT.resolve("examples/typescript-tenant").resolve(f));
      Files.writeString(
          example.resolve(f),
          // the example's package.json names the SDK relative to its own folder
          text.replaceAll(
              "file:[./]*provider/target/sdk/nodejs/bin", "file:" + nodejs.resolve("bin")));
    }
    sh(example, "npm", "install", "--no-audit", "--no-fund", "--loglevel=error");
    sh(example, "npx", "tsc", "-p", "tsconfig.json");
  }

  @Test
  void pythonSdkInstallsAndImports() throws Exception {
    Path venv = Files.createTempDirectory("sdk-venv-");
    sh(venv, "python3", "-m", "venv", venv.toString());
    sh(
        venv,
        venv.resolve("bin/pip").toString(),
        "install",
        "--quiet",
        SDK.resolve("python").toString());
    String out =
        sh(
            venv,
            venv.resolve("bin/python").toString(),
            "-c",
            "import kmetal_storage as k; print(k.TenantStorage.__name__, k.StorageTier.__name__,"
                + " k.HppOverlay.__name__, k.TierRole.TENANT.value)");
    assertEquals("TenantStorage StorageTier HppOverlay tenant", out.strip());
  }

  @Test
  void goAndJavaSdksUseTheSchemasPackageNames() throws IOException {
    assertTrue(
        Files.readString(SDK.resolve("go/kmetalstorage/tenantStorage.go"))
            .contains("package kmetalstorage"));
    assertTrue(
        Files.exists(
            SDK.resolve("java/src/main/java/io/kmetal/sdk/kmetalstorage/TenantStorage.java")));
  }

  /** Runs a command in {@code dir}; fails with its output unless it exits 0; returns stdout. */
  static String sh(Path dir, String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(command));
    Path log = Files.createTempFile("sdk-", ".log");
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(cmd + " did not finish in 15 minutes");
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    assertEquals(0, p.exitValue(), () -> cmd + " failed:\n" + out);
    return out;
  }
}
