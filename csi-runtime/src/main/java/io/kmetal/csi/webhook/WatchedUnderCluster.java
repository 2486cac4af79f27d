package io.kmetal.csi.webhook;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kmetal.contract.InfraLabels;
import io.kmetal.csi.infra.KubeInfraCluster;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The under cluster through fabric8: informers keep the quota and the namespace's claims in memory,
 * so a review costs no API call unless it changes the ledger.
 */
final class WatchedUnderCluster implements UnderCluster {
  private static final Logger log = LoggerFactory.getLogger(WatchedUnderCluster.class);

  private final KubernetesClient client;
  private final Policy policy;
  private final String ledgerName;
  private final SharedIndexInformer<ResourceQuota> quota;
  private final SharedIndexInformer<PersistentVolumeClaim> claims;

  /** The namespace's VolumeSnapshots, watched only when the tenant's snapshots are checked. */
  private final SharedIndexInformer<GenericKubernetesResource> snapshots;

  private volatile Ledger ledger;

  WatchedUnderCluster(KubernetesClient client, Policy policy, String ledgerName) {
    this.client = client;
    this.policy = policy;
    this.ledgerName = ledgerName;
    this.quota =
        client.resourceQuotas().inNamespace(policy.namespace()).withName(policy.quota()).inform();
    this.claims = client.persistentVolumeClaims().inNamespace(policy.namespace()).inform();
    this.snapshots =
        policy.snapshotClasses().isEmpty()
            ? null
            : client
                .genericKubernetesResources(KubeInfraCluster.VOLUME_SNAPSHOT)
                .inNamespace(policy.namespace())
                .inform();
    this.ledger = reload();
  }

  /** The tenant cluster the claim's labels name, as the driver labels its DataVolumes. */
  private static String cluster(PersistentVolumeClaim c) {
    var labels = c.getMetadata().getLabels();
    String cluster = labels == null ? null : labels.get(InfraLabels.TENANT_CLUSTER);
    return cluster == null ? "" : cluster;
  }

  @Override
  public Usage usage() {
    ResourceQuota q = quota.getStore().getByKey(policy.namespace() + "/" + policy.quota());
    Map<String, Usage.UnderClaim> byName = new HashMap<>();
    for (PersistentVolumeClaim c : claims.getStore().list()) {
      var requests =
          c.getSpec().getResources() == null ? null : c.getSpec().getResources().getRequests();
      Quantity size = requests == null ? null : requests.get("storage");
      String cls = c.getSpec().getStorageClassName();
      byName.put(
          c.getMetadata().getName(),
          new Usage.UnderClaim(cls == null ? "" : cls, size == null ? 0 : bytes(size), cluster(c)));
    }
    Set<String> snapshotNames = new HashSet<>();
    if (snapshots != null)
      for (GenericKubernetesResource s : snapshots.getStore().list())
        snapshotNames.add(s.getMetadata().getName());
    if (q == null) return new Usage(false, Map.of(), byName, snapshotNames);
    return new Usage(
        true, storage(q.getSpec() == null ? null : q.getSpec().getHard()), byName, snapshotNames);
  }

  /** The claim entries of a quota's hard map: storage in bytes, and claim counts. */
  private static Map<String, Long> storage(Map<String, Quantity> quantities) {
    Map<String, Long> out = new HashMap<>();
    if (quantities != null)
      quantities.forEach(
          (k, v) -> {
            if (k.endsWith(Admission.ALL_CLASSES)
                || k.endsWith(Admission.ALL_CLAIMS)
                || k.equals(Policy.SNAPSHOT_COUNT_KEY)) out.put(k, bytes(v));
          });
    return out;
  }

  private static long bytes(Quantity q) {
    return Bytes.parse(q.toString(), "quantity");
  }

  @Override
  public Ledger ledger() {
    return ledger;
  }

  @Override
  public Ledger reload() {
    ConfigMap map = client.configMaps().inNamespace(policy.namespace()).withName(ledgerName).get();
    ledger = Ledger.of(map);
    return ledger;
  }

  @Override
  public Ledger write(
      Ledger current, Map<String, Reservation> reservations, Map<String, Grant> grants)
      throws Conflict {
    ConfigMap map = current.toConfigMap(policy.namespace(), ledgerName, reservations, grants);
    var resource = client.configMaps().inNamespace(policy.namespace()).resource(map);
    try {
      ConfigMap written =
          current.resourceVersion() == null
              ? resource.create()
              : resource.lockResourceVersion(current.resourceVersion()).update();
      ledger = Ledger.of(written);
      return ledger;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        log.debug("ledger {} changed meanwhile, reading it again", ledgerName);
        throw new Conflict(e.getMessage());
      }
      throw e;
    }
  }

  @Override
  public void onClaimsChanged(Runnable listener) {
    claims.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(PersistentVolumeClaim c) {
            listener.run();
          }

          @Override
          public void onUpdate(PersistentVolumeClaim old, PersistentVolumeClaim c) {
            listener.run();
          }

          @Override
          public void onDelete(PersistentVolumeClaim c, boolean unknownFinalState) {
            listener.run();
          }
        });
  }

  @Override
  public boolean ready() {
    return quota.hasSynced() && claims.hasSynced() && (snapshots == null || snapshots.hasSynced());
  }

  @Override
  public void close() {
    quota.close();
    claims.close();
    if (snapshots != null) snapshots.close();
    client.close();
  }
}
