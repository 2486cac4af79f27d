package io.kmetal.storage.testbed.nodes;

import io.kmetal.storage.testbed.ResidentMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a real node of the sandbox costs this machine: the resident memory of its kubelet,
 * containerd and kube-proxy, read from {@code /proc} by the pids the sandbox recorded.
 */
public record NodeFigures(String node, long kubeletKib, long containerdKib, long kubeProxyKib) {
  /** The figures of every node folder under {@code sandboxDir}. */
  public static List<NodeFigures> of(Path sandboxDir) throws IOException {
    List<NodeFigures> figures = new ArrayList<>();
    try (var found =
        Files.find(sandboxDir, 6, (p, a) -> p.getFileName().toString().equals("node.env"))) {
      for (Path env : found.sorted().toList()) {
        Path node = env.getParent();
        figures.add(
            new NodeFigures(
                node.getFileName().toString(),
                rssKib(node, "kubelet"),
                rssKib(node, "containerd"),
                rssKib(node, "kube-proxy")));
      }
    }
    return figures;
  }

  /** VmRSS of the node's component, 0 when it does not run. */
  static long rssKib(Path node, String component) throws IOException {
    Path pidFile = node.resolve("pids").resolve(component + ".pid");
    if (!Files.exists(pidFile)) return 0;
    return ResidentMemory.kib(Long.parseLong(Files.readString(pidFile).strip())).orElse(0);
  }

  /** The table the E2E prints. */
  public static String table(List<NodeFigures> figures) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "%-22s %12s %14s %14s%n", "node", "kubelet MiB", "containerd MiB", "kube-proxy MiB"));
    for (NodeFigures f : figures)
      out.append(
          String.format(
              "%-22s %12.1f %14.1f %14.1f%n",
              f.node(),
              f.kubeletKib() / 1024.0,
              f.containerdKib() / 1024.0,
              f.kubeProxyKib() / 1024.0));
    return out.toString();
  }
}
