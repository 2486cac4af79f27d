package io.kmetal.storage.internal.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.kmetal.storage.model.Images;
import io.kmetal.storage.model.LocalPathBackend;
import io.kmetal.storage.model.NodePaths;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.TolerationSpec;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A local-path-provisioner serving local-path tiers, as chart 0.0.30 renders it: its config.json
 * has a {@code storageClassConfigs} entry per class, and every node path map ends in {@code
 * DEFAULT_PATH_FOR_NON_LISTED_NODES: []} so the provisioner refuses unlisted nodes.
 */
public final class LocalPathRenderer {
  /**
   * Which provisioner: a fleet renders one {@link #SHARED} instance for all its local-path tiers; a
   * lone {@code StorageTier} component renders an instance of its own ({@link #forClass}), since a
   * component cannot see its siblings' node maps.
   */
  public record Instance(String name, String namespace, String provisionerName) {
    public static final Instance SHARED =
        new Instance("local-path-provisioner", "local-path-storage", "rancher.io/local-path");

    public static Instance forClass(String storageClassName) {
      return new Instance(
          "local-path-provisioner-" + storageClassName,
          "local-path-" + storageClassName,
          "kmetal.io/local-path-" + storageClassName);
    }
  }

  static final String IMAGE = Images.LOCAL_PATH_PROVISIONER;
  static final String HELPER_IMAGE = Images.LOCAL_PATH_HELPER;
  static final String NON_LISTED = "DEFAULT_PATH_FOR_NON_LISTED_NODES";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private LocalPathRenderer() {}

  /** Nothing when no tier uses local-path; otherwise the provisioner and its configuration. */
  public static List<Manifest> render(Instance instance, List<StorageTierSpec> tiers) {
    List<StorageTierSpec> local = tiers.stream().filter(StorageTierSpec::isLocalPath).toList();
    if (local.isEmpty()) return List.of();
    String name = instance.name();
    String namespace = instance.namespace();
    Map<String, String> labels = Labels.of(name, name, "provisioner");
    String sa = name + "-service-account";
    String config = "local-path-config";
    List<Manifest> out = new ArrayList<>();
    out.add(
        Manifest.under(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                .withLabels(Labels.privilegedNamespace(labels))
                .endMetadata()
                .build()));
    out.add(
        Manifest.under(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(sa)
                .withNamespace(namespace)
                .withLabels(labels)
                .endMetadata()
                .build()));
    out.add(
        Manifest.under(
            new RoleBuilder()
                .withNewMetadata()
                .withName(name + "-role")
                .withNamespace(namespace)
                .withLabels(labels)
                .endMetadata()
                // what v0.0.30 calls in its own namespace: its ConfigMap (read at start), and the
                // helper pods it creates, polls and deletes (their log on failure)
                .withRules(
                    Rbac.named(Rbac.rule("", List.of("configmaps"), "get"), config),
                    Rbac.rule("", List.of("pods"), "get", "create", "delete"),
                    Rbac.rule("", List.of("pods/log"), "get"))
                .build()));
    out.add(
        Manifest.under(Rbac.roleBinding(name + "-bind", namespace, labels, name + "-role", sa)));
    out.add(
        Manifest.under(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(name + "-role")
                .withLabels(labels)
                .endMetadata()
                .withRules(
                    Rbac.rule("", List.of("nodes", "persistentvolumeclaims"), Rbac.READ),
                    Rbac.rule("", List.of("persistentvolumes"), Rbac.READ_WRITE),
                    Rbac.rule("", List.of("events"), "create", "patch"),
                    Rbac.rule("storage.k8s.io", List.of("storageclasses"), Rbac.READ))
                .build()));
    out.add(
        Manifest.under(
            Rbac.clusterRoleBinding(name + "-bind", labels, name + "-role", namespace, sa)));
    out.add(
        Manifest.under(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(config)
                .withNamespace(namespace)
                .withLabels(labels)
                .endMetadata()
                .withData(configData(local))
                .build()));
    // validation keeps the shared provisioner's placement equal across its tiers
    LocalPathBackend placement = local.get(0).backend().localPath();
    out.add(Manifest.under(deployment(instance, labels, sa, config, placement)));
    return out;
  }

