package io.kmetal.storage.provider;

import com.pulumi.core.Output;
import com.pulumi.core.internal.OutputData;
import com.pulumi.core.internal.OutputInternal;
import com.pulumi.provider.internal.properties.PropertyValue;
import io.kmetal.storage.StoragePlatformArgs;
import io.kmetal.storage.TenantStorageArgs;
import io.kmetal.storage.fleet.FleetFile;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.HppOverlaySpec;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import io.kmetal.storage.model.validation.InvalidSpecException;
import io.kmetal.storage.model.validation.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inputs of one {@code Construct} call mapped onto the components' spec records, field for
 * field as schema.json declares them, with every problem named by its field path. Tenant cluster
 * kubeconfigs never enter a spec: they become secret outputs (unknown during a preview when they
 * come from a resource not created yet).
 */
final class ComponentInputs {
  private ComponentInputs() {}

  static StorageTierSpec storageTier(String name, Map<String, PropertyValue> inputs) {
    return read(subject("StorageTier", name), inputs, StorageTierSpec.class);
  }

  static HppOverlaySpec hppOverlay(String name, Map<String, PropertyValue> inputs) {
    return read(subject("HppOverlay", name), inputs, HppOverlaySpec.class);
  }

  static TenantStorageArgs tenantStorage(String name, Map<String, PropertyValue> inputs) {
    String subject = subject("TenantStorage", name);
    List<Problem> problems = new ArrayList<>();
    Map<String, Output<String>> kubeconfigs = new LinkedHashMap<>();
    Map<String, PropertyValue> specInputs = withoutKubeconfigs(inputs, "", kubeconfigs, problems);
    InvalidSpecException.throwIfAny(subject, problems);
    TenantStorageArgs.Builder args =
        TenantStorageArgs.builder(read(subject, specInputs, TenantStorageSpec.class));
    kubeconfigs.forEach(args::kubeconfig);
    return args.build();
  }

  /**
   * A platform: its tenants' cluster kubeconfigs taken out as secrets (by the tenant's namespace
   * once the fleet is read), the rest read as the fleet a {@code kmetal render} file holds.
   */
  static StoragePlatformArgs storagePlatform(String name, Map<String, PropertyValue> inputs) {
    String subject = subject("StoragePlatform", name);
    List<Problem> problems = new ArrayList<>();
    Map<String, PropertyValue> fleetInputs = new LinkedHashMap<>(inputs);
    List<Map<String, Output<String>>> kubeconfigs = new ArrayList<>();
    PropertyValue tenants = inputs.get("tenantStorages");
    if (tenants != null && tenants.getType() == PropertyValue.ValueType.ARRAY) {
      List<PropertyValue> stripped = new ArrayList<>();
      for (int i = 0; i < tenants.getArrayValue().size(); i++) {
        PropertyValue tenant = tenants.getArrayValue().get(i);
        Map<String, Output<String>> byCluster = new LinkedHashMap<>();
        kubeconfigs.add(byCluster);
        stripped.add(
            tenant.getType() == PropertyValue.ValueType.OBJECT
                ? PropertyValue.of(
                    withoutKubeconfigs(
                        tenant.getObjectValue(), "tenantStorages[" + i + "].", byCluster, problems))
                : tenant); // the fleet mapping names the problem
      }
      fleetInputs.put("tenantStorages", PropertyValue.of(stripped));
    }
    InvalidSpecException.throwIfAny(subject, problems);
    Fleet fleet = read(subject, fleetInputs, Fleet.class);
    StoragePlatformArgs.Builder args = StoragePlatformArgs.builder(fleet);
    for (int i = 0; i < kubeconfigs.size() && i < fleet.tenantStorages().size(); i++) {
      String namespace = fleet.tenantStorages().get(i).namespace();
      kubeconfigs.get(i).forEach((cluster, k) -> args.kubeconfig(namespace, cluster, k));
    }
    return args.build();
  }

  /**
   * A tenant's inputs without its clusters' {@code kubeconfig}s, which go to {@code kubeconfigs}
   * (by cluster name) as secret outputs; a kubeconfig that is no string is a problem at {@code
   * prefix}{@code clusters[i].kubeconfig}.
   */
  private static Map<String, PropertyValue> withoutKubeconfigs(
      Map<String, PropertyValue> tenant,
      String prefix,
      Map<String, Output<String>> kubeconfigs,
      List<Problem> problems) {
    Map<String, PropertyValue> specInputs = new LinkedHashMap<>(tenant);
    PropertyValue clusters = tenant.get("clusters");
    if (clusters == null || clusters.getType() != PropertyValue.ValueType.ARRAY) return specInputs;
    List<PropertyValue> withoutKubeconfigs = new ArrayList<>();
    for (int i = 0; i < clusters.getArrayValue().size(); i++) {
      PropertyValue cluster = clusters.getArrayValue().get(i);
      if (cluster.getType() != PropertyValue.ValueType.OBJECT) {
        withoutKubeconfigs.add(cluster); // the spec mapping names the problem
        continue;
      }
      Map<String, PropertyValue> rest = new LinkedHashMap<>(cluster.getObjectValue());
      PropertyValue kubeconfig = rest.remove("kubeconfig");
      PropertyValue clusterName = rest.get("name");
      if (kubeconfig != null && !kubeconfig.isNull() && isString(clusterName)) {
        Output<String> secret = secretOutput(kubeconfig);
        if (secret == null) {
          problems.add(
              new Problem(
                  prefix + "clusters[" + i + "].kubeconfig",
                  "must be a string: the kubeconfig YAML"));
        } else {
          kubeconfigs.put(clusterName.getStringValue(), secret);
        }
      }
      withoutKubeconfigs.add(PropertyValue.of(rest));
    }
    specInputs.put("clusters", PropertyValue.of(withoutKubeconfigs));
    return specInputs;
  }

  private static boolean isString(PropertyValue value) {
    return value != null && value.getType() == PropertyValue.ValueType.STRING;
  }

  /**
   * A secret {@code Output<String>}: the value if the engine sent one, unknown if it will only be
   * known at apply time, null if it is not a string.
   */
  static Output<String> secretOutput(PropertyValue value) {
    return switch (value.getType()) {
      case STRING -> Output.ofSecret(value.getStringValue());
      case SECRET -> secretOutput(value.getSecretValue());
      case COMPUTED -> unknownSecret();
      case OUTPUT -> {
        PropertyValue inner = value.getOutputValue().getValue();
        yield inner == null || inner.isComputed() ? unknownSecret() : secretOutput(inner);
      }
      default -> null;
    };
  }

  private static Output<String> unknownSecret() {
    return new OutputInternal<String>(OutputData.<String>unknown()).asSecret();
  }

  private static <T> T read(String subject, Map<String, PropertyValue> inputs, Class<T> type) {
    PlainInputs plain = new PlainInputs();
    Map<String, Object> tree = plain.object(inputs, "");
    InvalidSpecException.throwIfAny(subject, plain.problems());
    try {
      return FleetFile.convert(tree, type, "");
    } catch (InvalidSpecException e) {
      throw new InvalidSpecException(subject, e.problems());
    }
  }

  static String subject(String kind, String name) {
    return kind + " \"" + name + "\"";
  }
}
