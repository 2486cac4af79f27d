package io.kmetal.csi.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kmetal.csi.kube.KubeClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's "push" mode: applies each tenant cluster's ValidatingWebhookConfiguration, as {@code
 * TenantStorage} rendered it into {@code <configurations>/<cluster>.yaml}, to that cluster through
 * {@code <kubeconfigs>/<cluster>/kubeconfig}, with the CA bundle from the serving secret's {@code
 * ca.crt}. Applied at start and again every interval, so a rotated CA or a deleted configuration
 * comes back; a cluster that cannot be reached is logged and tried again next time.
 */
final class ConfigurationPusher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigurationPusher.class);
  static final String FIELD_MANAGER = "kmetal-webhook";
  private static final String CONFIGURATIONS =
      "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/";
  private static final YAMLMapper YAML = new YAMLMapper();

  private final Path configurations;
  private final Path kubeconfigs;
  private final Path caFile;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "configuration-push");
            t.setDaemon(true);
            return t;
          });

  /** Each cluster's client, made again when its kubeconfig file changes (a rotated secret). */
  private final Map<String, Client> clients = new ConcurrentHashMap<>();

  private record Client(FileTime read, KubeClient client) {}

  ConfigurationPusher(Path configurations, Path kubeconfigs, Path caFile) {
    this.configurations = configurations;
    this.kubeconfigs = kubeconfigs;
    this.caFile = caFile;
  }

  void start(Duration every) {
    timer.scheduleWithFixedDelay(this::pushAll, 0, every.toSeconds(), TimeUnit.SECONDS);
  }

  /** Pushes every cluster's configuration once; returns the clusters that failed. */
  List<String> pushAll() {
    List<String> failed = new ArrayList<>();
    String caBundle;
    try {
      caBundle = Base64.getEncoder().encodeToString(Files.readAllBytes(caFile));
    } catch (IOException e) {
      log.warn(
          "cannot push webhook configurations: no CA bundle at {}: {}", caFile, e.getMessage());
      return List.of("*");
    }
    for (Path file : files()) {
      String cluster = file.getFileName().toString().replaceFirst("\\.yaml$", "");
      try {
        push(cluster, Files.readString(file, StandardCharsets.UTF_8), caBundle);
      } catch (IOException | RuntimeException e) {
        failed.add(cluster);
        log.warn("cannot push the webhook configuration to {}: {}", cluster, e.getMessage());
      }
    }
    return failed;
  }

  private List<Path> files() {
    try (Stream<Path> s = Files.list(configurations)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      log.warn("cannot list {}: {}", configurations, e.getMessage());
      return List.of();
    }
  }

  private void push(String cluster, String yaml, String caBundle) throws IOException {
    JsonNode config = YAML.readTree(yaml);
    String name = config.path("metadata").path("name").asText();
    if (name.isEmpty()) throw new IOException("the configuration for " + cluster + " has no name");
    for (JsonNode w : config.path("webhooks"))
      if (w.path("clientConfig") instanceof ObjectNode clientConfig)
        clientConfig.put("caBundle", caBundle);
    client(cluster).apply(CONFIGURATIONS + name, config, FIELD_MANAGER);
    log.debug("pushed {} to {}", name, cluster);
  }

  private KubeClient client(String cluster) throws IOException {
    Path kubeconfig = kubeconfigs.resolve(cluster).resolve("kubeconfig");
    FileTime modified = Files.getLastModifiedTime(kubeconfig);
    Client known = clients.get(cluster);
    if (known != null && known.read().equals(modified)) return known.client();
    var fresh = new Client(modified, KubeClient.of(kubeconfig));
    clients.put(cluster, fresh);
    return fresh.client();
  }

  /** Names the clusters whose kubeconfig is missing, for a clear error at start. */
  List<String> missingKubeconfigs() {
    return files().stream()
        .map(f -> f.getFileName().toString().replaceFirst("\\.yaml$", ""))
        .filter(c -> !Files.isRegularFile(kubeconfigs.resolve(c).resolve("kubeconfig")))
        .toList();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
