package io.kmetal.storage.model;

import java.util.List;
import java.util.Map;

/**
 * A class served by the fleet's one local-path-provisioner. Nodes not listed get no volume: the
 * rendered map always ends in {@code DEFAULT_PATH_FOR_NON_LISTED_NODES: []}.
 *
 * <p>Where the provisioner itself runs: on control-plane nodes by default ({@link #CONTROL_PLANE},
 * tolerating their taint), as the platform design pins it. An empty selector and empty tolerations
 * let it run anywhere. The helper pods that create and remove volume directories always run on the
 * volume's own node.
 */
public record LocalPathBackend(
    List<NodePaths> nodePathMap,
    Map<String, String> provisionerNodeSelector,
    List<TolerationSpec> provisionerTolerations) {
  public static final String CONTROL_PLANE = "node-role.kubernetes.io/control-plane";

  public LocalPathBackend {
    nodePathMap = Defaults.list(nodePathMap);
    provisionerNodeSelector =
        Defaults.map(Defaults.or(provisionerNodeSelector, Map.of(CONTROL_PLANE, "")));
    provisionerTolerations =
        Defaults.list(
            Defaults.or(
                provisionerTolerations,
                List.of(new TolerationSpec(CONTROL_PLANE, "Exists", null, "NoSchedule"))));
  }

  public LocalPathBackend(List<NodePaths> nodePathMap) {
    this(nodePathMap, null, null);
  }
}
