package io.kmetal.storage.pulumi;

import com.pulumi.kubernetes.Provider;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.kmetal.storage.render.Manifest;
import io.kmetal.storage.render.Ownership;
import java.util.ArrayList;
import java.util.List;

/** Registers rendered manifests as children of a component, one Pulumi resource each. */
public final class ManifestResources {
  private ManifestResources() {}

  /**
   * Logical name, stable across runs and unique in a stack (the kind is in the type token): {@code
   * under/alpha/alpha-storage}, {@code alpha/alpha-prod/kubevirt}.
   */
  public static String logicalName(Manifest m) {
    String where =
        m.target().isUnder() ? "under" : m.target().tenantNamespace() + "/" + m.target().cluster();
    return m.namespace() == null
        ? where + "/" + m.name()
        : where + "/" + m.namespace() + "/" + m.name();
  }

  public static List<KubernetesObject> register(
      Resource parent, List<Manifest> manifests, ClusterProviders providers) {
    List<KubernetesObject> out = new ArrayList<>();
    for (Manifest m : manifests) {
      out.add(
          new KubernetesObject(
              logicalName(m), m, options(parent, m, providers.forTarget(m.target()))));
    }
    return out;
  }

  /**
   * Parent, the target cluster's provider (null: inherit the under cluster's), replace-on-change
   * for fields Kubernetes won't update, and retain-on-delete for patches: the objects belong to
   * other controllers, and pulumi-kubernetes refuses to drop a patch that manages a required field
   * (a StorageProfile's {@code spec}).
   */
  static CustomResourceOptions options(Resource parent, Manifest m, Provider provider) {
    CustomResourceOptions.Builder options = CustomResourceOptions.builder().parent(parent);
    if (provider != null) options.provider(provider);
    List<String> immutable = ImmutableFields.of(m.kind());
    if (!immutable.isEmpty() && m.ownership() == Ownership.OWNED)
      options.replaceOnChanges(immutable);
    if (m.ownership() == Ownership.PATCH) options.retainOnDelete(true);
    return options.build();
  }
}
