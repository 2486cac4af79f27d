package io.kmetal.storage.cli.spbm;

import io.kmetal.storage.model.CephRbdBackend;
import java.util.Objects;

/**
 * What the imported tiers' backend looks like: a Ceph RBD class per policy (the default), or a
 * class of another CSI driver.
 *
 * @param provisioner the CSI driver; null: {@code rbd.csi.ceph.com} for cephRbd (required for csi)
 * @param clusterID ceph-csi's cluster ID (cephRbd only)
 * @param poolPrefix put before every derived pool name (cephRbd only)
 * @param secretNamespace the Rook/ODF secrets' namespace; null: none (cephRbd only)
 */
public record ImportOptions(
    Kind backend, String provisioner, String clusterID, String poolPrefix, String secretNamespace) {
  public static final String DEFAULT_CLUSTER_ID = "ceph";

  /** The backend kinds, named as in a fleet file's {@code backend}. */
  public enum Kind {
    cephRbd,
    csi
  }

  public ImportOptions {
    Objects.requireNonNull(backend, "backend");
    if (backend == Kind.cephRbd && provisioner == null) {
      provisioner = CephRbdBackend.DEFAULT_PROVISIONER;
    }
    if (backend == Kind.csi && provisioner == null) {
      throw new IllegalArgumentException("a csi backend needs its provisioner");
    }
    clusterID = clusterID == null ? DEFAULT_CLUSTER_ID : clusterID;
    poolPrefix = poolPrefix == null ? "" : poolPrefix;
  }

  /** Ceph RBD through {@code rbd.csi.ceph.com}, cluster {@code ceph}, no pool prefix. */
  public static ImportOptions defaults() {
    return new ImportOptions(Kind.cephRbd, null, null, null, null);
  }
}
