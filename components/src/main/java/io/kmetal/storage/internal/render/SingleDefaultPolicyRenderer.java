package io.kmetal.storage.internal.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.NamedRuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder;
import java.util.List;
import java.util.Map;

/**
 * "One default, enforced in the cluster": a ValidatingAdmissionPolicy and its binding (CEL,
 * admissionregistration.k8s.io/v1, Kubernetes 1.30+) that refuse, from anyone, a StorageClass or
 * VolumeSnapshotClass marked default unless it is the one class the platform made the default. A
 * policy sees only the object under review, so it pins the default by name: the one way CEL can
 * keep "exactly one" without reading the other classes.
 */
final class SingleDefaultPolicyRenderer {
  static final String STORAGE_CLASS_DEFAULT = "storageclass.kubernetes.io/is-default-class";
  static final String STORAGE_CLASS_BETA_DEFAULT =
      "storageclass.beta.kubernetes.io/is-default-class";

  private SingleDefaultPolicyRenderer() {}

  /** The policy name for the default StorageClass. */
  public static final String STORAGE_CLASS_POLICY = "kmetal-single-default-storageclass";

  /** Only StorageClass {@code defaultClass} may carry either default-class annotation. */
  public static List<HasMetadata> storageClass(String defaultClass, Map<String, String> labels) {
    String marked = marked(List.of(STORAGE_CLASS_DEFAULT, STORAGE_CLASS_BETA_DEFAULT));
    return policy(
        STORAGE_CLASS_POLICY,
        "storage.k8s.io",
        "storageclasses",
        "!(" + marked + ") || object.metadata.name == " + quoted(defaultClass),
        "'StorageClass ' + object.metadata.name + ' may not be a default class: "
            + defaultClass
            + " is the cluster\\'s one default (kmetal-storage policy "
            + STORAGE_CLASS_POLICY
            + "); remove the is-default-class annotation'",
        labels);
  }

  /** The policy name for {@code driver}'s default VolumeSnapshotClass {@code defaultClass}. */
  public static String snapshotClassPolicy(String defaultClass) {
    return "kmetal-single-default-" + defaultClass;
  }

  /** Only VolumeSnapshotClass {@code defaultClass} may be {@code driver}'s default. */
  public static List<HasMetadata> snapshotClass(
      String driver, String defaultClass, Map<String, String> labels) {
    String name = snapshotClassPolicy(defaultClass);
    return policy(
        name,
        "snapshot.storage.k8s.io",
        "volumesnapshotclasses",
        "object.driver != "
            + quoted(driver)
            + " || !("
            + marked(List.of(Crds.DEFAULT_SNAPSHOT_CLASS))
            + ") || object.metadata.name == "
            + quoted(defaultClass),
        "'VolumeSnapshotClass ' + object.metadata.name + ' may not be a default class of "
            + driver
            + ": "
            + defaultClass
            + " is its one default (kmetal-storage policy "
            + name
            + "); remove the is-default-class annotation'",
        labels);
  }

  /** CEL: the object carries one of {@code annotations} with the value "true". */
  private static String marked(List<String> annotations) {
    return "has(object.metadata.annotations) && ("
        + String.join(
            " || ",
            annotations.stream()
                .map(
                    a ->
                        "("
                            + quoted(a)
                            + " in object.metadata.annotations && object.metadata.annotations["
                            + quoted(a)
                            + "] == 'true')")
                .toList())
        + ")";
  }

  private static String quoted(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static List<HasMetadata> policy(
      String name,
      String group,
      String resource,
      String expression,
      String messageExpression,
      Map<String, String> labels) {
    var policy =
        new ValidatingAdmissionPolicyBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withFailurePolicy("Fail")
            .withNewMatchConstraints()
            .withResourceRules(
                new NamedRuleWithOperationsBuilder()
                    .withApiGroups(group)
                    .withApiVersions("*")
                    .withOperations("CREATE", "UPDATE")
                    .withResources(resource)
                    .build())
            .endMatchConstraints()
            .addNewValidation()
            .withExpression(expression)
            .withMessageExpression(messageExpression)
            .withReason("Forbidden")
            .endValidation()
            .endSpec()
            .build();
    var binding =
        new ValidatingAdmissionPolicyBindingBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withPolicyName(name)
            .withValidationActions("Deny")
            .endSpec()
            .build();
    return List.of(policy, binding);
  }
}
