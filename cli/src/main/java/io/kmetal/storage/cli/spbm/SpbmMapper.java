package io.kmetal.storage.cli.spbm;

import io.kmetal.storage.model.Backend;
import io.kmetal.storage.model.CephRbdBackend;
import io.kmetal.storage.model.CsiBackend;
import io.kmetal.storage.model.DataProtectionSpec;
import io.kmetal.storage.model.ErasureCodingSpec;
import io.kmetal.storage.model.StorageTierSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One SPBM policy to one storage tier, with a decision and its reason for every setting:
 *
 * <ul>
 *   <li>FTT=n with RAID-1 mirroring: {@code replicas: n+1}; FTT=0: one copy, with a warning.
 *   <li>RAID-5/6: FTT=1 is RAID-5, 3 data + 1 parity chunks ({@code erasureCoding 3+1}); FTT=2 is
 *       RAID-6, 4+2. vSAN has no erasure coding for FTT=3: such a policy is not mapped.
 *   <li>Storage type: nvme, ssd, hdd as they are; allFlash is ssd; hybrid is hdd.
 *   <li>Encryption: {@code protection.encrypted} and the requirement it puts on the pool.
 *   <li>IOPS limit: StorageClass parameters for a CSI driver known to take them, else a gap.
 *   <li>Stripe width above 1: a gap (RBD spreads every image over the whole pool anyway).
 * </ul>
 *
 * <p>The backend is a Ceph RBD class (pools named after the tier; an erasure-coded layout gets a
 * replicated metadata pool and an erasure-coded data pool) or another CSI driver's class.
 */
public final class SpbmMapper {
  private SpbmMapper() {}

  /** A policy that is mapped, or the reason it is not. */
  public static Mapping map(Policy p, String tierName, ImportOptions o) {
    List<Decision> decisions = new ArrayList<>();
    List<Gap> gaps = new ArrayList<>();
    decisions.add(name(p, tierName));
    FailureToleranceMethod method = p.method() == null ? FailureToleranceMethod.RAID_1 : p.method();
    Optional<String> unmappable = unmappable(p.hostFailuresToTolerate(), method);
    if (unmappable.isPresent()) return Mapping.notMapped(p, tierName, unmappable.get());

    Integer replicas = null;
    ErasureCodingSpec ec = null;
    int ftt = p.hostFailuresToTolerate();
    String how =
        method.label() + (p.method() == null ? " (vSAN's default; the policy names none)" : "");
    if (ftt == 0) {
      replicas = 1;
      decisions.add(Decision.of(tierName, "replicas 1", "FTT=0 keeps a single copy"));
      decisions.add(
          Decision.warning(
              tierName,
              "one copy: a failed disk or host loses the volumes on it, and Ceph refuses a pool"
                  + " of size 1 unless mon_allow_pool_size_one is set"));
    } else if (!method.isErasureCoding()) {
      replicas = ftt + 1;
      decisions.add(
          Decision.of(
              tierName,
              "replicas " + replicas,
              "FTT=" + ftt + " with " + how + " mirroring keeps " + replicas + " copies"));
      if (replicas == 2) {
        decisions.add(
            Decision.warning(
                tierName,
                "two copies: a Ceph pool of size 2 gets min_size 1 by default (size - size/2), so"
                    + " it accepts writes on a single copy while the other is down; replicas 3 is"
                    + " Ceph's usual choice"));
      }
    } else if (ftt == 1) {
      ec = new ErasureCodingSpec(3, 1);
      decisions.add(
          Decision.of(
              tierName,
              "erasureCoding 3+1",
              "FTT=1 with "
                  + how
                  + " erasure coding is RAID-5, which vSAN lays out as 3 data + 1 parity: ×4/3"));
      decisions.add(
          Decision.warning(
              tierName,
              "one coding chunk: Ceph's recommended min_size for an erasure-coded pool is k+1 = 4,"
                  + " all chunks of 3+1, so one host down pauses I/O on the placement groups it"
                  + " held; 4+2 keeps serving"));
    } else {
      ec = new ErasureCodingSpec(4, 2);
      decisions.add(
          Decision.of(
              tierName,
              "erasureCoding 4+2",
              "FTT=2 with "
                  + how
                  + " erasure coding is RAID-6, which vSAN lays out as 4 data + 2 parity: ×1.5"));
    }

    String deviceClass = deviceClass(p, tierName, ec != null, decisions);
    List<Decision> iops = new ArrayList<>();
    Map<String, String> parameters = iopsParameters(p, tierName, o, iops, gaps);
    Backend backend = backend(tierName, ec != null, o, parameters, decisions);
    boolean encrypted = encryption(p, tierName, o, decisions);
    decisions.addAll(iops);
    stripeWidth(p, tierName, decisions, gaps);

    StorageTierSpec tier =
        StorageTierSpec.builder()
            .name(tierName)
            .description(description(p, method))
            .backend(backend)
            .protection(
                new DataProtectionSpec(replicas, ec, null, deviceClass, encrypted ? true : null))
            .build();
    return Mapping.mapped(p, tier, decisions, gaps);
  }

