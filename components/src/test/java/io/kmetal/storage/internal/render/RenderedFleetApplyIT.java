package io.kmetal.storage.internal.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kmetal.storage.Fixtures;
import io.kmetal.storage.model.Target;
import io.kmetal.storage.testbed.Sandbox;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every object the acceptance fleet renders is accepted by real API servers (server-side apply, the
 * sandbox's CRD schemas included), and the under cluster's own quota admission refuses a claim over
 * the tenant's cap.
 */
class RenderedFleetApplyIT {
  private static final List<Manifest> FLEET = FleetRenderer.render(Fixtures.acceptanceFleet());
  private static final Map<Target, KubernetesClient> CLIENTS = new HashMap<>();
  private static final List<Manifest> APPLIED = new ArrayList<>();

  @BeforeAll
  static void applyTheFleet() {
    Sandbox sandbox = Sandbox.running();
    for (Manifest m : FLEET) {
      CLIENTS.computeIfAbsent(
          m.target(),
          t ->
              t.isUnder()
                  ? sandbox.under().client()
                  : sandbox.tenant(t.tenantNamespace(), t.cluster()).client());
    }
    KubernetesClient under = CLIENTS.get(Target.UNDER);
    // What the platform already has: the tenant's namespace (Kamaji) and KubeVirt's.
    for (String ns : List.of("alpha", "kubevirt")) {
      under
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .serverSideApply();
    }
    for (Manifest m : FLEET) {
      CLIENTS
          .get(m.target())
          .resource(m.object())
          .fieldManager("kmetal-it")
          .forceConflicts()
          .serverSideApply();
      APPLIED.add(m);
    }
    // quota admission checks a claim against the quota's status, which the controller manager
    // fills in after the create; until then it refuses with "status unknown for quota"
    for (Manifest m : FLEET)
      if (m.kind().equals("ResourceQuota"))
        CLIENTS
            .get(m.target())
            .resourceQuotas()
            .inNamespace(m.object().getMetadata().getNamespace())
            .withName(m.name())
            .waitUntilCondition(
                q ->
                    q != null
                        && q.getStatus() != null
                        && q.getSpec().getHard().equals(q.getStatus().getHard())
                        && q.getStatus().getUsed() != null,
                60,
                TimeUnit.SECONDS);
  }

  @AfterAll
  static void deleteWhatWasApplied() {
    for (int i = APPLIED.size() - 1; i >= 0; i--) {
      Manifest m = APPLIED.get(i);
      if (!m.kind().equals("Namespace")) CLIENTS.get(m.target()).resource(m.object()).delete();
    }
    CLIENTS.values().forEach(KubernetesClient::close);
  }

  @Test
  void everyRenderedObjectExistsOnItsCluster() {
    assertEquals(FLEET.size(), APPLIED.size());
    for (Manifest m : FLEET) {
      HasMetadata live = CLIENTS.get(m.target()).resource(m.object()).get();
      assertNotNull(live, m.target() + " " + m.key());
      assertTrue(
          live.getMetadata()
              .getLabels()
              .entrySet()
              .containsAll(m.object().getMetadata().getLabels().entrySet()),
          m.key());
    }
  }

  @Test
  void webhookOptionsAndTheGeneratedSecretAreAcceptedByTheApiServers() {
    String webhook =
        """
        tenantStorages:
          - name: alpha
            storageQuota: 10Gi
            clusters: [{name: alpha-prod}, {name: alpha-dev}]
            webhook:
              pushConfiguration: %s
              namespaceSelector:
                matchLabels: {kmetal.io/quota: enforced}
                matchExpressions:
                  - {key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system]}
                  - {key: kmetal.io/quota-exempt, operator: DoesNotExist}
        """;
    List<Manifest> variants = new ArrayList<>();
    for (boolean push : List.of(false, true)) {
      var tenant = Fixtures.yaml(webhook.formatted(push)).tenantStorages().get(0);
      variants.addAll(TenantStorageRenderer.render(tenant));
      var issued =
          io.kmetal.storage.internal.pulumi.GeneratedCertificateWiring.issue(
              tenant, java.time.Instant.now());
      variants.add(
          WebhookRenderer.tlsSecret(
              tenant, issued.certificatePem(), issued.keyPem(), issued.caPem()));
    }
    assertTrue(variants.stream().anyMatch(m -> m.name().equals("kmetal-webhook-configurations")));
    for (Manifest m : variants) {
      if (m.kind().equals("Namespace")) continue;
      HasMetadata accepted =
          CLIENTS
              .get(m.target())
              .resource(m.object())
              .dryRun()
              .fieldManager("kmetal-it")
              .forceConflicts()
              .serverSideApply();
      assertNotNull(accepted, m.target() + " " + m.key());
    }
  }

  @Test
  void underClusterQuotaRefusesAClaimOverTheTenantCap() {
    KubernetesClient under = CLIENTS.get(Target.UNDER);
    var e =
        assertThrows(
            KubernetesClientException.class,
            () ->
                under
                    .persistentVolumeClaims()
                    .inNamespace("alpha")
                    .resource(claim("too-big", "11Gi"))
                    .create());
    assertEquals(403, e.getCode());
    assertTrue(e.getMessage().contains("exceeded quota: alpha-storage"), e.getMessage());
  }

  @Test
  void underClusterQuotaAdmitsAClaimWithinTheCap() {
    KubernetesClient under = CLIENTS.get(Target.UNDER);
    var created =
        under.persistentVolumeClaims().inNamespace("alpha").resource(claim("fits", "4Gi")).create();
    try {
      assertEquals("4Gi", created.getSpec().getResources().getRequests().get("storage").toString());
    } finally {
      under.persistentVolumeClaims().inNamespace("alpha").withName("fits").delete();
    }
  }

  private static PersistentVolumeClaim claim(String name, String size) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("alpha")
        .endMetadata()
        .withNewSpec()
        .withStorageClassName("tenant-storage-class")
        .withAccessModes("ReadWriteOnce")
        .withNewResources()
        .addToRequests("storage", new Quantity(size))
        .endResources()
        .endSpec()
        .build();
  }
}
