package io.kmetal.storage.internal.render;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What each binary calls with each rendered identity: one {@link Use} per API access, named by the
 * binary and the step it serves. The roles must grant exactly these (RbacMinimumTest), and the API
 * server must allow each one (RenderedRolesIT); RealNodesE2E finds no "forbidden" in any pod's log
 * while the whole flow runs with them, which is what keeps this table honest.
 */
final class RoleUses {
  private RoleUses() {}

  /**
   * One access: {@code verbs} on {@code group/resource} (a subresource as {@code
   * resource/subresource}), limited to object {@code name} when not null.
   */
  record Use(
      String who, String step, String group, String resource, String name, Set<String> verbs) {
    static Use of(String who, String step, String group, String resource, String... verbs) {
      return new Use(who, step, group, resource, null, Set.of(verbs));
    }

    Use named(String objectName) {
      return new Use(who, step, group, resource, objectName, verbs);
    }
  }

  /** A role's rules and the uses they serve. */
  record Identity(String role, List<PolicyRule> rules, List<Use> uses) {}

  private static final String CORE = "";
  private static final String STORAGE = "storage.k8s.io";
  private static final String SNAPSHOT = "snapshot.storage.k8s.io";
  private static final String[] INFORMER = {"list", "watch"};
  private static final String[] LISTER = {"get", "list", "watch"};

  /** The driver in the under cluster (Role {@code kubevirt-csi-controller-<cluster>}). */
  static final List<Use> UNDER_DRIVER =
      List.of(
          Use.of(
              "driver",
              "CreateVolume makes a DataVolume",
              "cdi.kubevirt.io",
              "datavolumes",
              "create"),
          Use.of(
              "driver",
              "CreateVolume/DeleteVolume look it up",
              "cdi.kubevirt.io",
              "datavolumes",
              "get"),
          Use.of(
              "driver",
              "ListVolumes pages the cluster's DataVolumes; the DataVolume watch starts with a list",
              "cdi.kubevirt.io",
              "datavolumes",
              "list"),
          Use.of(
              "driver",
              "CreateVolume waits for CDI's quota verdict on a watch of the namespace's DataVolumes",
              "cdi.kubevirt.io",
              "datavolumes",
              "watch"),
          Use.of("driver", "DeleteVolume", "cdi.kubevirt.io", "datavolumes", "delete"),
          Use.of(
              "driver",
              "ControllerExpandVolume patches the requested size",
              "cdi.kubevirt.io",
              "datavolumes",
              "patch"),
          Use.of(
              "driver",
              "CDI authorizes a clone (volume or snapshot source) against its creator",
              "cdi.kubevirt.io",
              "datavolumes/source",
              "create"),
          Use.of(
              "driver",
              "ControllerPublish finds the node's VM",
              "kubevirt.io",
              "virtualmachines",
              "get"),
          Use.of(
              "driver",
              "ControllerPublish reads the VMI, waits for the volume's status (watch), and refuses RWO held by another VMI (list)",
              "kubevirt.io",
              "virtualmachineinstances",
              LISTER),
          Use.of(
              "driver",
              "ControllerPublish hot-plugs on the VM",
              "subresources.kubevirt.io",
              "virtualmachines/addvolume",
              "update"),
          Use.of(
              "driver",
              "ControllerUnpublish unplugs from the VM",
              "subresources.kubevirt.io",
              "virtualmachines/removevolume",
              "update"),
          Use.of(
              "driver",
              "ControllerUnpublish falls back to the VMI when the VM is gone",
              "subresources.kubevirt.io",
              "virtualmachineinstances/removevolume",
              "update"),
          Use.of(
              "driver",
              "CreateSnapshot/DeleteSnapshot/ListSnapshots",
              SNAPSHOT,
              "volumesnapshots",
              "get",
              "list",
              "create",
              "delete"));