  private static Decision name(Policy p, String tierName) {
    String why;
    if (tierName.equals(p.name())) why = "already a DNS-1123 name";
    else if (tierName.equals(p.name().toLowerCase(Locale.ROOT))) {
      why = "lowercased: tier names are DNS-1123 names";
    } else {
      why = "sanitised to a DNS-1123 name: lowercase letters, digits and '-', at most 63";
    }
    return Decision.of(tierName, "tier name from policy \"" + p.name() + "\"", why);
  }

  /** Why FTT and method have no layout here; empty when they have one. */
  static Optional<String> unmappable(int ftt, FailureToleranceMethod method) {
    if (ftt == 0 || method == FailureToleranceMethod.RAID_1) return Optional.empty();
    if (method == FailureToleranceMethod.RAID_5 && ftt != 1) {
      return Optional.of(
          "FTT="
              + ftt
              + " with RAID-5: RAID-5 tolerates exactly one failure; vSAN's erasure coding for"
              + " FTT=2 is RAID-6 (4+2) and for FTT=3 there is none (RAID-1 keeps 4 copies)");
    }
    if (method == FailureToleranceMethod.RAID_6 && ftt != 2) {
      return Optional.of(
          "FTT="
              + ftt
              + " with RAID-6: RAID-6 tolerates exactly two failures; vSAN's erasure coding for"
              + " FTT=1 is RAID-5 (3+1) and for FTT=3 there is none (RAID-1 keeps 4 copies)");
    }
    if (ftt == 3) {
      return Optional.of(
          "FTT=3 with "
              + method.label()
              + ": vSAN's erasure coding tolerates one failure (RAID-5) or two (RAID-6), never"
              + " three, so there is no layout to carry over; import it as RAID-1 (4 copies) or"
              + " describe a profile with 3 coding chunks (e.g. 8+3) by hand");
    }
    return Optional.empty();
  }

  private static String deviceClass(
      Policy p, String tier, boolean erasureCoded, List<Decision> decisions) {
    StorageType type = p.storageType();
    if (type == null) {
      decisions.add(
          Decision.of(
              tier,
              "no deviceClass",
              "the policy names no storage type; the plan counts the tier as unspecified"));
      return null;
    }
    String why =
        switch (type) {
          case NVME, SSD, HDD -> "storage type " + type.label();
          case ALL_FLASH ->
              "storage type allFlash: flash devices; write nvme in the inventory if they are NVMe";
          case HYBRID ->
              "storage type hybrid: vSAN keeps the data on magnetic disks behind a flash cache;"
                  + " Ceph has no cache tier to match, though BlueStore can keep its DB/WAL on flash";
        };
    String deviceClass =
        switch (type) {
          case NVME -> "nvme";
          case SSD, ALL_FLASH -> "ssd";
          case HDD, HYBRID -> "hdd";
        };
    decisions.add(Decision.of(tier, "deviceClass " + deviceClass, why));
    if (erasureCoded && (type == StorageType.HYBRID || type == StorageType.HDD)) {
      decisions.add(
          Decision.warning(
              tier,
              "vSAN offers RAID-5/6 only on all-flash storage, yet the policy's storage type is "
                  + type.label()
                  + "; check the inventory (mapped as given)"));
    }
    return deviceClass;
  }

  private static boolean encryption(
      Policy p, String tier, ImportOptions o, List<Decision> decisions) {
    if (!p.encryption()) {
      decisions.add(Decision.of(tier, "encrypted false", "the policy does not encrypt"));
      return false;
    }
    String requirement =
        o.backend() == ImportOptions.Kind.cephRbd
            ? "requirement: an encrypted pool, its OSDs created with dm-crypt as vSAN encrypted"
                + " the datastore: cephadm OSD spec encrypted: true, Rook encryptedDevice: \"true\";"
                + " ceph-csi's per-volume LUKS, StorageClass parameter encrypted: \"true\" with an"
                + " encryptionPassphrase secret or an encryptionKMSID, is the alternative the"
                + " cephRbd backend does not render"
            : "requirement: the driver's pool or devices encrypt at rest; set the driver's own"
                + " encryption parameters in backend.csi.parameters if it has any";
    decisions.add(Decision.of(tier, "encrypted true", requirement));
    return true;
  }

