package io.kmetal.storage.internal.pulumi;

import com.google.gson.JsonElement;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.kmetal.storage.internal.render.FeatureGates;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.model.KubeVirtRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The feature gates a component needs, merged into a KubeVirt CR: the CR is read on every run, and
 * a server-side-apply patch writes the union of its gates and the needed ones, so an operator's
 * gate is never dropped and a preview shows the list that will be written as one diff. Each
 * component has its own patch (named after it). Components that need different gates of one CR in
 * one program each merge with the list as it was read, so the second to apply may lack the first's
 * new gate until the next {@code pulumi up}.
 */
public final class FeatureGatePatch {
  private FeatureGatePatch() {}

  /**
   * Registers the read and the patch under {@code parent}, unless {@code needed} is empty.
   *
   * @param owner the component's name, which keeps the resources' names unique in the stack
   */
  public static void register(Resource parent, String owner, KubeVirtRef ref, List<String> needed) {
    if (needed.isEmpty()) return;
    // No labels: patches from several components would fight over their values. Forced: the
    // list may be owned by whoever created the CR, and what is written keeps all of its gates.
    Manifest patch = FeatureGates.patch(ref, needed, Map.of());
    patch.object().getMetadata().setAnnotations(Map.of("pulumi.com/patchForce", "true"));
    String base = ManifestResources.logicalName(patch);
    LiveObject live =
        new LiveObject(
            "kubernetes:kubevirt.io/v1:KubeVirt",
            base + "/live/" + owner,
            ref.namespace() + "/" + ref.name(),
            CustomResourceOptions.builder().parent(parent));
    Output<Object> spec = live.spec().applyValue(current -> merged(ref, current, needed));
    new KubernetesObject(
        base + "/feature-gates/" + owner,
        patch,
        Map.of("spec", spec),
        ManifestResources.options(parent, patch, null).dependsOn(live).build());
  }

  /** The patch's spec: the developer configuration's gates, merged. */
  static Object merged(KubeVirtRef ref, JsonElement spec, List<String> needed) {
    JsonElement developer = at(spec, "configuration", "developerConfiguration");
    List<String> gates =
        FeatureGates.merge(
            ref,
            strings(at(developer, "featureGates")),
            strings(at(developer, "disabledFeatureGates")),
            needed);
    return Map.of("configuration", Map.of("developerConfiguration", Map.of("featureGates", gates)));
  }

  private static JsonElement at(JsonElement from, String... path) {
    JsonElement at = from;
    for (String key : path) {
      if (at == null || !at.isJsonObject()) return null;
      at = at.getAsJsonObject().get(key);
    }
    return at;
  }

  private static List<String> strings(JsonElement list) {
    List<String> out = new ArrayList<>();
    if (list != null && list.isJsonArray())
      list.getAsJsonArray().forEach(e -> out.add(e.getAsString()));
    return out;
  }
}
