package io.kmetal.csi.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link Mounter} with util-linux, e2fsprogs and xfsprogs, as the node image carries them. */
public final class LinuxMounter implements Mounter {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private static Processes.Result run(List<String> command) throws OsException {
    try {
      return Processes.run(command, Duration.ofMinutes(2));
    } catch (IOException e) {
      throw new OsException("cannot run " + command.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OsException(String.join(" ", command) + " was interrupted");
    }
  }

  private static String require(List<String> command) throws OsException {
    Processes.Result r = run(command);
    if (r.exit() != 0) {
      throw new OsException(
          String.join(" ", command) + " failed (exit " + r.exit() + "): " + r.out());
    }
    return r.out();
  }

  @Override
  public Optional<String> filesystemOf(Path device) throws OsException {
    try {
      if (BlankDevice.isBlank(device)) return Optional.empty();
    } catch (IOException e) {
      throw new OsException("cannot read " + device + ": " + e.getMessage());
    }
    // blkid exits 2 when it finds no signature: the device is blank
    Processes.Result r =
        run(List.of("blkid", "-p", "-o", "value", "-s", "TYPE", device.toString()));
    if (r.exit() == 2) return Optional.empty();
    if (r.exit() != 0) throw new OsException("blkid " + device + " failed: " + r.out());
    return r.out().isEmpty() ? Optional.empty() : Optional.of(r.out());
  }

  @Override
  public void mkfs(Path device, String fsType) throws OsException {
    List<String> command = new ArrayList<>(List.of("mkfs." + fsType, "-q"));
    if (fsType.startsWith("ext")) command.addAll(List.of("-F", "-m0"));
    command.add(device.toString());
    require(command);
  }

  @Override
  public void mount(Path source, Path target, String fsType, List<String> options)
      throws OsException {
    List<String> command = new ArrayList<>(List.of("mount", "-t", fsType));
    if (!options.isEmpty()) command.addAll(List.of("-o", String.join(",", options)));
    command.addAll(List.of(source.toString(), target.toString()));
    require(command);
  }

  @Override
  public void bindMount(Path source, Path target, boolean readOnly, List<String> options)
      throws OsException {
    require(List.of("mount", "--bind", source.toString(), target.toString()));
    List<String> remount = new ArrayList<>(List.of("remount", "bind"));
    if (readOnly) remount.add("ro");
    remount.addAll(options);
    if (remount.size() > 2) {
      // bind mounts take ro and flags only on a remount
      require(List.of("mount", "-o", String.join(",", remount), target.toString()));
    }
  }

  @Override
  public void unmount(Path target) throws OsException {
    require(List.of("umount", target.toString()));
  }

  @Override
  public Optional<String> mountedAt(Path target) throws OsException {
    try {
      return MountTable.sourceAt(Files.readString(MOUNTINFO), target);
    } catch (IOException e) {
      throw new OsException("cannot read " + MOUNTINFO + ": " + e.getMessage());
    }
  }

  @Override
  public void growFilesystem(Path device, Path mountPoint, String fsType) throws OsException {
    if (fsType.equals("xfs")) require(List.of("xfs_growfs", mountPoint.toString()));
    else require(List.of("resize2fs", device.toString()));
  }
}