  /** The driver's calls; with snapshots off it makes none on VolumeSnapshots. */
  static List<Use> underDriver(boolean snapshots) {
    return snapshots
        ? UNDER_DRIVER
        : without(UNDER_DRIVER, "CreateSnapshot/DeleteSnapshot/ListSnapshots");
  }

  private static List<Use> without(List<Use> uses, String step) {
    List<Use> kept = uses.stream().filter(u -> !u.step().equals(step)).toList();
    if (kept.size() != uses.size() - 1) throw new IllegalArgumentException("no one step " + step);
    return kept;
  }

  /** The quota webhook in the under cluster (Role {@code kmetal-webhook}). */
  static List<Use> underWebhook(boolean snapshots, String ledger) {
    List<Use> uses =
        new ArrayList<>(
            List.of(
                Use.of(
                    "webhook",
                    "watches the tenant's ResourceQuota",
                    CORE,
                    "resourcequotas",
                    INFORMER),
                Use.of(
                    "webhook",
                    "watches the namespace's claims it counts",
                    CORE,
                    "persistentvolumeclaims",
                    INFORMER),
                Use.of(
                    "webhook",
                    "creates the ledger on the first admission",
                    CORE,
                    "configmaps",
                    "create"),
                Use.of(
                        "webhook",
                        "reads the ledger, and writes it at its resourceVersion",
                        CORE,
                        "configmaps",
                        "get",
                        "update")
                    .named(ledger)));
    if (snapshots)
      uses.add(
          Use.of(
              "webhook",
              "watches the namespace's snapshots it counts",
              SNAPSHOT,
              "volumesnapshots",
              INFORMER));
    return uses;
  }

  /** The node plugin in a tenant cluster (ClusterRole {@code kubevirt-csi-node}). */
  static final List<Use> TENANT_NODE =
      List.of(
          Use.of(
              "node plugin",
              "NodeGetInfo: its Node's providerID or VM annotations",
              CORE,
              "nodes",
              "get"));

  /**
   * The controller's four sidecars in a tenant cluster (ClusterRole {@code kmetal-csi-controller}).
   */
  static final List<Use> TENANT_SIDECARS =
      List.of(
          Use.of(
              "csi-provisioner",
              "provisions and deletes PVs",
              CORE,
              "persistentvolumes",
              "get",
              "list",
              "watch",
              "create",
              "delete"),
          Use.of(
              "csi-attacher, csi-resizer",
              "the attacher's PV finalizer, the resizer's new capacity",
              CORE,
              "persistentvolumes",
              "patch"),
          Use.of(
              "csi-provisioner, csi-resizer",
              "watch claims; the provisioner annotates them",
              CORE,
              "persistentvolumeclaims",
              "get",
              "list",
              "watch",
              "update"),
          Use.of(
              "csi-resizer",
              "records the resize on the claim",
              CORE,
              "persistentvolumeclaims/status",
              "patch"),
          Use.of(
              "csi-resizer",
              "whether a volume is in use (offline expansion)",
              CORE,
              "pods",
              LISTER),
          Use.of(
              "csi-provisioner, csi-attacher",
              "node topology and the node id",
              CORE,
              "nodes",
              LISTER),
          Use.of(
              "all four",
              "event recorders: a new event, a repeated one",
              CORE,
              "events",
              "create",
              "patch"),
          Use.of(
              "csi-provisioner",
              "classes of the claims it provisions",
              STORAGE,
              "storageclasses",
              LISTER),
          Use.of(
              "csi-provisioner, csi-attacher",
              "the driver's node ids and topology",
              STORAGE,
              "csinodes",
              LISTER),
          Use.of(
              "csi-provisioner, csi-resizer",
              "VolumeAttributesClasses (modify)",
              STORAGE,
              "volumeattributesclasses",
              LISTER),
          Use.of(
              "csi-attacher, csi-provisioner",
              "attach and detach; deletion waits for detach",
              STORAGE,
              "volumeattachments",
              "get",
              "list",
              "watch",
              "patch"),
          Use.of(
              "csi-attacher",
              "reports attach results",
              STORAGE,
              "volumeattachments/status",
              "patch"),
          Use.of(
              "csi-provisioner",
              "a claim restored from a snapshot (v6 keeps an informer on them)",
              SNAPSHOT,
              "volumesnapshots",
              LISTER),
          Use.of(
              "csi-snapshotter",
              "the class of each snapshot it takes",
              SNAPSHOT,
              "volumesnapshotclasses",
              LISTER),
          Use.of(
              "csi-snapshotter, csi-provisioner",
              "takes snapshots; reads the content a restore uses",
              SNAPSHOT,
              "volumesnapshotcontents",
              "get",
              "list",
              "watch",
              "update",
              "patch"),
          Use.of(
              "csi-snapshotter",
              "reports snapshot results",
              SNAPSHOT,
              "volumesnapshotcontents/status",
              "update",
              "patch"));

