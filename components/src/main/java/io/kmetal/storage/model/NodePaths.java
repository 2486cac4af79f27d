package io.kmetal.storage.model;

import java.util.List;

/** One entry of a local-path node path map: the host directories a node may provision under. */
public record NodePaths(String node, List<String> paths) {
  public NodePaths {
    paths = Defaults.list(paths);
  }
}
