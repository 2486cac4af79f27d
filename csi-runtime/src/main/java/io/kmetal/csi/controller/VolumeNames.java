package io.kmetal.csi.controller;

import io.kmetal.contract.DnsLabel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A CSI volume or snapshot name (any string up to 128 characters) as the name of its DataVolume or
 * VolumeSnapshot: a DNS-1123 label of at most 63 characters (CDI names the PVC and its importer
 * pods after it). Names that already are one stay as they are ({@code pvc-<uid>} from the
 * external-provisioner); others become a readable prefix plus a hash of the whole name, so the
 * mapping is stable and collision-safe.
 */
final class VolumeNames {
  private static final int MAX = DnsLabel.MAX_LENGTH;
  private static final int HASH = 16;

  private VolumeNames() {}

  static String objectName(String csiName) {
    if (DnsLabel.isValid(csiName)) return csiName;
    String prefix =
        csiName
            .toLowerCase(java.util.Locale.ROOT)
            .replaceAll("[^a-z0-9-]+", "-")
            .replaceAll("^-+", "");
    prefix = prefix.substring(0, Math.min(prefix.length(), MAX - HASH - 1)).replaceAll("-+$", "");
    String hash = sha256(csiName).substring(0, HASH);
    return prefix.isEmpty() ? "v-" + hash : prefix + "-" + hash;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }
}
