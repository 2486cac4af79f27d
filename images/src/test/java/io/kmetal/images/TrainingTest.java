package io.kmetal.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kmetal.contract.DriverFlags;
import io.kmetal.storage.fleet.FleetFile;
import io.kmetal.storage.internal.render.FleetRenderer;
import io.kmetal.storage.internal.render.Manifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each driver image's class archive is trained on a start like its pods': every flag its main
 * mode's rendered containers pass, and the metrics endpoint exactly when they serve it. A class in
 * the archive costs every process of the image memory whether it runs or not.
 */
class TrainingTest {
  /** A tenant with the default sidecars and one with upstream's, which render other flags. */
  private static final List<Manifest> RENDERED =
      FleetRenderer.render(
          FleetFile.parse(
              """
              storageTiers:
                - {name: tenant-storage-class, role: tenant, backend: {cephRbd: {clusterID: c, pool: p}}}
              tenantStorages:
                - {name: alpha, storageQuota: 10Gi, clusters: [{name: prod}]}
                - {name: beta, storageQuota: 1Gi, clusters: [{name: one}], upstreamSidecars: true}
              """,
              "training.yaml"));

  static Stream<ImageSpec> driverImages() {
    return ImageSpec.DRIVER.stream();
  }

  @ParameterizedTest
  @MethodSource("driverImages")
  void theTrainingPassesEveryFlagItsModesPodsAreRenderedWith(ImageSpec image) {
    ImageSpec.Training training = ((ImageSpec.Driver) image.content()).training();
    Set<String> trained = flagNames(ClassArchive.arguments(training, Path.of("csi.sock"), 1, 2));
    List<Container> pods = mainModeContainers(image, training);
    assertEquals(2, pods.size(), image.name() + ": one container per tenant cluster");
    for (Container c : pods)
      assertTrue(
          trained.containsAll(flagNames(c.getArgs())),
          image.name() + " is rendered with " + c.getArgs() + " but trained with " + trained);
  }

  @ParameterizedTest
  @MethodSource("driverImages")
  void theTrainingServesMetricsExactlyWhenTheModesPodsDo(ImageSpec image) {
    ImageSpec.Training training = ((ImageSpec.Driver) image.content()).training();
    for (Container c : mainModeContainers(image, training))
      assertEquals(
          flagNames(c.getArgs()).contains(DriverFlags.METRICS_ADDRESS),
          training.scraped(),
          image.name() + " is rendered with " + c.getArgs());
    boolean trainedOnMetrics =
        flagNames(ClassArchive.arguments(training, Path.of("csi.sock"), 1, 2))
            .contains(DriverFlags.METRICS_ADDRESS);
    assertEquals(training.scraped(), trainedOnMetrics);
  }

  /** The containers running the image in its main mode (the training's first argument). */
  private static List<Container> mainModeContainers(ImageSpec image, ImageSpec.Training training) {
    String mode = training.arguments().get(0);
    return RENDERED.stream()
        .map(TrainingTest::podSpec)
        .filter(pod -> pod != null)
        .flatMap(pod -> pod.getContainers().stream())
        .filter(c -> c.getImage().equals(image.reference()))
        .filter(c -> !c.getArgs().isEmpty() && c.getArgs().get(0).equals(mode))
        .toList();
  }

  private static PodSpec podSpec(Manifest m) {
    if (m.object() instanceof Deployment d) return d.getSpec().getTemplate().getSpec();
    if (m.object() instanceof DaemonSet ds) return ds.getSpec().getTemplate().getSpec();
    return null;
  }

  private static Set<String> flagNames(List<String> arguments) {
    return arguments.stream()
        .filter(a -> a.startsWith("--"))
        .map(a -> a.split("=", 2)[0])
        .collect(Collectors.toSet());
  }
}
