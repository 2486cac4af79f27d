package io.kmetal.storage;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import io.kmetal.storage.internal.pulumi.ClusterProviders;
import io.kmetal.storage.internal.pulumi.FeatureGatePatch;
import io.kmetal.storage.internal.pulumi.HppAvailableWiring;
import io.kmetal.storage.internal.pulumi.ManifestResources;
import io.kmetal.storage.internal.render.FeatureGates;
import io.kmetal.storage.internal.render.HppOverlayRenderer;
import io.kmetal.storage.model.HppOverlaySpec;
import io.kmetal.storage.model.StoragePoolSpec;
import io.kmetal.storage.model.validation.InvalidSpecException;
import io.kmetal.storage.model.validation.Validator;
import java.util.List;
import java.util.Map;

/**
 * The HostPathProvisioner overlay for VM-state PVCs: the HPP CR with RWX-backed pools (the operator
 * builds the overlay classes), their VolumeSnapshotClasses, and the KubeVirt CR's {@code
 * vmStateStorageClass} (patched, never deleted). The HPP operator and cert-manager must be
 * installed in the under cluster.
 */
public final class HppOverlay extends ComponentResource {
  public static final String TYPE = "kmetal-storage:index:HppOverlay";

  @Export(
      name = "overlayClassNames",
      refs = {List.class, String.class},
      tree = "[0,1]")
  private final Output<List<String>> overlayClassNames;

  /**
   * @param spec without a {@code name}, the overlay takes {@code name}
   * @throws InvalidSpecException before anything is registered, listing every problem
   */
  public HppOverlay(String name, HppOverlaySpec spec, ComponentResourceOptions options) {
    this(spec.namedIfUnnamed(name), name, options);
  }

  private HppOverlay(HppOverlaySpec spec, String name, ComponentResourceOptions options) {
    super(TYPE, name, checked(name, spec, options));
    ManifestResources.register(
        this,
        HppOverlayRenderer.render(spec),
        new ClusterProviders(this, Map.of()),
        HppAvailableWiring.of(List.of(spec)));
    if (spec.kubevirt() != null)
      FeatureGatePatch.register(this, name, spec.kubevirt(), FeatureGates.of(spec));
    this.overlayClassNames =
        Output.of(spec.storagePools().stream().map(StoragePoolSpec::overlayClassName).toList());
    registerOutputs(Map.of("overlayClassNames", overlayClassNames));
  }

  public HppOverlay(String name, HppOverlaySpec spec) {
    this(name, spec, null);
  }

  /** Validates before the component itself is registered, so bad input registers nothing. */
  private static ComponentResourceOptions checked(
      String name, HppOverlaySpec spec, ComponentResourceOptions options) {
    InvalidSpecException.throwIfAny("HppOverlay \"" + name + "\"", Validator.validate(spec));
    return options;
  }

  public Output<List<String>> overlayClassNames() {
    return overlayClassNames;
  }
}
