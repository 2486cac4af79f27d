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
   * Parent, the target cluster's provider (null: inherit the under cluster's) and replace-on-change
   * for fields Kubernetes won't update. Patches need nothing more: deleting a pulumi-kubernetes
   * Patch resource removes only the fields it applied, never the object.
   */
  static CustomResourceOptions options(Resource parent, Manifest m, Provider provider) {
    CustomResourceOptions.Builder options = CustomResourceOptions.builder().parent(parent);
    if (provider != null) options.provider(provider);
    List<String> immutable = ImmutableFields.of(m.kind());
    if (!immutable.isEmpty() && m.ownership() == Ownership.OWNED)
      options.replaceOnChanges(immutable);
    return options.build();
  }
}
