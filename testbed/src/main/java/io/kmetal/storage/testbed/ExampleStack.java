package io.kmetal.storage.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One program of {@code examples/} as a fresh stack on the sandbox: the tenant clusters it needs
 * started, the kmetal-storage plugin installed from its tarball (for every language but Java), and
 * the kubeconfig paths set as config ({@code underKubeconfig}, {@code
 * tenantKubeconfigs.<cluster>}), which the programs read as secrets.
 */
public final class ExampleStack {
  /** The examples and the sandbox tenant clusters ({@code ns/cluster}) each one deploys to. */
  public static final Map<String, List<String>> TENANTS =
      Map.of(
          "java-fleet", List.of("alpha/alpha-prod", "alpha/alpha-dev"),
          "yaml-tenant", List.of("beta/beta-one"),
          "yaml-platform", List.of("delta/delta-one"),
          "typescript-tenant", List.of("gamma/gamma-one"));

  public static final String PLUGIN_VERSION = "0.1.0";

  private final String name;
  private final Sandbox sandbox;
  private final PulumiCli pulumi;
  private final Path state;

  private ExampleStack(String name, Sandbox sandbox, PulumiCli pulumi, Path state) {
    this.name = name;
    this.sandbox = sandbox;
    this.pulumi = pulumi;
    this.state = state;
  }

  /** A new stack of example {@code name}, its state in a new temporary folder. */
  public static ExampleStack create(String name) throws IOException {
    List<String> tenants = TENANTS.get(name);
    if (tenants == null)
      throw new IllegalArgumentException(
          "unknown example \"" + name + "\"; known: " + String.join(", ", TENANTS.keySet()));
    Path dir = Sandbox.projectRoot().resolve("examples").resolve(name);
    requireLanguageHost(dir);
    Sandbox sandbox = Sandbox.withTenants(tenants);
    Path state = Files.createTempDirectory(name + "-state-");
    PulumiCli pulumi = new PulumiCli(dir, state);
    if (!name.startsWith("java-")) {
      pulumi
          .run(
              "plugin",
              "install",
              "resource",
              "kmetal-storage",
              PLUGIN_VERSION,
              "--file",
              pluginTarball().toString())
          .requireSuccess("plugin install");
    }
    pulumi.run("stack", "init", "example").requireSuccess("stack init");
    pulumi
        .run("config", "set", "underKubeconfig", sandbox.under().kubeconfig().toString())
        .requireSuccess("config");
    if (runtime(dir).equals("nodejs")) { // no explicit under provider: the default one's config
      pulumi
          .run(
              "config",
              "set",
              "--secret",
              "kubernetes:kubeconfig",
              Files.readString(sandbox.under().kubeconfig()))
          .requireSuccess("config");
    }
    for (String tenant : tenants) {
      String[] nsCluster = tenant.split("/");
      pulumi
          .run(
              "config",
              "set",
              "--path",
              "tenantKubeconfigs[\"" + nsCluster[1] + "\"]",
              sandbox.tenant(nsCluster[0], nsCluster[1]).kubeconfig().toString())
          .requireSuccess("config");
    }
    return new ExampleStack(name, sandbox, pulumi, state);
  }

  /** {@code runtime:} of the example's Pulumi.yaml (a plain name or {@code name:} below it). */
  static String runtime(Path dir) throws IOException {
    var m =
        java.util.regex.Pattern.compile("(?m)^runtime:\\s*(?:\\n\\s+name:\\s*)?(\\w+)")
            .matcher(Files.readString(dir.resolve("Pulumi.yaml")));
    if (!m.find()) throw new IllegalStateException(dir + "/Pulumi.yaml names no runtime");
    return m.group(1);
  }

  /** Fails with the reason when the example's language host is not in the test bed. */
  static void requireLanguageHost(Path dir) throws IOException {
    String host = "pulumi-language-" + runtime(dir);
    if (!Files.isExecutable(PulumiCli.toolsBin().resolve(host))) {
      throw new IllegalStateException(
          dir.getFileName()
              + " needs "
              + host
              + ", which the test bed cannot build here (the Go module proxy does not serve"
              + " it); see the README's Examples section");
    }
  }

  /** The tarball {@code ./kmetal plugin} (the provider module's package phase) builds. */
  public static Path pluginTarball() {
    Path tarball =
        Sandbox.projectRoot()
            .resolve(
                "provider/target/pulumi-resource-kmetal-storage-v"
                    + PLUGIN_VERSION
                    + "-linux-amd64.tar.gz");
    if (!Files.isRegularFile(tarball))
      throw new IllegalStateException(tarball + " is missing: build it with ./kmetal plugin");
    return tarball;
  }

  public String name() {
    return name;
  }

  public Sandbox sandbox() {
    return sandbox;
  }

  public PulumiCli pulumi() {
    return pulumi;
  }

  /** The stack's state folder (file backend): what a secrets check reads. */
  public Path state() {
    return state;
  }

  /** What {@code ./kmetal example run} checks: up, a preview with no changes, destroy. */
  public void upPreviewDestroy() {
    pulumi.run("up", "--yes", "--skip-preview").requireSuccess(name + ": pulumi up");
    pulumi.run("preview", "--expect-no-changes").requireSuccess(name + ": preview after up");
    destroy();
  }

  public void destroy() {
    pulumi.run("destroy", "--yes", "--skip-preview").requireSuccess(name + ": pulumi destroy");
  }

  /** Removes the stack and its state (after a destroy). */
  public void remove() {
    pulumi.run("stack", "rm", "--yes", "--force");
  }

  /** {@code ExampleStack <name>}: the {@code ./kmetal example run} entry point. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: kmetal example run <" + String.join("|", TENANTS.keySet()) + ">");
      System.exit(2);
    }
    ExampleStack stack = create(args[0]);
    try {
      System.out.println(args[0] + ": up, preview (expecting no changes), destroy");
      stack.upPreviewDestroy();
      System.out.println(args[0] + ": ok");
    } catch (AssertionError e) {
      System.err.println(e.getMessage());
      stack.pulumi.run("destroy", "--yes", "--skip-preview");
      System.exit(1);
    } finally {
      stack.remove();
    }
  }
}
