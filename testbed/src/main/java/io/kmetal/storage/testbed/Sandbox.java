package io.kmetal.storage.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The running test-bed sandbox ({@code ./kmetal sandbox up}), as {@code sandbox status --json}
 * describes it: the under cluster and the tenant clusters, each with its kubeconfig.
 */
public final class Sandbox {
  /** One cluster of the sandbox. */
  public record Cluster(String name, String kind, String server, Path kubeconfig) {
    /** The kubeconfig's {@code client-key-data}: what must never show up in plain text. */
    public String clientKeyData() {
      try {
        return Files.readString(kubeconfig)
            .lines()
            .filter(l -> l.contains("client-key-data"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException(kubeconfig + " has no client key"))
            .split(":")[1]
            .strip();
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + kubeconfig, e);
      }
    }

    /** The files under {@code dir} that hold this cluster's client key in plain text. */
    public java.util.List<Path> filesHoldingClientKey(Path dir) {
      String key = clientKeyData();
      try (var files = Files.walk(dir)) {
        return files
            .filter(Files::isRegularFile)
            .filter(
                f -> {
                  try {
                    return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)
                        .contains(key);
                  } catch (IOException e) {
                    throw new IllegalStateException("cannot read " + f, e);
                  }
                })
            .toList();
      } catch (IOException e) {
        throw new IllegalStateException("cannot list " + dir, e);
      }
    }

    public KubernetesClient client() {
      try {
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        config.setRequestTimeout(30_000);
        config.setClientKeyAlgo("EC"); // the sandbox's client keys are P-256 (PKCS#8)
        return new KubernetesClientBuilder().withConfig(config).build();
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + kubeconfig, e);
      }
    }
  }

  private final Map<String, Cluster> clusters;

  private Sandbox(Map<String, Cluster> clusters) {
    this.clusters = clusters;
  }

  /** The running sandbox; fails with the command to run when there is none. */
  public static Sandbox running() {
    Path script = projectRoot().resolve("testbed/sandbox/sandbox.sh");
    String json;
    try {
      Process p =
          new ProcessBuilder(script.toString(), "status", "--json")
              .redirectErrorStream(false)
              .start();
      json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) throw new IllegalStateException(script + " status --json failed");
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Map<String, Cluster> clusters = new LinkedHashMap<>();
    try {
      for (JsonNode n : new ObjectMapper().readTree(json)) {
        clusters.put(
            n.get("name").asText(),
            new Cluster(
                n.get("name").asText(),
                n.get("kind").asText(),
                n.get("server").asText(),
                Path.of(n.get("kubeconfig").asText())));
      }
    } catch (IOException e) {
      throw new IllegalStateException("unreadable sandbox status: " + json, e);
    }
    if (!clusters.containsKey("under")) {
      throw new IllegalStateException(
          "the sandbox is not running: start it with ./kmetal sandbox up");
    }
    return new Sandbox(clusters);
  }

  /**
   * The sandbox with these tenant clusters ({@code ns/cluster}) running besides whatever runs
   * already: {@code sandbox up --with-nodes --tenant …} is idempotent.
   */
  public static Sandbox withTenants(java.util.List<String> tenants) {
    java.util.List<String> command =
        new java.util.ArrayList<>(
            java.util.List.of(
                projectRoot().resolve("testbed/sandbox/sandbox.sh").toString(),
                "up",
                "--with-nodes"));
    for (String t : tenants) command.addAll(java.util.List.of("--tenant", t));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0)
        throw new IllegalStateException("sandbox up " + tenants + " failed:\n" + out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run sandbox.sh", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return running();
  }

  public Cluster under() {
    return clusters.get("under");
  }

  /** The sandbox's certificates: CAs, client identities and test-bed serving certificates. */
  public Path pki() {
    return under().kubeconfig().getParent().getParent().resolve("pki");
  }

  /** The running tenant clusters, in the order {@code sandbox.sh status} lists them. */
  public java.util.List<Cluster> tenants() {
    return clusters.values().stream().filter(c -> c.kind().equals("tenant")).toList();
  }

  /** Tenant cluster {@code <namespace>/<cluster>}. */
  public Cluster tenant(String namespace, String cluster) {
    Cluster c = clusters.get(namespace + "/" + cluster);
    if (c == null)
      throw new IllegalStateException(
          "the sandbox has no tenant cluster " + namespace + "/" + cluster);
    return c;
  }

  /** The project root, found from the module or the root. */
  public static Path projectRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("kmetal")) && Files.isDirectory(dir.resolve("testbed")))
        return dir;
    }
    throw new IllegalStateException("project root not found above " + Path.of("").toAbsolutePath());
  }
}