  /** The StorageClass parameters that carry the IOPS limit (csi backends only). */
  private static Map<String, String> iopsParameters(
      Policy p, String tier, ImportOptions o, List<Decision> decisions, List<Gap> gaps) {
    Map<String, String> params = new LinkedHashMap<>();
    if (!p.hasIopsLimit()) {
      decisions.add(Decision.of(tier, "no IOPS limit", "the policy sets none"));
      return params;
    }
    String setting = "iopsLimit " + p.iopsLimit();
    if (o.backend() == ImportOptions.Kind.cephRbd) {
      decisions.add(notCarried(tier, setting));
      gaps.add(
          new Gap(
              tier,
              setting,
              "the cephRbd backend renders no QoS parameters, and ceph-csi's RBD StorageClass QoS"
                  + " parameters take effect only with the rbd-nbd mounter; for krbd volumes"
                  + " ceph-csi applies IOPS caps from a VolumeAttributesClass (cgroup v2,"
                  + " Kubernetes 1.34+): create one with this limit and name it in the claims"));
      return params;
    }
    Optional<IopsParameters.Driver> driver = IopsParameters.of(o.provisioner());
    if (driver.isEmpty()) {
      decisions.add(notCarried(tier, setting));
      gaps.add(
          new Gap(
              tier,
              setting,
              "no StorageClass IOPS parameter is known for driver "
                  + o.provisioner()
                  + " (known: "
                  + String.join(", ", IopsParameters.knownDrivers())
                  + "); if it has one, set it in backend.csi.parameters"));
      return params;
    }
    driver.get().parameters().forEach(k -> params.put(k, Long.toString(p.iopsLimit())));
    decisions.add(
        Decision.of(
            tier,
            "parameters "
                + params.entrySet().stream()
                    .map(e -> e.getKey() + ": \"" + e.getValue() + "\"")
                    .collect(Collectors.joining(", ")),
            setting
                + "; "
                + driver.get().product()
                + " caps reads and writes separately, while vSAN counted both together in"
                + " 32 KiB units, so the cap is looser"));
    return params;
  }

  private static Backend backend(
      String tier,
      boolean erasureCoded,
      ImportOptions o,
      Map<String, String> csiParameters,
      List<Decision> decisions) {
    if (o.backend() == ImportOptions.Kind.csi) {
      decisions.add(
          Decision.of(
              tier,
              "backend csi, provisioner " + o.provisioner(),
              "--backend csi; protection documents the pool, the parameters carry what the driver"
                  + " takes"));
      return Backend.csi(new CsiBackend(o.provisioner(), csiParameters));
    }
    String source =
        "provisioner "
            + o.provisioner()
            + ", clusterID "
            + o.clusterID()
            + ", pool prefix \""
            + o.poolPrefix()
            + "\", set by --provisioner, --cluster-id, --pool-prefix";
    CephRbdBackend.Builder rbd =
        CephRbdBackend.builder()
            .provisioner(
                o.provisioner().equals(CephRbdBackend.DEFAULT_PROVISIONER) ? null : o.provisioner())
            .clusterID(o.clusterID())
            .secretNamespace(o.secretNamespace());
    String base = o.poolPrefix() + tier;
    if (!erasureCoded) {
      decisions.add(
          Decision.of(
              tier,
              "backend cephRbd, pool " + base,
              "a replicated pool named after the tier; " + source));
      return Backend.cephRbd(rbd.pool(base).build());
    }
    String pool = base + "-metadata";
    String dataPool = base + "-data";
    decisions.add(
        Decision.of(
            tier,
            "backend cephRbd, pool " + pool + ", dataPool " + dataPool,
            "RBD keeps image metadata in a replicated pool and the data in the erasure-coded one,"
                + " which needs allow_ec_overwrites; "
                + source));
    return Backend.cephRbd(rbd.pool(pool).dataPool(dataPool).build());
  }

  private static void stripeWidth(Policy p, String tier, List<Decision> decisions, List<Gap> gaps) {
    int width = p.stripeWidth() == null ? 1 : p.stripeWidth();
    if (width == 1) {
      decisions.add(
          Decision.of(
              tier,
              "stripeWidth 1 needs nothing",
              p.stripeWidth() == null
                  ? "not given; vSAN's default is one stripe per replica"
                  : "one stripe per replica, vSAN's default"));
      return;
    }
    decisions.add(notCarried(tier, "stripeWidth " + width));
    gaps.add(
        new Gap(
            tier,
            "stripeWidth " + width,
            "vSAN stripes each replica over "
                + width
                + " capacity disks; a Ceph class has no such setting: RBD cuts every image into"
                + " objects (4 MiB by default) that CRUSH spreads over all OSDs of the pool"));
  }

  private static Decision notCarried(String tier, String setting) {
    return Decision.of(tier, setting + " not carried", "a gap, listed with its reason below");
  }

  /** {@code SPBM policy Gold (FTT=2, RAID-1, nvme, encrypted, IOPS limit 5000)}. */
  private static String description(Policy p, FailureToleranceMethod method) {
    List<String> parts = new ArrayList<>();
    parts.add("FTT=" + p.hostFailuresToTolerate());
    parts.add(method.label());
    if (p.storageType() != null) parts.add(p.storageType().label());
    if (p.encryption()) parts.add("encrypted");
    if (p.hasIopsLimit()) parts.add("IOPS limit " + p.iopsLimit());
    if (p.stripeWidth() != null && p.stripeWidth() > 1)
      parts.add("stripe width " + p.stripeWidth());
    return "SPBM policy " + p.name() + " (" + String.join(", ", parts) + ")";
  }
}
