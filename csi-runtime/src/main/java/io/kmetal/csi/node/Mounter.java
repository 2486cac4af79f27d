package io.kmetal.csi.node;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The operating-system calls the node plugin makes, behind one interface. */
public interface Mounter {
  /** The filesystem on {@code device}, empty when it is blank. */
  Optional<String> filesystemOf(Path device) throws OsException;

  void mkfs(Path device, String fsType) throws OsException;

  void mount(Path source, Path target, String fsType, List<String> options) throws OsException;

  /** A bind mount of {@code source} (a directory or a device file) onto {@code target}. */
  void bindMount(Path source, Path target, boolean readOnly, List<String> options)
      throws OsException;

  void unmount(Path target) throws OsException;

  /** What is mounted at {@code target} (the source device or directory), if anything. */
  Optional<String> mountedAt(Path target) throws OsException;

  /** Grows the filesystem mounted at {@code mountPoint} from {@code device} to fill it. */
  void growFilesystem(Path device, Path mountPoint, String fsType) throws OsException;

  /** A command that failed, with what it printed: the message an operator needs. */
  final class OsException extends Exception {
    private static final long serialVersionUID = 1L;

    public OsException(String message) {
      super(message);
    }
  }
}
