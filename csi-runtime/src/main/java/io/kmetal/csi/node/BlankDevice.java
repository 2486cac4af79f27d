package io.kmetal.csi.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether a disk is blank without running {@code blkid}: its first and last MiB hold only zeros.
 * Every signature {@code blkid} probes lies there (filesystems, partition tables, LUKS, LVM and MD
 * at the start; MD 0.90/1.0 superblocks, ZFS labels and the GPT backup at the end), so zeros in
 * both mean nothing can be found; anything else is left to {@code blkid}. A new blank DataVolume
 * reads as zeros, so the first stage of a volume skips a process.
 */
final class BlankDevice {
  static final int EDGE = 1 << 20;

  private BlankDevice() {}

  static boolean isBlank(Path device) throws IOException {
    try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size <= 0) return false; // a size it cannot tell: let blkid look
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(EDGE, size));
      return zeros(channel, 0, buffer) && zeros(channel, Math.max(0, size - EDGE), buffer);
    }
  }

  private static boolean zeros(FileChannel channel, long from, ByteBuffer buffer)
      throws IOException {
    buffer.clear();
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, from + buffer.position()) < 0) break;
    }
    buffer.flip();
    while (buffer.remaining() >= Long.BYTES) if (buffer.getLong() != 0) return false;
    while (buffer.hasRemaining()) if (buffer.get() != 0) return false;
    return true;
  }
}