  /**
   * The sidecars' calls; with snapshots off there is no snapshotter and no restore, and the
   * provisioner only keeps its informer on VolumeSnapshots.
   */
  static List<Use> tenantSidecars(boolean snapshots) {
    if (snapshots) return TENANT_SIDECARS;
    List<Use> uses = without(TENANT_SIDECARS, "the class of each snapshot it takes");
    uses = without(uses, "takes snapshots; reads the content a restore uses");
    return without(uses, "reports snapshot results");
  }

  /**
   * The sidecars' leader election in the tenant's kube-system (Role {@code kmetal-csi-controller}).
   */
  static final List<Use> TENANT_LEASES =
      List.of(
          Use.of(
              "all four",
              "leader election: read, take and renew their lease",
              "coordination.k8s.io",
              "leases",
              "get",
              "create",
              "update"));

  /**
   * The local-path provisioner (v0.0.30) in its own namespace. Its ClusterRole (nodes, claims, PVs,
   * events, classes) is what the provisioning library it embeds watches and writes, and is not
   * listed here.
   */
  static List<Use> localPathNamespace(String configMap) {
    return List.of(
        Use.of(
                "local-path-provisioner",
                "reads its config and helper pod at start",
                CORE,
                "configmaps",
                "get")
            .named(configMap),
        Use.of(
            "local-path-provisioner",
            "creates, polls and removes a helper pod per volume",
            CORE,
            "pods",
            "get",
            "create",
            "delete"),
        Use.of(
            "local-path-provisioner", "reads a failed helper pod's log", CORE, "pods/log", "get"));
  }

  /** The push-mode webhook in a tenant cluster (ClusterRole {@code kmetal-webhook-pusher}). */
  static final List<Use> TENANT_PUSHER =
      List.of(
          Use.of(
                  "webhook (push mode)",
                  "server-side applies its configuration (create, where it is missing)",
                  "admissionregistration.k8s.io",
                  "validatingwebhookconfigurations",
                  "create",
                  "patch")
              .named(WebhookRenderer.CONFIGURATION));

  /**
   * A Retain tier's clean-up job ({@code kmetal-csi released}, ClusterRole {@code
   * kmetal-retain-cleanup-<class>}); it deletes only when it is not a dry run.
   */
  static List<Use> retainCleanup(boolean deletes) {
    List<Use> uses = new ArrayList<>();
    uses.add(
        Use.of(
            "released",
            "lists the volumes, and reads one again before deleting it",
            CORE,
            "persistentvolumes",
            "get",
            "list"));
    uses.add(
        Use.of(
            "released",
            "lists the classes' reclaim policies, and reads a volume's again before deleting it",
            STORAGE,
            "storageclasses",
            "get",
            "list"));
    if (deletes)
      uses.add(
          Use.of(
              "released",
              "deletes a Released volume at the version it read",
              CORE,
              "persistentvolumes",
              "delete"));
    return uses;
  }
}
