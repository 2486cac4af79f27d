package io.kmetal.storage.model;

import java.util.List;

/**
 * A class served by the fleet's one local-path-provisioner. Nodes not listed get no volume: the
 * rendered map always ends in {@code DEFAULT_PATH_FOR_NON_LISTED_NODES: []}.
 */
public record LocalPathBackend(List<NodePaths> nodePathMap) {
  public LocalPathBackend {
    nodePathMap = Defaults.list(nodePathMap);
  }
}
