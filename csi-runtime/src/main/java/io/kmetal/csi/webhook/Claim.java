package io.kmetal.csi.webhook;

/**
 * The parts of a tenant PersistentVolumeClaim the quota decision reads.
 *
 * @param uid empty when the review carries none
 * @param storageClassName empty when the claim names no class
 * @param block {@code volumeMode: Block} (CDI adds no filesystem overhead)
 * @param requestBytes {@code spec.resources.requests.storage}
 */
record Claim(
    String uid,
    String namespace,
    String name,
    String storageClassName,
    boolean block,
    long requestBytes) {
  /** {@code namespace/name}, as messages name the claim. */
  String ref() {
    return namespace + "/" + name;
  }

  /** The reservation key: the uid, which tenant clusters never share, else the claim's name. */
  String key(String cluster) {
    return uid.isEmpty() ? cluster + "." + namespace + "." + name : uid;
  }
}
