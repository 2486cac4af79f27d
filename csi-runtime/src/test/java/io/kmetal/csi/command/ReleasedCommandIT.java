package io.kmetal.csi.command;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kmetal.storage.testbed.Sandbox;
import io.kmetal.storage.testbed.volumes.StaticVolumes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code released} (the one command behind {@code kmetal released} and {@code kmetal-csi released})
 * against the sandbox's under cluster: volumes bound to claims, then released for real by deleting
 * the claims (the kube-controller-manager's volume controller marks them Released), listed and
 * deleted by the command; a Bound volume and one of a Delete class stay.
 */
class ReleasedCommandIT {
  private static final String NS = "released-it";
  private static final String RETAIN = "released-it-retain";
  private static final String DELETE = "released-it-delete";
  private static KubernetesClient under;
  private static StaticVolumes volumes;

  @BeforeAll
  static void releaseVolumesForReal() throws Exception {
    under = Sandbox.running().under().client();
    cleanUp();
    under
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    for (var c : Map.of(RETAIN, "Retain", DELETE, "Delete").entrySet())
      under
          .storage()
          .v1()
          .storageClasses()
          .resource(
              new StorageClassBuilder()
                  .withNewMetadata()
                  .withName(c.getKey())
                  .endMetadata()
                  .withProvisioner("kubernetes.io/no-provisioner")
                  .withReclaimPolicy(c.getValue())
                  .build())
          .serverSideApply();
    volumes = new StaticVolumes(under, NS);
    volumes.bind("released-it-a", RETAIN, "Retain");
    volumes.bind("released-it-b", RETAIN, "Retain");
    volumes.bind("released-it-kept", RETAIN, "Retain");
    volumes.bind("released-it-d", DELETE, "Delete");
    volumes.release("released-it-a");
    volumes.release("released-it-b");
    // a Delete volume without a deleter fails rather than turning Released: its phase is not waited
    under.persistentVolumeClaims().inNamespace(NS).withName("released-it-d").delete();
  }

  @AfterAll
  static void cleanUp() {
    under.persistentVolumeClaims().inNamespace(NS).delete();
    for (String pv : List.of("released-it-a", "released-it-b", "released-it-kept", "released-it-d"))
      under.persistentVolumes().withName(pv).delete();
    under.storage().v1().storageClasses().withName(RETAIN).delete();
    under.storage().v1().storageClasses().withName(DELETE).delete();
  }

  private record Run(int exit, String out, String err) {}

  private static Run released(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = DriverCli.commandLine(new io.kmetal.csi.Main());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> all = new java.util.ArrayList<>(List.of("released"));
    all.addAll(List.of(args));
    int exit = cli.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private static String kubeconfig() {
    return "--kubeconfig=" + Sandbox.running().under().kubeconfig();
  }

  @Test
  void aDryRunListsTheReleasedRetainVolumesThenDeleteTakesOnlyThem() {
    Run dry = released(kubeconfig(), "--storage-class=" + RETAIN);
    assertEquals(0, dry.exit(), dry.err());
    assertTrue(dry.out().contains("released-it-a"), dry.out());
    assertTrue(dry.out().contains(NS + "/released-it-b"), dry.out());
    assertFalse(dry.out().contains("released-it-kept"), dry.out());
    assertTrue(dry.out().contains("2 Released volume(s) of Retain classes, 2.0Gi (dry run"));
    assertNotNull(
        under.persistentVolumes().withName("released-it-a").get(), "a dry run deletes nothing");

    Run everyClass = released(kubeconfig());
    assertFalse(everyClass.out().contains("released-it-d"), "never a Delete class's volume");

    Run refused = released(kubeconfig(), "--storage-class=" + RETAIN, "--delete");
    assertEquals(2, refused.exit());
    assertTrue(refused.err().contains("--delete and --yes go together"), refused.err());
    assertNotNull(under.persistentVolumes().withName("released-it-a").get());

    Run deleted = released(kubeconfig(), "--storage-class=" + RETAIN, "--delete", "--yes");
    assertEquals(0, deleted.exit(), deleted.out() + deleted.err());
    assertTrue(deleted.out().contains("deleted: released-it-a"), deleted.out());
    // the API accepts the delete at once; the PV leaves when the controller manager drops the
    // kubernetes.io/pv-protection finalizer
    for (String pv : List.of("released-it-a", "released-it-b"))
      assertNull(
          under.persistentVolumes().withName(pv).waitUntilCondition(Objects::isNull, 60, SECONDS));
    assertEquals(
        "Bound",
        under.persistentVolumes().withName("released-it-kept").get().getStatus().getPhase());
    assertNotNull(under.persistentVolumes().withName("released-it-d").get());
  }

  @Test
  void anUnreadableClusterIsExitOneNamingTheKubeconfig() {
    Run run = released("--kubeconfig=/nonexistent/kubeconfig");
    assertEquals(1, run.exit());
    assertTrue(run.err().contains("--kubeconfig /nonexistent/kubeconfig"), run.err());
  }

  @Test
  void aMalformedAgeIsAUsageErrorNamingTheFlag() {
    Run run = released(kubeconfig(), "--older-than=soon");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("--older-than: \"soon\" is not an age"), run.err());
  }
}
