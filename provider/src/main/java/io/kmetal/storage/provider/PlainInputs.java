package io.kmetal.storage.provider;

import com.pulumi.provider.internal.properties.PropertyValue;
import io.kmetal.storage.model.validation.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Component inputs as the engine sends them, turned into plain maps, lists, strings, booleans and
 * numbers for the strict spec mapping. Secrets and known outputs are unwrapped (the spec fields are
 * rendered into manifests, so they must be known); values that are not known yet, assets and
 * resource references become problems naming the field.
 */
final class PlainInputs {
  private final List<Problem> problems = new ArrayList<>();

  List<Problem> problems() {
    return problems;
  }

  Map<String, Object> object(Map<String, PropertyValue> inputs, String path) {
    Map<String, Object> out = new LinkedHashMap<>();
    inputs.forEach((key, value) -> out.put(key, plain(value, join(path, key))));
    return out;
  }

  Object plain(PropertyValue value, String path) {
    return switch (value.getType()) {
      case NULL -> null;
      case BOOL -> value.getBooleanValue();
      case STRING -> value.getStringValue();
      case NUMBER -> number(value.getNumberValue());
      case ARRAY -> array(value.getArrayValue(), path);
      case OBJECT -> object(value.getObjectValue(), path);
      case SECRET -> plain(value.getSecretValue(), path);
      case OUTPUT -> {
        PropertyValue inner = value.getOutputValue().getValue();
        yield inner == null || inner.isComputed() ? unknown(path) : plain(inner, path);
      }
      case COMPUTED -> unknown(path);
      case ASSET, ARCHIVE, RESOURCE -> {
        problems.add(
            new Problem(
                path,
                "cannot be " + value.getType().name().toLowerCase() + ": give a plain value"));
        yield null;
      }
    };
  }

  private List<Object> array(List<PropertyValue> values, String path) {
    List<Object> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) out.add(plain(values.get(i), path + "[" + i + "]"));
    return out;
  }

  private Object unknown(String path) {
    problems.add(
        new Problem(
            path,
            "is not known yet (an output of a resource not created so far): the manifests are"
                + " rendered from it, so give a value known at preview, e.g. from config"));
    return null;
  }

  /** Whole numbers as Long (so a replica count of 2 maps to an int field), others as Double. */
  private static Object number(double d) {
    long whole = (long) d;
    return whole == d && !Double.isInfinite(d) ? (Object) whole : (Object) d;
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
