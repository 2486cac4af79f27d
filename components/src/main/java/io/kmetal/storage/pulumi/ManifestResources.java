package io.kmetal.storage.pulumi;

import com.pulumi.kubernetes.Provider;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.kmetal.storage.render.Manifest;
import io.kmetal.storage.render.Ownership;
import io.kmetal.storage.render.Target;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
    return register(parent, manifests, providers::forTarget);
  }

  /**
   * Registers each manifest with its target's provider ({@code null}: the inherited or default one)
   * and, when {@code parent} is not null, as its child. Objects in a namespace the list creates
   * depend on that Namespace, so they are never sent before it exists.
   */
  public static List<KubernetesObject> register(
      Resource parent, List<Manifest> manifests, Function<Target, Provider> providerFor) {
    List<KubernetesObject> out = new ArrayList<>();
    Map<String, KubernetesObject> namespaces = new HashMap<>();
    List<Manifest> namespacesFirst = new ArrayList<>(manifests);
    namespacesFirst.sort(Comparator.comparing(m -> !m.kind().equals("Namespace")));
    for (Manifest m : namespacesFirst) {
      CustomResourceOptions.Builder options = options(parent, m, providerFor.apply(m.target()));
      KubernetesObject namespace =
          m.namespace() == null ? null : namespaces.get(m.target() + "/" + m.namespace());
      if (namespace != null) options.dependsOn(namespace);
      KubernetesObject object = new KubernetesObject(logicalName(m), m, options.build());
      if (m.kind().equals("Namespace")) namespaces.put(m.target() + "/" + m.name(), object);
      out.add(object);
    }
    return out;
  }

  /**
   * Parent, the target cluster's provider (null: inherit the under cluster's), replace-on-change
   * for fields Kubernetes won't update, and retain-on-delete for patches: the objects belong to
   * other controllers, and pulumi-kubernetes refuses to drop a patch that manages a required field
   * (a StorageProfile's {@code spec}).
   */
  static CustomResourceOptions.Builder options(Resource parent, Manifest m, Provider provider) {
    CustomResourceOptions.Builder options = CustomResourceOptions.builder();
    if (parent != null) options.parent(parent);
    if (provider != null) options.provider(provider);
    List<String> immutable = ImmutableFields.of(m.kind());
    if (!immutable.isEmpty() && m.ownership() == Ownership.OWNED)
      options.replaceOnChanges(immutable);
    if (m.ownership() == Ownership.PATCH) options.retainOnDelete(true);
    return options;
  }
}