  /** The chart's config.json, setup, teardown and helperPod.yaml. */
  static Map<String, String> configData(List<StorageTierSpec> local) {
    Map<String, Object> classes = new LinkedHashMap<>();
    for (StorageTierSpec tier : local) {
      classes.put(
          tier.storageClassName(),
          Ordered.map("nodePathMap", nodePathMap(tier.backend().localPath().nodePathMap())));
    }
    Map<String, Object> config =
        Ordered.map("nodePathMap", nodePathMap(List.of()), "storageClassConfigs", classes);
    Map<String, String> data = new LinkedHashMap<>();
    data.put("config.json", json(config));
    data.put("setup", "#!/bin/sh\nset -eu\nmkdir -m 0777 -p \"$VOL_DIR\"\n");
    data.put("teardown", "#!/bin/sh\nset -eu\nrm -rf \"$VOL_DIR\"\n");
    data.put(
        "helperPod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: helper-pod\nspec:\n  priorityClassName: system-node-critical\n"
            + "  tolerations:\n    - key: node.kubernetes.io/disk-pressure\n      operator: Exists\n      effect: NoSchedule\n"
            + "  containers:\n    - name: helper-pod\n      image: "
            + HELPER_IMAGE
            + "\n      imagePullPolicy: IfNotPresent\n");
    return data;
  }

  private static List<Object> nodePathMap(List<NodePaths> listed) {
    List<Object> map = new ArrayList<>();
    for (NodePaths np : listed) map.add(Ordered.map("node", np.node(), "paths", np.paths()));
    map.add(Ordered.map("node", NON_LISTED, "paths", List.of()));
    return map;
  }

  private static io.fabric8.kubernetes.api.model.apps.Deployment deployment(
      Instance instance,
      Map<String, String> labels,
      String sa,
      String config,
      LocalPathBackend placement) {
    String name = instance.name();
    Map<String, String> workload = Labels.workload(labels, name);
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(instance.namespace())
        .withLabels(workload)
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewSelector()
        .withMatchLabels(Labels.selector(name, name))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(workload)
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(sa)
        // it only talks to the API and reads its ConfigMap: the helper pods do the node's work
        .withSecurityContext(Containers.nonRootPod())
        .withNodeSelector(
            placement.provisionerNodeSelector().isEmpty()
                ? null
                : Ordered.sorted(placement.provisionerNodeSelector()))
        .withTolerations(
            placement.provisionerTolerations().stream().map(LocalPathRenderer::toleration).toList())
        .addNewContainer()
        .withName(name)
        .withImage(IMAGE)
        .withImagePullPolicy("IfNotPresent")
        .withCommand(
            "local-path-provisioner",
            "--debug",
            "start",
            "--config",
            "/etc/config/config.json",
            "--provisioner-name",
            instance.provisionerName(),
            "--service-account-name",
            sa,
            "--helper-image",
            HELPER_IMAGE,
            "--configmap-name",
            config)
        .addNewEnv()
        .withName("POD_NAMESPACE")
        .withNewValueFrom()
        .withNewFieldRef()
        .withApiVersion("v1")
        .withFieldPath("metadata.namespace")
        .endFieldRef()
        .endValueFrom()
        .endEnv()
        .addNewEnv()
        .withName("CONFIG_MOUNT_PATH")
        .withValue("/etc/config/")
        .endEnv()
        .addNewVolumeMount()
        .withName("config-volume")
        .withMountPath("/etc/config/")
        .endVolumeMount()
        .withNewResources()
        .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("10m"))
        .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("32Mi"))
        .endResources()
        .withSecurityContext(Containers.restricted())
        .endContainer()
        .addNewVolume()
        .withName("config-volume")
        .withNewConfigMap()
        .withName(config)
        .endConfigMap()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Toleration toleration(TolerationSpec t) {
    return new TolerationBuilder()
        .withKey(t.key())
        .withOperator(t.operator())
        .withValue(t.value() == null || t.value().isEmpty() ? null : t.value())
        .withEffect(t.effect())
        .build();
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
