package io.kmetal.csi.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmetal.contract.InfraLabels;
import io.kmetal.csi.kube.KubeClient;
import io.kmetal.csi.kube.Watched;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The under cluster through watches: the quota and the namespace's claims (and snapshots, when the
 * tenant's are checked) are kept in memory, so a review costs no API call unless it changes the
 * ledger.
 */
final class WatchedUnderCluster implements UnderCluster {
  private static final Logger log = LoggerFactory.getLogger(WatchedUnderCluster.class);

  private final KubeClient client;
  private final Policy policy;
  private final String ledgerPath;
  private final List<Runnable> claimListeners = new CopyOnWriteArrayList<>();
  private final Watched quota;
  private final Watched claims;

  /** The namespace's VolumeSnapshots, watched only when the tenant's snapshots are checked. */
  private final Watched snapshots;

  private volatile Ledger ledger;

  WatchedUnderCluster(KubeClient client, Policy policy, String ledgerName) {
    this.client = client;
    this.policy = policy;
    String ns = policy.namespace();
    this.ledgerPath = "/api/v1/namespaces/" + ns + "/configmaps/" + ledgerName;
    List<Watched> started = new ArrayList<>();
    try {
      this.quota =
          start(
              started,
              () ->
                  client.watch(
                      "/api/v1/namespaces/" + ns + "/resourcequotas",
                      "metadata.name=" + policy.quota(),
                      () -> {}));
      this.claims =
          start(
              started,
              () ->
                  client.watch(
                      "/api/v1/namespaces/" + ns + "/persistentvolumeclaims",
                      null,
                      () -> claimListeners.forEach(Runnable::run)));
      this.snapshots =
          policy.snapshotClasses().isEmpty()
              ? null
              : start(
                  started,
                  () ->
                      client.watch(
                          "/apis/snapshot.storage.k8s.io/v1/namespaces/" + ns + "/volumesnapshots",
                          null,
                          () -> {}));
      this.ledger = reload();
    } catch (RuntimeException e) {
      started.forEach(Watched::close); // a failed start leaves no watch running
      throw e;
    }
  }

  private static Watched start(List<Watched> started, Supplier<Watched> watch) {
    Watched watched = watch.get();
    started.add(watched);
    return watched;
  }

  @Override
  public Usage usage() {
    var q = quota.get(policy.quota());
    Map<String, Usage.UnderClaim> byName = new HashMap<>();
    for (JsonNode c : claims.list()) {
      JsonNode size = c.path("spec").path("resources").path("requests").path("storage");
      byName.put(
          c.path("metadata").path("name").asText(),
          new Usage.UnderClaim(
              c.path("spec").path("storageClassName").asText(""),
              size.isTextual() ? Bytes.parse(size.asText(), "quantity") : 0,
              c.path("metadata").path("labels").path(InfraLabels.TENANT_CLUSTER).asText("")));
    }
    Set<String> snapshotNames = new HashSet<>();
    if (snapshots != null)
      for (JsonNode s : snapshots.list())
        snapshotNames.add(s.path("metadata").path("name").asText());
    if (q.isEmpty()) return new Usage(false, Map.of(), byName, snapshotNames);
    return new Usage(true, storage(q.get().path("spec").path("hard")), byName, snapshotNames);
  }

  /** The claim entries of a quota's hard map: storage in bytes, and claim counts. */
  private static Map<String, Long> storage(JsonNode hard) {
    Map<String, Long> out = new HashMap<>();
    hard.properties()
        .forEach(
            e -> {
              String k = e.getKey();
              if (k.endsWith(Admission.ALL_CLASSES)
                  || k.endsWith(Admission.ALL_CLAIMS)
                  || k.equals(Policy.SNAPSHOT_COUNT_KEY))
                out.put(k, Bytes.parse(e.getValue().asText(), "quantity"));
            });
    return out;
  }

  @Override
  public Ledger ledger() {
    return ledger;
  }

  @Override
  public Ledger reload() {
    ledger = client.get(ledgerPath).map(WatchedUnderCluster::ledger).orElse(Ledger.EMPTY);
    return ledger;
  }

  private static Ledger ledger(JsonNode configMap) {
    Map<String, String> data = new TreeMap<>();
    configMap.path("data").properties().forEach(e -> data.put(e.getKey(), e.getValue().asText()));
    return Ledger.of(configMap.path("metadata").path("resourceVersion").asText(null), data);
  }

  @Override
  public Ledger write(
      Ledger current, Map<String, Reservation> reservations, Map<String, Grant> grants)
      throws Conflict {
    String name = ledgerPath.substring(ledgerPath.lastIndexOf('/') + 1);
    var map = current.configMap(policy.namespace(), name, Ledger.data(reservations, grants));
    try {
      JsonNode written =
          current.resourceVersion() == null
              ? client.create(ledgerPath.substring(0, ledgerPath.lastIndexOf('/')), map)
              : client.put(ledgerPath, map);
      ledger = ledger(written);
      return ledger;
    } catch (KubeClient.Failure e) {
      if (e.status() == 409) {
        log.debug("ledger {} changed meanwhile, reading it again", name);
        throw new Conflict(e.getMessage());
      }
      throw e;
    }
  }

  @Override
  public void onClaimsChanged(Runnable listener) {
    claimListeners.add(listener);
  }

  @Override
  public boolean ready() {
    return true; // each watch listed its objects before the constructor returned
  }

  @Override
  public void close() {
    quota.close();
    claims.close();
    if (snapshots != null) snapshots.close();
  }
}
