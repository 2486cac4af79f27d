package io.kmetal.csi.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MountTableTest {
  private static final String MOUNTINFO =
      String.join(
          "\n",
          "22 27 0:21 / /proc rw,relatime - proc proc rw",
          "101 27 7:0 / /var/lib/kubelet/staging/pvc-1 rw,relatime - ext4 /dev/loop0 rw",
          "102 27 7:0 / /var/lib/kubelet/pods/p/volumes/pvc-1 ro,relatime - ext4 /dev/loop0 rw",
          "103 27 7:1 /data /mnt/with\\040space rw - ext4 /dev/loop1 rw",
          "104 27 7:2 / /mnt/stacked rw - ext4 /dev/loop2 rw",
          "105 104 7:3 / /mnt/stacked rw - ext4 /dev/loop3 rw",
          "");

  @Test
  void findsTheSourceAsFindmntNamesIt() {
    assertEquals(
        Optional.of("/dev/loop0"),
        MountTable.sourceAt(MOUNTINFO, Path.of("/var/lib/kubelet/staging/pvc-1")));
    assertEquals(
        Optional.of("/dev/loop0"),
        MountTable.sourceAt(MOUNTINFO, Path.of("/var/lib/kubelet/pods/p/volumes/pvc-1/")));
    assertEquals(
        Optional.of("/dev/loop1[/data]"),
        MountTable.sourceAt(MOUNTINFO, Path.of("/mnt/with space")));
    assertEquals(
        Optional.of("/dev/loop3"), MountTable.sourceAt(MOUNTINFO, Path.of("/mnt/stacked")));
    assertEquals(Optional.empty(), MountTable.sourceAt(MOUNTINFO, Path.of("/var/lib/kubelet")));
  }
}
