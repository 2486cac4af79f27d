package io.kmetal.storage.cli.usage;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kmetal.contract.DriverConfigKeys;
import io.kmetal.contract.WebhookNames;
import io.kmetal.storage.internal.render.ControllerRenderer;
import io.kmetal.storage.internal.render.Labels;
import io.kmetal.storage.internal.render.ResourceQuotaRenderer;
import java.math.RoundingMode;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@link UnderNamespaces} through fabric8: the quotas by the labels {@code ResourceQuotaRenderer}
 * gives them, and per namespace its claims, the DataVolumes' labels, the CSI controllers'
 * configuration ({@code ControllerRenderer}'s ConfigMaps) and the webhook's ledger.
 */
public final class KubeNamespaces implements UnderNamespaces {
  /** The labels that tell a tenant's storage quota, as a label selector. */
  static final String QUOTA_SELECTOR_TEXT =
      Stream.of(Labels.NAME, Labels.COMPONENT)
          .map(key -> key + "=" + ResourceQuotaRenderer.SELECTOR.get(key))
          .collect(Collectors.joining(","));

  static final String CLASS_BYTES = ".storageclass.storage.k8s.io/requests.storage";
  static final String CLASS_CLAIMS = ".storageclass.storage.k8s.io/persistentvolumeclaims";

  static final ResourceDefinitionContext DATA_VOLUME =
      new ResourceDefinitionContext.Builder()
          .withGroup("cdi.kubevirt.io")
          .withVersion("v1beta1")
          .withKind("DataVolume")
          .withPlural("datavolumes")
          .withNamespaced(true)
          .build();

  private final KubernetesClient client;

  public KubeNamespaces(KubernetesClient client) {
    this.client = client;
  }

  /** Quotas without a class's storage limit are not a tenant's storage quota: left out. */
  @Override
  public List<Quota> quotas() {
    return client
        .resourceQuotas()
        .inAnyNamespace()
        .withLabels(ResourceQuotaRenderer.SELECTOR)
        .list()
        .getItems()
        .stream()
        .map(KubeNamespaces::quota)
        .flatMap(Optional::stream)
        .toList();
  }

  @Override
  public TenantNamespace read(String namespace) {
    Map<String, Map<String, String>> dataVolumes = new HashMap<>();
    for (GenericKubernetesResource dv : dataVolumes(namespace))
      dataVolumes.put(dv.getMetadata().getName(), labels(dv.getMetadata().getLabels()));
    List<UnderClaim> claims =
        client.persistentVolumeClaims().inNamespace(namespace).list().getItems().stream()
            .map(c -> claim(c, dataVolumes))
            .toList();
    Map<String, Map<String, String>> clusters = new TreeMap<>();
    for (ConfigMap m :
        client
            .configMaps()
            .inNamespace(namespace)
            .withLabel(Labels.NAME, ControllerRenderer.APP)
            .list()
            .getItems()) {
      String cluster = labels(m.getMetadata().getLabels()).get(Labels.INSTANCE);
      String text =
          m.getData() == null ? null : m.getData().get(DriverConfigKeys.INFRA_CLUSTER_LABELS);
      if (cluster != null && text != null) clusters.put(cluster, parseLabels(text));
    }
    ConfigMap ledger =
        client.configMaps().inNamespace(namespace).withName(WebhookNames.LEDGER).get();
    return new TenantNamespace(
        claims, clusters, Reservation.fromLedger(ledger == null ? null : ledger.getData()));
  }

  /** The namespace's DataVolumes; none where CDI is not installed. */
  private List<GenericKubernetesResource> dataVolumes(String namespace) {
    try {
      return client
          .genericKubernetesResources(DATA_VOLUME)
          .inNamespace(namespace)
          .list()
          .getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) return List.of();
      throw e;
    }
  }

  private static Optional<Quota> quota(ResourceQuota q) {
    Map<String, Quantity> hard = q.getSpec() == null ? null : q.getSpec().getHard();
    if (hard == null) return Optional.empty();
    Optional<String> cls =
        new TreeMap<>(hard)
            .keySet().stream()
                .filter(k -> k.endsWith(CLASS_BYTES) && k.length() > CLASS_BYTES.length())
                .map(k -> k.substring(0, k.length() - CLASS_BYTES.length()))
                .findFirst();
    if (cls.isEmpty()) return Optional.empty();
    String bytesKey = cls.get() + CLASS_BYTES;
    String claimsKey = cls.get() + CLASS_CLAIMS;
    Map<String, Quantity> used = q.getStatus() == null ? null : q.getStatus().getUsed();
    Amount status =
        used == null || !used.containsKey(bytesKey)
            ? null
            : new Amount(
                amount(used.get(bytesKey)),
                used.containsKey(claimsKey) ? amount(used.get(claimsKey)) : 0);
    String name = q.getMetadata().getName();
    String tenant = labels(q.getMetadata().getLabels()).get(Labels.INSTANCE);
    if (tenant == null)
      tenant = name.endsWith("-storage") ? name.substring(0, name.length() - 8) : name;
    return Optional.of(
        new Quota(
            tenant,
            q.getMetadata().getNamespace(),
            name,
            cls.get(),
            amount(hard.get(bytesKey)),
            hard.containsKey(claimsKey) ? amount(hard.get(claimsKey)) : null,
            status));
  }

  private static UnderClaim claim(
      PersistentVolumeClaim c, Map<String, Map<String, String>> dataVolumes) {
    var requests =
        c.getSpec().getResources() == null ? null : c.getSpec().getResources().getRequests();
    Quantity size = requests == null ? null : requests.get("storage");
    String name = c.getMetadata().getName();
    Map<String, String> labels = new LinkedHashMap<>(labels(c.getMetadata().getLabels()));
    labels.putAll(dataVolumes.getOrDefault(name, Map.of()));
    return new UnderClaim(
        name,
        c.getSpec().getStorageClassName(),
        size == null ? 0 : amount(size),
        c.getStatus() == null ? null : c.getStatus().getPhase(),
        labels);
  }

  /** A quantity as a whole number (bytes, or a count), rounded up. */
  private static long amount(Quantity q) {
    return Quantity.getAmountInBytes(q).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  private static Map<String, String> labels(Map<String, String> labels) {
    return labels == null ? Map.of() : labels;
  }

  /** {@code k=v,k2=v2}, as the CSI controller's ConfigMap holds its cluster's labels. */
  static Map<String, String> parseLabels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) labels.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return labels;
  }
}
