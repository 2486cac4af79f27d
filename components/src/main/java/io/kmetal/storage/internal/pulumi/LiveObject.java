package io.kmetal.storage.internal.pulumi;

import com.google.gson.JsonElement;
import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ResourceArgs;

/**
 * An object another controller owns, read from the cluster on every run (preview included), for
 * what a patch must merge with. Reading never changes it, and destroy leaves it alone.
 */
public final class LiveObject extends CustomResource {
  /** The object's spec as the cluster holds it (null when it has none). */
  @Export(name = "spec", refs = JsonElement.class)
  private Output<JsonElement> spec;

  /** A Secret's data as the cluster holds it, base64 (null for other kinds). */
  @Export(
      name = "data",
      refs = {java.util.Map.class, String.class},
      tree = "[0,1,1]")
  private Output<java.util.Map<String, String>> data;

  /**
   * @param type the pulumi-kubernetes type token, e.g. {@code kubernetes:kubevirt.io/v1:KubeVirt}
   * @param id {@code <namespace>/<name>}
   */
  LiveObject(String type, String name, String id, CustomResourceOptions.Builder options) {
    super(type, name, ResourceArgs.Empty, withId(options, id));
  }

  private static CustomResourceOptions withId(CustomResourceOptions.Builder options, String id) {
    options.id(Output.of(id));
    return options.build();
  }

  public Output<JsonElement> spec() {
    return spec;
  }

  public Output<java.util.Map<String, String>> data() {
    return data;
  }
}
