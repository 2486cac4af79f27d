package io.kmetal.storage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kmetal.storage.testbed.Sandbox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code kmetal released} against the sandbox's under cluster: volumes bound to claims, then
 * released for real by deleting the claims (the kube-controller-manager's volume controller marks
 * them Released), listed and deleted by the command; a Bound volume and one of a Delete class stay.
 */
class ReleasedCommandIT {
  private static final String NS = "released-it";
  private static final String RETAIN = "released-it-retain";
  private static final String DELETE = "released-it-delete";
  private static KubernetesClient under;

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
    bind("released-it-a", RETAIN, "Retain");
    bind("released-it-b", RETAIN, "Retain");
    bind("released-it-kept", RETAIN, "Retain");
    bind("released-it-d", DELETE, "Delete");
    for (String pv : List.of("released-it-a", "released-it-b", "released-it-kept", "released-it-d"))
      await(pv, "Bound");
    for (String claim : List.of("released-it-a", "released-it-b", "released-it-d"))
      under.persistentVolumeClaims().inNamespace(NS).withName(claim).delete();
    await("released-it-a", "Released");
    await("released-it-b", "Released");
  }

  @AfterAll
  static void cleanUp() {
    under.persistentVolumeClaims().inNamespace(NS).delete();
    for (String pv : List.of("released-it-a", "released-it-b", "released-it-kept", "released-it-d"))
      under.persistentVolumes().withName(pv).delete();
    under.storage().v1().storageClasses().withName(RETAIN).delete();
    under.storage().v1().storageClasses().withName(DELETE).delete();
  }

  /** A PV pre-bound to a claim of the same name, and the claim. */
  private static void bind(String name, String storageClass, String policy) {
    under
        .persistentVolumes()
        .resource(
            new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", new Quantity("1Gi")))
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(storageClass)
                .withPersistentVolumeReclaimPolicy(policy)
                .withNewHostPath()
                .withPath("/var/lib/released-it/" + name)
                .endHostPath()
                .withNewClaimRef()
                .withNamespace(NS)
                .withName(name)
                .endClaimRef()
                .endSpec()
                .build())
        .create();
    under
        .persistentVolumeClaims()
        .inNamespace(NS)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(storageClass)
                .withVolumeName(name)
                .withNewResources()
                .withRequests(Map.of("storage", new Quantity("1Gi")))
                .endResources()
                .endSpec()
                .build())
        .create();
  }

  private static void await(String pv, String phase) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      var v = under.persistentVolumes().withName(pv).get();
      if (v != null && v.getStatus() != null && phase.equals(v.getStatus().getPhase())) return;
      assertTrue(System.nanoTime() < deadline, pv + " never became " + phase);
      TimeUnit.MILLISECONDS.sleep(250);
    }
  }

  private record Run(int exit, String out, String err) {}

  private static Run released(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = new CommandLine(new Kmetal());
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
    assertNull(under.persistentVolumes().withName("released-it-a").get());
    assertNull(under.persistentVolumes().withName("released-it-b").get());
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
