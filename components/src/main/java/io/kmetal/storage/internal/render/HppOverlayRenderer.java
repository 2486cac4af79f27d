package io.kmetal.storage.internal.render;

import io.kmetal.storage.model.HppOverlaySpec;
import io.kmetal.storage.model.KubeVirtRef;
import io.kmetal.storage.model.PvcTemplate;
import io.kmetal.storage.model.StoragePoolSpec;
import io.kmetal.storage.model.WorkloadSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HostPathProvisioner CR with its overlay pools, the overlay VolumeSnapshotClass when snapshots
 * are on, and the KubeVirt setting that puts VM-state PVCs on the overlay class.
 */
public final class HppOverlayRenderer {
  public static final String CR_NAME = "hostpath-provisioner";
  public static final String DRIVER = "kubevirt.io.hostpath-provisioner";

  private HppOverlayRenderer() {}

  public static List<Manifest> render(HppOverlaySpec hpp) {
    Map<String, String> labels = Labels.of("hpp-overlay", hpp.name(), "vm-state-storage");
    List<Manifest> out = new ArrayList<>();
    out.add(
        Manifest.under(
            Crds.object(
                Crds.HPP_V1BETA1,
                "HostPathProvisioner",
                null,
                CR_NAME,
                labels,
                Ordered.map("spec", spec(hpp)))));
    if (hpp.snapshotsOn()) {
      for (StoragePoolSpec pool : hpp.storagePools()) {
        out.add(
            Manifest.under(
                Crds.snapshotClass(
                    pool.overlayClassName() + "-snapshot",
                    DRIVER,
                    "Delete",
                    Map.of("storagePool", pool.name()),
                    // the driver's default: the first pool's, the class vmStateStorageClass names
                    pool == hpp.storagePools().get(0),
                    labels)));
      }
    }
    if (hpp.kubevirt() != null && !hpp.storagePools().isEmpty()) {
      out.add(
          Manifest.patch(
              kubevirt(hpp.kubevirt(), hpp.storagePools().get(0).overlayClassName(), labels)));
    }
    return out;
  }

  private static Map<String, Object> spec(HppOverlaySpec hpp) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("imagePullPolicy", "IfNotPresent");
    if (!hpp.featureGates().isEmpty()) spec.put("featureGates", hpp.featureGates());
    List<Object> pools = new ArrayList<>();
    for (StoragePoolSpec p : hpp.storagePools()) {
      Map<String, Object> pool = Ordered.map("name", p.name(), "path", p.path());
      if (p.snapshotProvider() != null) pool.put("snapshotProvider", p.snapshotProvider());
      pool.put("overlayClassName", p.overlayClassName());
      if (p.pvcTemplate() != null) pool.put("pvcTemplate", pvcTemplate(p.pvcTemplate()));
      pools.add(pool);
    }
    spec.put("storagePools", pools);
    WorkloadSpec w = hpp.workload();
    if (w != null) {
      Map<String, Object> workload = new LinkedHashMap<>();
      if (!w.nodeSelector().isEmpty())
        workload.put("nodeSelector", Ordered.sorted(w.nodeSelector()));
      if (!w.tolerations().isEmpty()) workload.put("tolerations", w.tolerations());
      if (!w.affinity().isEmpty()) workload.put("affinity", w.affinity());
      spec.put("workload", workload);
    }
    return spec;
  }

  private static Map<String, Object> pvcTemplate(PvcTemplate t) {
    Map<String, Object> m = Ordered.map("accessModes", t.accessModes());
    if (t.storageClassName() != null) m.put("storageClassName", t.storageClassName());
    m.put("volumeMode", t.volumeMode() == null ? "Filesystem" : t.volumeMode());
    m.put("resources", Ordered.map("requests", Ordered.map("storage", t.storage())));
    return m;
  }

  private static io.fabric8.kubernetes.api.model.HasMetadata kubevirt(
      KubeVirtRef ref, String overlayClass, Map<String, String> labels) {
    // its feature gates are merged with the cluster's, never written here: see FeatureGates
    Map<String, Object> configuration = Ordered.map("vmStateStorageClass", overlayClass);
    return Crds.object(
        Crds.KUBEVIRT_V1,
        "KubeVirt",
        ref.namespace(),
        ref.name(),
        labels,
        Ordered.map("spec", Ordered.map("configuration", configuration)));
  }
}
