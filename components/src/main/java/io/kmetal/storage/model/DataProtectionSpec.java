package io.kmetal.storage.model;

/**
 * How the pool behind a tier's class keeps its data: what capacity planning ({@code kmetal plan})
 * multiplies usable capacity by. It documents the pool; nothing of it is rendered, since the pool
 * itself belongs to the storage system (a Ceph pool, a local disk).
 *
 * <p>Exactly one of {@code replicas} and {@code erasureCoding} describes the layout. Defaults:
 * {@code compressionRatio} = 1 (no compression counted), {@code encrypted} = false.
 *
 * @param replicas copies of every byte (a replicated pool's {@code size}); 1 for a local disk
 * @param erasureCoding the pool's erasure-code profile (k data + m coding chunks)
 * @param compressionRatio logical bytes per stored byte the pool achieves, at least 1 (e.g. 1.5)
 * @param deviceClass the device class the pool's rule places data on: hdd, ssd or nvme
 * @param encrypted the pool's devices are encrypted at rest
 */
public record DataProtectionSpec(
    Integer replicas,
    ErasureCodingSpec erasureCoding,
    Double compressionRatio,
    String deviceClass,
    Boolean encrypted) {

  public DataProtectionSpec {
    compressionRatio = Defaults.or(compressionRatio, 1.0);
    encrypted = Defaults.or(encrypted, false);
  }

  /** A replicated pool of {@code replicas} copies, nothing else declared. */
  public static DataProtectionSpec replicated(int replicas) {
    return new DataProtectionSpec(replicas, null, null, null, null);
  }

  /** An erasure-coded pool of {@code k} data and {@code m} coding chunks, nothing else declared. */
  public static DataProtectionSpec erasureCoded(int k, int m) {
    return new DataProtectionSpec(null, new ErasureCodingSpec(k, m), null, null, null);
  }
}
