package io.kmetal.csi.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A disk image is blank only when nothing at either end could be a signature. */
class BlankDeviceTest {
  private static final long SIZE = 8L << 20;

  @TempDir Path dir;

  private Path image(long at, byte value) throws Exception {
    Path image = dir.resolve("disk-" + at + ".img");
    try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
      f.setLength(SIZE);
      if (at >= 0) {
        f.seek(at);
        f.write(value);
      }
    }
    return image;
  }

  @Test
  void aDiskOfZerosIsBlank() throws Exception {
    assertTrue(BlankDevice.isBlank(image(-1, (byte) 0)));
  }

  @Test
  void anExtSuperblockMagicAtTheStartIsNotBlank() throws Exception {
    assertFalse(BlankDevice.isBlank(image(1080, (byte) 0x53)));
  }

  @Test
  void aSignatureAtTheEndSuchAsAnMdSuperblockIsNotBlank() throws Exception {
    assertFalse(BlankDevice.isBlank(image(SIZE - 64 * 1024, (byte) 0xfc)));
  }

  @Test
  void aBtrfsSuperblockMagicAt64KiBIsNotBlank() throws Exception {
    assertFalse(BlankDevice.isBlank(image(64 * 1024 + 0x40, (byte) '_')));
  }

  @Test
  void theLastByteOfTheHeadAndTheFirstOfTheTailAreRead() throws Exception {
    assertFalse(BlankDevice.isBlank(image(BlankDevice.HEAD - 1, (byte) 1)));
    assertFalse(BlankDevice.isBlank(image(SIZE - BlankDevice.TAIL, (byte) 1)));
  }

  @Test
  void aZfsLabelAtTheEndIsNotBlank() throws Exception {
    // the third of four 256 KiB labels begins 512 KiB before the end; its name/value list at 16 KiB
    assertFalse(BlankDevice.isBlank(image(SIZE - 512 * 1024 + 16 * 1024, (byte) 1)));
  }

  @Test
  void justOutsideTheEdgesIsNotRead() throws Exception {
    assertTrue(BlankDevice.isBlank(image(BlankDevice.HEAD, (byte) 1)));
    assertTrue(BlankDevice.isBlank(image(SIZE - BlankDevice.TAIL - 1, (byte) 1)));
  }

  @Test
  void aByteInTheMiddleIsLeftToBlkidWhichFindsNoSignatureThere() throws Exception {
    // the middle is not read: data there carries no signature blkid would report
    assertTrue(BlankDevice.isBlank(image(SIZE / 2, (byte) 1)));
  }

  @Test
  void aDiskSmallerThanTheEdgesIsReadWhole() throws Exception {
    Path small = dir.resolve("small.img");
    Files.write(small, new byte[4096]);
    assertTrue(BlankDevice.isBlank(small));
    byte[] bytes = new byte[4096];
    bytes[4095] = 7;
    Files.write(small, bytes);
    assertFalse(BlankDevice.isBlank(small));
  }

  @Test
  void anEmptyFileIsLeftToBlkid() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.img"));
    assertFalse(BlankDevice.isBlank(empty));
  }
}
