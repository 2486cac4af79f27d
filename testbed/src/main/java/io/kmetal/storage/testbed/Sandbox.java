package io.kmetal.storage.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kmetal.contract.ClientKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    public List<Path> filesHoldingClientKey(Path dir) {
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
        if (ClientKeys.isEc(config.getClientKeyData())) config.setClientKeyAlgo("EC");
        return new KubernetesClientBuilder().withConfig(config).build();
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + kubeconfig, e);
      }
    }
  }

  private final Map<String, Cluster> clusters;
  private final Map<String, String> env;

  private Sandbox(Map<String, Cluster> clusters, Map<String, String> env) {
    this.clusters = clusters;
    this.env = env;
  }

  /** The running sandbox; fails with the command to run when there is none. */
  public static Sandbox running() {
    return read(Map.of());
  }

  /**
   * The sandbox with these tenant clusters ({@code ns/cluster}) running besides whatever runs
   * already: {@code sandbox up --with-nodes --tenant …} is idempotent.
   */
  public static Sandbox withTenants(List<String> tenants) {
    List<String> args = new ArrayList<>(List.of("up", "--with-nodes"));
    for (String t : tenants) args.addAll(List.of("--tenant", t));
    script(Map.of(), args);
    return running();
  }

  /**
   * The sandbox in folder {@code dir} (another than the suite's), brought up with real nodes
   * ({@code sandbox up --with-kubelet}, which needs {@code ./kmetal images all}) and {@code
   * tenants}.
   */
  public static Sandbox withKubelet(Path dir, List<String> tenants) {
    Map<String, String> env = Map.of("KMETAL_SANDBOX", dir.toString());
    List<String> args = new ArrayList<>(List.of("up", "--with-kubelet"));
    for (String t : tenants) args.addAll(List.of("--tenant", t));
    script(env, args);
    return read(env);
  }

  /**
   * Stops whatever a sandbox in folder {@code dir} still runs and wipes its data ({@code down}): a
   * test that owns its sandbox starts from nothing even after a run that was killed.
   */
  public static void downAt(Path dir) {
    script(Map.of("KMETAL_SANDBOX", dir.toString()), List.of("down"));
  }

  /** Publishes the under cluster's Services to the API servers' resolver ({@code dns}). */
  public void publishServices() {
    script(env, List.of("dns"));
  }

  /** Stops the sandbox and everything it started ({@code down}); returns its output. */
  public String down() {
    return script(env, List.of("down"));
  }

  private static Sandbox read(Map<String, String> env) {
    String json = script(env, List.of("status", "--json"));
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
    return new Sandbox(clusters, env);
  }

  /** Runs {@code sandbox.sh args} with {@code env}; its standard output, or why it failed. */
  private static String script(Map<String, String> env, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(projectRoot().resolve("testbed/sandbox/sandbox.sh").toString());
    command.addAll(args);
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(env);
      Path log = Files.createTempFile("sandbox-", ".log");
      Process p = builder.redirectError(log.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int rc = p.waitFor();
      String err = Files.readString(log);
      Files.delete(log);
      if (rc != 0)
        throw new IllegalStateException(
            "sandbox.sh " + String.join(" ", args) + " failed:\n" + err);
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run sandbox.sh", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Cluster under() {
    return clusters.get("under");
  }

  /** The sandbox's certificates: CAs, client identities and test-bed serving certificates. */
  public Path pki() {
    return dir().resolve("pki");
  }

  /** The sandbox's folder ({@code $KMETAL_SANDBOX}). */
  public Path dir() {
    return under().kubeconfig().getParent().getParent();
  }

  /**
   * The folder of real node {@code name} ({@code up --with-kubelet}), in whichever cluster has it.
   */
  public Optional<Path> nodeDir(String name) {
    List<Path> candidates = new ArrayList<>();
    candidates.add(dir().resolve("under/nodes").resolve(name));
    for (Cluster tenant : tenants())
      candidates.add(tenant.kubeconfig().getParent().resolve("nodes").resolve(name));
    return candidates.stream().filter(d -> Files.exists(d.resolve("node.env"))).findFirst();
  }

  /** The running tenant clusters, in the order {@code sandbox.sh status} lists them. */
  public List<Cluster> tenants() {
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
