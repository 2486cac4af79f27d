package io.kmetal.storage.model;

import java.util.List;

/**
 * A Ceph RBD class through ceph-csi. {@code dataPool} set means an erasure-coded data pool with
 * {@code pool} holding the image metadata.
 */
public record CephRbdBackend(
    String provisioner,
    String clusterID,
    String pool,
    String dataPool,
    List<String> imageFeatures,
    String secretNamespace,
    String fsType) {
  public static final String DEFAULT_PROVISIONER = "rbd.csi.ceph.com";
  public static final List<String> DEFAULT_IMAGE_FEATURES =
      List.of("layering", "exclusive-lock", "object-map", "fast-diff");

  public CephRbdBackend {
    provisioner = Defaults.or(provisioner, DEFAULT_PROVISIONER);
    imageFeatures = imageFeatures == null ? DEFAULT_IMAGE_FEATURES : Defaults.list(imageFeatures);
    fsType = Defaults.or(fsType, "ext4");
  }

  /** A builder with every component unset (null), so the canonical constructor's defaults apply. */
  public static Builder builder() {
    return new Builder();
  }

  /** Fluent setters named like the components; {@link #build} calls the canonical constructor. */
  public static final class Builder {
    private String provisioner;
    private String clusterID;
    private String pool;
    private String dataPool;
    private List<String> imageFeatures;
    private String secretNamespace;
    private String fsType;

    private Builder() {}

    public Builder provisioner(String provisioner) {
      this.provisioner = provisioner;
      return this;
    }

    public Builder clusterID(String clusterID) {
      this.clusterID = clusterID;
      return this;
    }

    public Builder pool(String pool) {
      this.pool = pool;
      return this;
    }

    public Builder dataPool(String dataPool) {
      this.dataPool = dataPool;
      return this;
    }

    public Builder imageFeatures(List<String> imageFeatures) {
      this.imageFeatures = imageFeatures;
      return this;
    }

    public Builder imageFeatures(String... imageFeatures) {
      return imageFeatures(List.of(imageFeatures));
    }

    public Builder secretNamespace(String secretNamespace) {
      this.secretNamespace = secretNamespace;
      return this;
    }

    public Builder fsType(String fsType) {
      this.fsType = fsType;
      return this;
    }

    public CephRbdBackend build() {
      return new CephRbdBackend(
          provisioner, clusterID, pool, dataPool, imageFeatures, secretNamespace, fsType);
    }
  }
}
