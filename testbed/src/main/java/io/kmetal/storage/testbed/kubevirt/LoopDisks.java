package io.kmetal.storage.testbed.kubevirt;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The simulator's disks: each volume is a sparse image file; hot-plugging it into a VM makes a loop
 * device of it and names that device in the VM's own {@code by-id} folder as udev does in a guest
 * ({@link HotplugRules#byIdName}).
 */
final class LoopDisks implements AutoCloseable {
  private final Path root;
  private final Function<String, Path> byId;

  /** A disk in a VM: its loop device and its name in the VM's by-id folder. */
  private record Plugged(String device, String byIdName) {}

  /** "vm/volume" → the disk plugged for it. */
  private final Map<String, Plugged> attached = new ConcurrentHashMap<>();

  /**
   * @param byId the by-id folder of a VM's node plugin (a real node's {@code /dev/disk/by-id}, or a
   *     folder of its own under {@code root})
   */
  LoopDisks(Path root, Function<String, Path> byId) {
    this.root = root;
    this.byId = byId;
  }

  LoopDisks(Path root) {
    this(root, vm -> root.resolve("by-id").resolve(vm));
  }

  Path image(String namespace, String name) {
    return root.resolve("images").resolve(namespace).resolve(name + ".img");
  }

  Path snapshot(String namespace, String name) {
    return root.resolve("snapshots").resolve(namespace).resolve(name + ".img");
  }

  /** The folder a node plugin of VM {@code vm} reads as {@code /dev/disk/by-id}. */
  Path byId(String vm) {
    return byId.apply(vm);
  }

  /** A blank (sparse) image of {@code bytes}. */
  void create(Path image, long bytes) throws IOException {
    Files.createDirectories(image.getParent());
    try (var file = new RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(bytes);
    }
  }

  /** A sparse copy of {@code from} (a snapshot, or a clone). */
  void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    run("cp", "--sparse=always", from.toString(), to.toString());
  }

  /** Grows the image to {@code bytes} and tells every loop device on it (never shrinks). */
  void grow(Path image, long bytes) throws IOException {
    try (var file = new RandomAccessFile(image.toFile(), "rw")) {
      if (file.length() >= bytes) return;
      file.setLength(bytes);
    }
    for (String line : run("losetup", "--noheadings", "-O", "NAME", "-j", image.toString()))
      if (!line.isBlank()) run("losetup", "-c", line.strip());
  }

  /**
   * Attaches the image to VM {@code vm} as its disk of {@code volume}, named {@code byIdName} in
   * the VM's by-id folder (as the guest's udev names it; null: no serial, no name), read-only if
   * asked (as a disk with {@code readonly: true} is to a guest); idempotent. Returns the device.
   */
  String attach(String vm, String volume, String byIdName, Path image, boolean readOnly)
      throws IOException {
    String key = vm + "/" + volume;
    Plugged plugged = attached.get(key);
    if (plugged == null) {
      String device =
          (readOnly
                  ? run("losetup", "--find", "--show", "--read-only", image.toString())
                  : run("losetup", "--find", "--show", image.toString()))
              .get(0)
              .strip();
      plugged = new Plugged(device, byIdName);
      attached.put(key, plugged);
    }
    if (plugged.byIdName() == null) return plugged.device();
    Path link = byId(vm).resolve(plugged.byIdName());
    Files.createDirectories(link.getParent());
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, Path.of(plugged.device()));
    return plugged.device();
  }

  /** Unplugs the disk of {@code volume} from VM {@code vm}; idempotent. */
  void detach(String vm, String volume) throws IOException {
    Plugged plugged = attached.remove(vm + "/" + volume);
    if (plugged == null) return;
    if (plugged.byIdName() != null) Files.deleteIfExists(byId(vm).resolve(plugged.byIdName()));
    run("losetup", "-d", plugged.device());
  }

  boolean inUse(Path image) {
    try {
      return run("losetup", "--noheadings", "-O", "NAME", "-j", image.toString()).stream()
          .anyMatch(l -> !l.isBlank());
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() {
    for (String key : List.copyOf(attached.keySet())) {
      int slash = key.indexOf('/');
      try {
        detach(key.substring(0, slash), key.substring(slash + 1));
      } catch (IOException e) {
        System.err.println("kubevirt-sim: " + e.getMessage());
      }
    }
  }

  private static List<String> run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0)
        throw new IOException(String.join(" ", command) + " failed: " + out.strip());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
    return out.lines().toList();
  }
}
