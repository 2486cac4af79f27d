package io.kmetal.storage.internal.pulumi;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.kmetal.storage.internal.render.Manifest;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Workloads are created after the ServiceAccount, RBAC and ConfigMaps their pods start with.
 * pulumi-kubernetes sends unrelated objects in parallel, so a pod could start before its
 * RoleBinding exists and be refused its first reads: the local-path provisioner, which reads its
 * ConfigMap at start, then exits, and the kubelet restarts it ({@code RealNodesE2E} caught one).
 * What a workload waits for, on its own cluster: the ServiceAccounts, Roles, RoleBindings and
 * ConfigMaps of its namespace, the ClusterRoleBindings that name a ServiceAccount of that
 * namespace, and the ClusterRoles those bind.
 */
final class AccessBeforeWorkloads implements Wiring {
  static final Wiring INSTANCE = new AccessBeforeWorkloads();

  private static final Set<String> WORKLOADS =
      Set.of("Deployment", "DaemonSet", "StatefulSet", "Job", "CronJob");
  private static final Set<String> IN_NAMESPACE =
      Set.of("ServiceAccount", "Role", "RoleBinding", "ConfigMap");

  private AccessBeforeWorkloads() {}

  @Override
  public boolean first(Manifest m) {
    return IN_NAMESPACE.contains(m.kind())
        || m.kind().equals("ClusterRoleBinding")
        || m.kind().equals("ClusterRole");
  }

  @Override
  public List<String> dependsOn(Manifest m, List<Manifest> all) {
    if (!WORKLOADS.contains(m.kind())) return List.of();
    List<Manifest> ours = all.stream().filter(a -> a.target() == m.target()).toList();
    List<ClusterRoleBinding> bindings =
        ours.stream()
            .map(Manifest::object)
            .filter(ClusterRoleBinding.class::isInstance)
            .map(ClusterRoleBinding.class::cast)
            .filter(b -> bindsAccountOf(b, m.namespace()))
            .toList();
    Set<String> boundRoles =
        Set.copyOf(bindings.stream().map(b -> b.getRoleRef().getName()).toList());
    return ours.stream()
        .filter(
            a ->
                IN_NAMESPACE.contains(a.kind()) && Objects.equals(a.namespace(), m.namespace())
                    || bindings.contains(a.object())
                    || a.kind().equals("ClusterRole") && boundRoles.contains(a.name()))
        .map(ManifestResources::logicalName)
        .toList();
  }

  private static boolean bindsAccountOf(ClusterRoleBinding binding, String namespace) {
    return Stream.ofNullable(binding.getSubjects())
        .flatMap(List::stream)
        .anyMatch(
            s ->
                "ServiceAccount".equals(s.getKind())
                    && Objects.equals(s.getNamespace(), namespace));
  }
}
