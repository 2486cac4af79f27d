package io.kmetal.storage.internal.pulumi;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;
import java.util.List;
import java.util.Map;

/**
 * The inputs of any Kubernetes object, as the pulumi-kubernetes provider takes them: the object's
 * top-level fields. Pulumi Java serializes only declared fields, so every top-level field a
 * rendered kind uses is declared here; {@link #of} refuses any other, so nothing is ever dropped.
 */
@SuppressWarnings("unused") // fields are read reflectively by Pulumi's serializer
public final class KubernetesObjectArgs extends ResourceArgs {
  static final List<String> FIELDS =
      List.of(
          "apiVersion",
          "kind",
          "metadata",
          "spec",
          "data",
          "type",
          "provisioner",
          "parameters",
          "reclaimPolicy",
          "volumeBindingMode",
          "allowVolumeExpansion",
          "mountOptions",
          "driver",
          "deletionPolicy",
          "rules",
          "roleRef",
          "subjects",
          "webhooks");

  @Import(name = "apiVersion")
  private Output<Object> apiVersion;

  @Import(name = "kind")
  private Output<Object> kind;

  @Import(name = "metadata")
  private Output<Object> metadata;

  @Import(name = "spec")
  private Output<Object> spec;

  @Import(name = "data")
  private Output<Object> data;

  @Import(name = "type")
  private Output<Object> type;

  @Import(name = "provisioner")
  private Output<Object> provisioner;

  @Import(name = "parameters")
  private Output<Object> parameters;

  @Import(name = "reclaimPolicy")
  private Output<Object> reclaimPolicy;

  @Import(name = "volumeBindingMode")
  private Output<Object> volumeBindingMode;

  @Import(name = "allowVolumeExpansion")
  private Output<Object> allowVolumeExpansion;

  @Import(name = "mountOptions")
  private Output<Object> mountOptions;

  @Import(name = "driver")
  private Output<Object> driver;

  @Import(name = "deletionPolicy")
  private Output<Object> deletionPolicy;

  @Import(name = "rules")
  private Output<Object> rules;

  @Import(name = "roleRef")
  private Output<Object> roleRef;

  @Import(name = "subjects")
  private Output<Object> subjects;

  @Import(name = "webhooks")
  private Output<Object> webhooks;

  private KubernetesObjectArgs() {}

  /**
   * @param object the object as plain maps, lists and scalars
   * @param inputs top-level fields to take from these outputs instead
   * @throws IllegalArgumentException for a top-level field this class does not carry
   */
  static KubernetesObjectArgs of(Map<String, Object> object, Map<String, Output<Object>> inputs) {
    KubernetesObjectArgs args = new KubernetesObjectArgs();
    boolean secret = "Secret".equals(object.get("kind"));
    for (Map.Entry<String, Object> e : object.entrySet()) {
      if (e.getValue() == null || e.getKey().equals("status")) continue;
      // a Secret's data is a Pulumi secret from the start, never plain text in the state
      Output<Object> value =
          inputs.containsKey(e.getKey())
              ? inputs.get(e.getKey())
              : secret && e.getKey().equals("data")
                  ? Output.ofSecret(e.getValue())
                  : Output.of(e.getValue());
      switch (e.getKey()) {
        case "apiVersion" -> args.apiVersion = value;
        case "kind" -> args.kind = value;
        case "metadata" -> args.metadata = value;
        case "spec" -> args.spec = value;
        case "data" -> args.data = value;
        case "type" -> args.type = value;
        case "provisioner" -> args.provisioner = value;
        case "parameters" -> args.parameters = value;
        case "reclaimPolicy" -> args.reclaimPolicy = value;
        case "volumeBindingMode" -> args.volumeBindingMode = value;
        case "allowVolumeExpansion" -> args.allowVolumeExpansion = value;
        case "mountOptions" -> args.mountOptions = value;
        case "driver" -> args.driver = value;
        case "deletionPolicy" -> args.deletionPolicy = value;
        case "rules" -> args.rules = value;
        case "roleRef" -> args.roleRef = value;
        case "subjects" -> args.subjects = value;
        case "webhooks" -> args.webhooks = value;
        default ->
            throw new IllegalArgumentException(
                "top-level field \""
                    + e.getKey()
                    + "\" of "
                    + object.get("kind")
                    + " is not carried by KubernetesObjectArgs");
      }
    }
    return args;
  }
}
