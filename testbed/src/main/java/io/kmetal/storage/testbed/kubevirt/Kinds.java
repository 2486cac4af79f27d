package io.kmetal.storage.testbed.kubevirt;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The custom kinds the simulator plays (public: tests read and write them with fabric8), and small
 * accessors into their unstructured bodies.
 */
public final class Kinds {
  public static final ResourceDefinitionContext DATA_VOLUME =
      kind("cdi.kubevirt.io", "v1beta1", "DataVolume", "datavolumes", true);
  public static final ResourceDefinitionContext VM =
      kind("kubevirt.io", "v1", "VirtualMachine", "virtualmachines", true);
  public static final ResourceDefinitionContext VMI =
      kind("kubevirt.io", "v1", "VirtualMachineInstance", "virtualmachineinstances", true);
  public static final ResourceDefinitionContext KUBEVIRT =
      kind("kubevirt.io", "v1", "KubeVirt", "kubevirts", true);
  public static final ResourceDefinitionContext VOLUME_SNAPSHOT =
      kind("snapshot.storage.k8s.io", "v1", "VolumeSnapshot", "volumesnapshots", true);
  public static final ResourceDefinitionContext HOST_PATH_PROVISIONER =
      kind(
          "hostpathprovisioner.kubevirt.io",
          "v1beta1",
          "HostPathProvisioner",
          "hostpathprovisioners",
          false);
  public static final ResourceDefinitionContext API_SERVICE =
      kind("apiregistration.k8s.io", "v1", "APIService", "apiservices", false);

  private Kinds() {}

  private static ResourceDefinitionContext kind(
      String group, String version, String kind, String plural, boolean namespaced) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(namespaced)
        .build();
  }

  /** The map at {@code path} under the object's body, created on the way when missing. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(GenericKubernetesResource object, String... path) {
    Map<String, Object> at = object.getAdditionalProperties();
    for (String key : path)
      at = (Map<String, Object>) at.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
    return at;
  }

  /** The list {@code key} of {@code parent}, created when missing. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
    return (List<Map<String, Object>>) parent.computeIfAbsent(key, k -> new ArrayList<>());
  }

  /** Runs an edit again while another writer got there first (409 Conflict), up to 10 times. */
  static void onConflictRetry(Runnable edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        edit.run();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) throw e;
      }
    }
  }

  /** The string at {@code path}, or null. */
  @SuppressWarnings("unchecked")
  static String string(GenericKubernetesResource object, String... path) {
    Object at = object.getAdditionalProperties();
    for (String key : path) {
      if (!(at instanceof Map<?, ?> m)) return null;
      at = ((Map<String, Object>) m).get(key);
    }
    return at == null ? null : at.toString();
  }
}
