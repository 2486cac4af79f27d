package io.kmetal.storage.internal.pulumi;

import com.pulumi.kubernetes.Provider;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.internal.render.Ownership;
import io.kmetal.storage.model.Target;
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

  public static List<KubernetesObject> register(
      Resource parent, List<Manifest> manifests, ClusterProviders providers, Wiring wiring) {
    return register(parent, manifests, providers::forTarget, wiring);
  }

  public static List<KubernetesObject> register(
      Resource parent, List<Manifest> manifests, Function<Target, Provider> providerFor) {
    return register(parent, manifests, providerFor, Wiring.NONE);
  }

  /**
   * Registers each manifest with its target's provider ({@code null}: the inherited or default one)
   * and, when {@code parent} is not null, as its child. Objects in a namespace the list creates
   * depend on that Namespace, so they are never sent before it exists, and workloads on the access
   * they start with ({@link AccessBeforeWorkloads}); {@code wiring} adds what some objects take
   * from others.
   */
  public static List<KubernetesObject> register(
      Resource parent,
      List<Manifest> manifests,
      Function<Target, Provider> providerFor,
      Wiring extra) {
    Wiring wiring = Wiring.all(AccessBeforeWorkloads.INSTANCE, extra);
    List<KubernetesObject> out = new ArrayList<>();
    Map<String, KubernetesObject> namespaces = new HashMap<>();
    Map<String, KubernetesObject> registered = new HashMap<>();
    List<Manifest> ordered = new ArrayList<>(manifests);
    ordered.sort(
        Comparator.comparing((Manifest m) -> !m.kind().equals("Namespace"))
            .thenComparing(m -> !wiring.first(m)));
    for (Manifest m : ordered) {
      CustomResourceOptions.Builder options = options(parent, m, providerFor.apply(m.target()));
      KubernetesObject namespace =
          m.namespace() == null ? null : namespaces.get(m.target() + "/" + m.namespace());
      if (namespace != null) options.dependsOn(namespace);
      wiring.options(m, options);
      for (String earlier : wiring.dependsOn(m, manifests))
        options.dependsOn(registered.get(earlier));
      KubernetesObject object =
          new KubernetesObject(logicalName(m), m, wiring.inputs(m, registered), options.build());
      if (m.kind().equals("Namespace")) namespaces.put(m.target() + "/" + m.name(), object);
      registered.put(logicalName(m), object);
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
