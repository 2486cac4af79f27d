package io.kmetal.csi.webhook;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kmetal.csi.kube.KubeClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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
    ValidatingWebhookConfiguration config =
        Serialization.unmarshal(yaml, ValidatingWebhookConfiguration.class);
    for (ValidatingWebhook w : config.getWebhooks()) w.getClientConfig().setCaBundle(caBundle);
    try (var tenant = KubeClients.client(kubeconfigs.resolve(cluster).resolve("kubeconfig"))) {
      tenant.resource(config).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }
    log.debug("pushed {} to {}", config.getMetadata().getName(), cluster);
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
