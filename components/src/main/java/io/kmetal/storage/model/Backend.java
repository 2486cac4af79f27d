package io.kmetal.storage.model;

import java.util.ArrayList;
import java.util.List;

/** Where a tier's volumes come from: exactly one of the four fields is set. */
public record Backend(
    LocalPathBackend localPath, CephRbdBackend cephRbd, CephFsBackend cephFs, CsiBackend csi) {

  public static Backend localPath(LocalPathBackend localPath) {
    return new Backend(localPath, null, null, null);
  }

  public static Backend cephRbd(CephRbdBackend cephRbd) {
    return new Backend(null, cephRbd, null, null);
  }

  public static Backend cephFs(CephFsBackend cephFs) {
    return new Backend(null, null, cephFs, null);
  }

  public static Backend csi(CsiBackend csi) {
    return new Backend(null, null, null, csi);
  }

  /**
   * The CSI driver of a Ceph or CSI backend (what its StorageClass and snapshot classes name); null
   * for local-path, whose provisioner depends on which instance serves it.
   */
  public String driver() {
    if (cephRbd != null) return cephRbd.provisioner();
    if (cephFs != null) return cephFs.provisioner();
    if (csi != null) return csi.provisioner();
    return null;
  }

  /** The names of the backend kinds that are set, in declaration order. */
  public List<String> kindsSet() {
    List<String> set = new ArrayList<>();
    if (localPath != null) set.add("localPath");
    if (cephRbd != null) set.add("cephRbd");
    if (cephFs != null) set.add("cephFs");
    if (csi != null) set.add("csi");
    return set;
  }
}
