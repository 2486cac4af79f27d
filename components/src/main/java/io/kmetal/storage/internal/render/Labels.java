package io.kmetal.storage.internal.render;

import io.kmetal.storage.model.Images;
import java.util.LinkedHashMap;
import java.util.Map;

/** The standard {@code app.kubernetes.io/*} labels every rendered object carries. */
public final class Labels {
  public static final String PART_OF = "kmetal-storage";
  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";

  private Labels() {}

  /**
   * @param name the application (e.g. {@code kubevirt-csi-controller})
   * @param instance this instance (e.g. the tenant cluster)
   * @param component its role in the architecture (e.g. {@code csi-controller})
   */
  public static Map<String, String> of(String name, String instance, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, name);
    labels.put(INSTANCE, instance);
    labels.put(COMPONENT, component);
    labels.put("app.kubernetes.io/part-of", PART_OF);
    labels.put("app.kubernetes.io/managed-by", PART_OF);
    labels.put("app.kubernetes.io/version", Images.VERSION);
    return labels;
  }

  /**
   * A namespace's labels and the Pod Security level it enforces. Both namespaces we create hold
   * pods that need {@code privileged}: a tenant namespace runs KubeVirt's virt-launcher and CDI's
   * pods, the local-path namespace the provisioner's helper pods, which mount host paths as root.
   * Saying so keeps a cluster whose default level is stricter from refusing them; our own pods
   * there pass {@code restricted} (RenderContractTest).
   */
  public static Map<String, String> privilegedNamespace(Map<String, String> labels) {
    Map<String, String> out = new LinkedHashMap<>(labels);
    out.put("pod-security.kubernetes.io/enforce", "privileged");
    return out;
  }

  /**
   * A workload's labels and its pods': {@code labels} plus {@code app: <app>}, the short label
   * runbooks select by ({@code kubectl logs -l app=kubevirt-csi-node}). Not part of any selector,
   * so adding it to a running workload replaces nothing.
   */
  public static Map<String, String> workload(Map<String, String> labels, String app) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("app", app);
    out.putAll(labels);
    return out;
  }

  /** The stable subset used in selectors (never includes the version). */
  public static Map<String, String> selector(String name, String instance) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", name);
    labels.put("app.kubernetes.io/instance", instance);
    return labels;
  }
}
