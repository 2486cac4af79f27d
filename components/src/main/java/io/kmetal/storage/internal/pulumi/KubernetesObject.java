package io.kmetal.storage.internal.pulumi;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.kubernetes.meta.v1.outputs.ObjectMeta;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.internal.render.Ownership;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One rendered object as a pulumi-kubernetes resource, for built-in and custom kinds alike: the
 * type token is {@code kubernetes:<group>/<version>:<Kind>} ({@code core} for the core group), with
 * {@code Patch} appended for objects another controller owns, which the provider then applies as a
 * server-side-apply patch and never deletes.
 */
public final class KubernetesObject extends CustomResource {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** pulumi-kubernetes' annotations: await a condition, for at most so many seconds. */
  static final String WAIT_FOR = "pulumi.com/waitFor";

  static final String TIMEOUT = "pulumi.com/timeoutSeconds";

  /** The object's metadata as the cluster holds it. */
  @Export(name = "metadata", refs = ObjectMeta.class)
  private Output<ObjectMeta> metadata;

  /** A Secret's or ConfigMap's data as the cluster holds it (base64 for a Secret); else null. */
  @Export(
      name = "data",
      refs = {Map.class, String.class},
      tree = "[0,1,1]")
  private Output<Map<String, String>> data;

  /**
   * @param inputs top-level fields taken from other resources' outputs instead of the manifest
   */
  KubernetesObject(
      String name,
      Manifest manifest,
      Map<String, Output<Object>> inputs,
      CustomResourceOptions options) {
    super(typeToken(manifest), name, KubernetesObjectArgs.of(plain(manifest), inputs), options);
  }

  public Output<ObjectMeta> metadata() {
    return metadata;
  }

  public Output<Map<String, String>> data() {
    return data;
  }

  /** {@code kubernetes:storage.k8s.io/v1:StorageClass}, {@code kubernetes:core/v1:ConfigMap}, … */
  public static String typeToken(Manifest manifest) {
    String apiVersion = manifest.object().getApiVersion();
    String groupVersion = apiVersion.contains("/") ? apiVersion : "core/" + apiVersion;
    String patch = manifest.ownership() == Ownership.PATCH ? "Patch" : "";
    return "kubernetes:" + groupVersion + ":" + manifest.kind() + patch;
  }

  /**
   * The object as maps, lists, strings, booleans, Integers and Doubles (what Pulumi serializes).
   */
  static Map<String, Object> plain(Manifest manifest) {
    Map<String, Object> map =
        JSON.convertValue(manifest.object(), new TypeReference<LinkedHashMap<String, Object>>() {});
    @SuppressWarnings("unchecked")
    Map<String, Object> normal = (Map<String, Object>) normalize(map);
    return normal;
  }

  /**
   * The metadata input of {@code manifest} with {@code annotations} added: pulumi-kubernetes'
   * instructions (such as {@code pulumi.com/waitFor}), which a render has no use for.
   */
  static Output<Object> metadataAnnotated(Manifest manifest, Map<String, String> annotations) {
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata =
        new LinkedHashMap<>((Map<String, Object>) plain(manifest).get("metadata"));
    @SuppressWarnings("unchecked")
    Map<String, Object> all =
        new LinkedHashMap<>((Map<String, Object>) metadata.getOrDefault("annotations", Map.of()));
    all.putAll(annotations);
    metadata.put("annotations", all);
    return Output.of(metadata);
  }

  private static Object normalize(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put((String) k, normalize(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(normalize(v)));
      return out;
    }
    if (value instanceof Number n && !(value instanceof Integer) && !(value instanceof Double)) {
      long whole = n.longValue();
      return whole == n.doubleValue() && whole == (int) whole
          ? Integer.valueOf((int) whole)
          : Double.valueOf(n.doubleValue());
    }
    return value;
  }
}
