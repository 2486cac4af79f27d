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
    imageFeatures = imageFeatures == null ? DEFAULT_IMAGE_FEATURES : List.copyOf(imageFeatures);
    fsType = Defaults.or(fsType, "ext4");
  }
}
