package io.kmetal.storage.model;

/** A CephFS class through ceph-csi (ReadWriteMany shared filesystems). */
public record CephFsBackend(
    String provisioner, String clusterID, String fsName, String pool, String secretNamespace) {
  public static final String DEFAULT_PROVISIONER = "cephfs.csi.ceph.com";

  public CephFsBackend {
    provisioner = Defaults.or(provisioner, DEFAULT_PROVISIONER);
  }
}
