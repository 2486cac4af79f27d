package io.kmetal.storage.internal.render;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.List;
import java.util.Map;

/** RBAC rules and bindings, written as compactly as the YAML they render to. */
final class Rbac {
  static final String[] READ = {"get", "list", "watch"};
  static final String[] READ_WRITE = {
    "get", "list", "watch", "create", "patch", "update", "delete"
  };
  private static final String GROUP = "rbac.authorization.k8s.io";

  private Rbac() {}

  static PolicyRule rule(String group, List<String> resources, String... verbs) {
    return new PolicyRuleBuilder()
        .withApiGroups(group)
        .withResources(resources)
        .withVerbs(verbs)
        .build();
  }

  /** {@code rule} limited to the object {@code name}. */
  static PolicyRule named(PolicyRule rule, String name) {
    rule.setResourceNames(List.of(name));
    return rule;
  }

  /** RoleBinding {@code name} in {@code namespace}: Role {@code role} to a ServiceAccount there. */
  static RoleBinding roleBinding(
      String name, String namespace, Map<String, String> labels, String role, String account) {
    return new RoleBindingBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .withNewRoleRef(GROUP, "Role", role)
        .withSubjects(serviceAccount(account, namespace))
        .build();
  }

  /**
   * ClusterRoleBinding {@code name}: ClusterRole {@code role} to ServiceAccount namespace/account.
   */
  static ClusterRoleBinding clusterRoleBinding(
      String name, Map<String, String> labels, String role, String namespace, String account) {
    return new ClusterRoleBindingBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewRoleRef(GROUP, "ClusterRole", role)
        .withSubjects(serviceAccount(account, namespace))
        .build();
  }

  private static Subject serviceAccount(String name, String namespace) {
    return new SubjectBuilder()
        .withKind("ServiceAccount")
        .withName(name)
        .withNamespace(namespace)
        .build();
  }
}
