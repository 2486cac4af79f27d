package io.kmetal.storage.internal.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kmetal.storage.testbed.Sandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The single-default policies, applied as rendered to the sandbox's real kube-apiserver (its CEL
 * admission), refuse a second default StorageClass and a second default VolumeSnapshotClass of the
 * driver, from anyone, and let the platform's own default and every non-default class through.
 * Their bindings are scoped to this test's objects, so the rest of the suite is not refused.
 */
class SingleDefaultPolicyIT {
  private static final String DRIVER = "policy-it.csi.example.com";
  private static final Map<String, String> SCOPE = Map.of("kmetal.io/policy-it", "true");
  private static final List<HasMetadata> POLICIES = new ArrayList<>();
  private static final List<HasMetadata> CREATED = new ArrayList<>();
  private static KubernetesClient under;

  @BeforeAll
  static void applyThePolicies() {
    under = Sandbox.running().under().client();
    POLICIES.addAll(SingleDefaultPolicyRenderer.storageClass("policy-it-default", Map.of()));
    POLICIES.addAll(
        SingleDefaultPolicyRenderer.snapshotClass(DRIVER, "policy-it-snap-default", Map.of()));
    for (HasMetadata p : POLICIES) under.resource(scopedToThisTest(p)).serverSideApply();
  }

  /**
   * The rendered policies as they are; their bindings only for objects with {@link #SCOPE}: the
   * rest of the suite shares this API server and makes default classes of its own meanwhile (a
   * deleted policy is still enforced for a moment).
   */
  private static HasMetadata scopedToThisTest(HasMetadata object) {
    if (object instanceof ValidatingAdmissionPolicyBinding binding)
      binding
          .getSpec()
          .setMatchResources(
              new io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchResourcesBuilder()
                  .withNewObjectSelector()
                  .withMatchLabels(SCOPE)
                  .endObjectSelector()
                  .build());
    return object;
  }

  @AfterAll
  static void removeEverything() {
    for (HasMetadata o : CREATED) under.resource(o).delete();
    for (int i = POLICIES.size() - 1; i >= 0; i--) under.resource(POLICIES.get(i)).delete();
    under.close();
  }

  @Test
  void aSecondDefaultStorageClassIsRefusedNamingThePlatformsDefault() throws Exception {
    String refusal = awaitRefusal(storageClass("policy-it-intruder", true));
    assertTrue(
        refusal.contains(
            "StorageClass policy-it-intruder may not be a default class: policy-it-default is the"
                + " cluster's one default (kmetal-storage policy"
                + " kmetal-single-default-storageclass)"),
        refusal);
  }

  @Test
  void thePlatformsDefaultAndNonDefaultClassesAreAdmitted() throws Exception {
    awaitRefusal(storageClass("policy-it-probe", true)); // the policy is in force
    create(storageClass("policy-it-default", true));
    create(storageClass("policy-it-plain", false));
    create(snapshotClass("policy-it-snap-default", DRIVER, true));
    create(snapshotClass("policy-it-snap-plain", DRIVER, false));
    create(snapshotClass("policy-it-other-driver", "other.csi.example.com", true));
    assertEquals(
        "true",
        under
            .storage()
            .v1()
            .storageClasses()
            .withName("policy-it-default")
            .get()
            .getMetadata()
            .getAnnotations()
            .get(SingleDefaultPolicyRenderer.STORAGE_CLASS_DEFAULT));
  }

  @Test
  void aSecondDefaultSnapshotClassOfTheDriverIsRefused() throws Exception {
    String refusal = awaitRefusal(snapshotClass("policy-it-snap-intruder", DRIVER, true));
    assertTrue(
        refusal.contains(
            "VolumeSnapshotClass policy-it-snap-intruder may not be a default class of "
                + DRIVER
                + ": policy-it-snap-default is its one default"),
        refusal);
  }

  /**
   * Creates {@code object} until the API server refuses it (a new policy takes a moment to be
   * enforced) and returns the refusal; fails if it is still admitted after 20 s.
   */
  private static String awaitRefusal(HasMetadata object) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        under.resource(object).create();
        under.resource(object).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 403 || e.getCode() == 422) return e.getMessage();
        throw e;
      }
      Thread.sleep(300);
    }
    throw new AssertionError(object.getMetadata().getName() + " was still admitted after 20 s");
  }

  private static void create(HasMetadata object) {
    under.resource(object).create();
    CREATED.add(object);
  }

  private static StorageClass storageClass(String name, boolean isDefault) {
    return new StorageClassBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(SCOPE)
        .withAnnotations(
            isDefault ? Map.of(SingleDefaultPolicyRenderer.STORAGE_CLASS_DEFAULT, "true") : null)
        .endMetadata()
        .withProvisioner("policy-it.example.com")
        .build();
  }

  private static GenericKubernetesResource snapshotClass(
      String name, String driver, boolean isDefault) {
    return Crds.snapshotClass(name, driver, "Delete", Map.of(), isDefault, SCOPE);
  }
}
