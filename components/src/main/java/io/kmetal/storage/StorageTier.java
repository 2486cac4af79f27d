package io.kmetal.storage;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import io.kmetal.storage.internal.pulumi.ClusterProviders;
import io.kmetal.storage.internal.pulumi.ManifestResources;
import io.kmetal.storage.internal.render.LocalPathRenderer;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.internal.render.StorageTierRenderer;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.validation.InvalidSpecException;
import io.kmetal.storage.model.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One StorageClass tier of the under cluster, with its CDI StorageProfile pin and
 * VolumeSnapshotClass. A local-path tier also gets a local-path-provisioner of its own (a fleet
 * rendered with {@code kmetal render} shares one provisioner between its local-path tiers).
 *
 * <p>Objects go to the under cluster through the Kubernetes provider in the options ({@code
 * providers}), or the default provider.
 */
public final class StorageTier extends ComponentResource {
  public static final String TYPE = "kmetal-storage:index:StorageTier";

  @Export(name = "storageClassName", refs = String.class)
  private final Output<String> storageClassName;

  @Export(name = "provisioner", refs = String.class)
  private final Output<String> provisioner;

  @Export(name = "snapshotClassName", refs = String.class)
  private final Output<String> snapshotClassName;

  /**
   * @param spec without a {@code name}, the tier takes {@code name}
   * @throws InvalidSpecException before anything is registered, listing every problem
   */
  public StorageTier(String name, StorageTierSpec spec, ComponentResourceOptions options) {
    this(spec.namedIfUnnamed(name), name, options);
  }

  private StorageTier(StorageTierSpec spec, String name, ComponentResourceOptions options) {
    super(TYPE, name, checked(name, spec, options));
    LocalPathRenderer.Instance instance =
        LocalPathRenderer.Instance.forClass(spec.storageClassName());
    List<Manifest> manifests =
        new ArrayList<>(StorageTierRenderer.render(spec, instance.provisionerName()));
    manifests.addAll(LocalPathRenderer.render(instance, List.of(spec)));
    ManifestResources.register(this, manifests, new ClusterProviders(this, Map.of()));
    this.storageClassName = Output.of(spec.storageClassName());
    this.provisioner =
        Output.of(StorageTierRenderer.provisionerOf(spec, instance.provisionerName()));
    this.snapshotClassName =
        Output.ofNullable(spec.snapshotClass() == null ? null : spec.snapshotClass().name());
    registerOutputs(
        Map.of(
            "storageClassName", storageClassName,
            "provisioner", provisioner,
            "snapshotClassName", snapshotClassName));
  }

  public StorageTier(String name, StorageTierSpec spec) {
    this(name, spec, null);
  }

  /** Validates before the component itself is registered, so bad input registers nothing. */
  private static ComponentResourceOptions checked(
      String name, StorageTierSpec spec, ComponentResourceOptions options) {
    InvalidSpecException.throwIfAny("StorageTier \"" + name + "\"", Validator.validate(spec));
    return options;
  }

  public Output<String> storageClassName() {
    return storageClassName;
  }

  public Output<String> provisioner() {
    return provisioner;
  }

  public Output<String> snapshotClassName() {
    return snapshotClassName;
  }
}
