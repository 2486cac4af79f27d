package io.kmetal.storage.internal.render;

import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.HppOverlaySpec;
import io.kmetal.storage.model.KubeVirtRef;
import io.kmetal.storage.model.TenantStorageSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The KubeVirt feature gates this project's features need, and their merge into a KubeVirt CR's
 * {@code developerConfiguration.featureGates}. That list is atomic (a server-side apply replaces it
 * whole), so the gates are always written as the union of what the cluster holds and what is
 * needed, and an operator's gate is never dropped.
 *
 * <p>Against KubeVirt v1.9: hot-plug needs {@value #HOTPLUG} (Beta, on unless disabled; it replaces
 * the deprecated HotplugVolumes) and is listed so that it never hangs on a default; growing a disk
 * the guest sees needs no gate (ExpandDisks is GA since v1.9), nor does VM state on the overlay
 * (VMPersistentState is GA since v1.6). Listing a GA gate would only make KubeVirt warn.
 */
public final class FeatureGates {
  public static final String HOTPLUG = "DeclarativeHotplugVolumes";
  public static final String PATH = "spec.configuration.developerConfiguration.featureGates";

  private FeatureGates() {}

  /** What a tenant needs: hot-plug, plus the gates its {@code kubevirt} input adds. */
  public static List<String> of(TenantStorageSpec tenant) {
    return tenant.kubevirt().manageFeatureGates()
        ? union(List.of(HOTPLUG), tenant.kubevirt().featureGates())
        : List.of();
  }

  /** What the overlay needs: only the gates its {@code kubevirt} input adds. */
  public static List<String> of(HppOverlaySpec overlay) {
    KubeVirtRef ref = overlay.kubevirt();
    return ref == null || !ref.manageFeatureGates() ? List.of() : ref.featureGates();
  }

  /**
   * What one KubeVirt CR needs from a whole fleet.
   *
   * @param kubevirt the CR (its namespace and name)
   * @param gates the union of the gates its components need, in the order they were asked for
   * @param who the components that need them, as {@code tenantStorages alpha, hppOverlays hpp}
   */
  public record Need(KubeVirtRef kubevirt, List<String> gates, String who) {}

  /** One need per KubeVirt CR the fleet's components need gates on; none for a CR left alone. */
  public static List<Need> of(Fleet fleet) {
    Map<List<String>, Need> byCr = new LinkedHashMap<>();
    for (TenantStorageSpec t : fleet.tenantStorages())
      add(byCr, t.kubevirt(), of(t), "tenantStorages " + t.name());
    for (HppOverlaySpec h : fleet.hppOverlays())
      if (h.kubevirt() != null) add(byCr, h.kubevirt(), of(h), "hppOverlays " + h.name());
    return List.copyOf(byCr.values());
  }

  private static void add(
      Map<List<String>, Need> byCr, KubeVirtRef ref, List<String> gates, String who) {
    if (gates.isEmpty()) return;
    byCr.merge(
        List.of(ref.namespace(), ref.name()),
        new Need(new KubeVirtRef(ref.namespace(), ref.name(), null), gates, who),
        (a, b) -> new Need(a.kubevirt(), union(a.gates(), b.gates()), a.who() + ", " + b.who()));
  }

  /**
   * The cluster's gates followed by the needed ones it lacks.
   *
   * @throws IllegalStateException when the cluster disables a needed gate: that is an operator's
   *     decision, and KubeVirt refuses a gate listed as both enabled and disabled
   */
  public static List<String> merge(
      KubeVirtRef ref, List<String> live, List<String> disabled, List<String> needed) {
    List<String> refused = needed.stream().filter(disabled::contains).toList();
    if (!refused.isEmpty())
      throw new IllegalStateException(
          "KubeVirt "
              + ref.namespace()
              + "/"
              + ref.name()
              + " disables "
              + String.join(", ", refused)
              + " (spec.configuration.developerConfiguration.disabledFeatureGates), which "
              + (refused.contains(HOTPLUG) ? "hot-plugging tenant volumes" : "this component")
              + " needs: remove it there, or set kubevirt.manageFeatureGates to false to leave"
              + " the gates alone");
    return union(live, needed);
  }

  /** The patch that sets the gates on {@code ref}'s CR (server-side apply of that list only). */
  public static Manifest patch(KubeVirtRef ref, List<String> gates, Map<String, String> labels) {
    return Manifest.patch(
        Crds.object(
            Crds.KUBEVIRT_V1,
            "KubeVirt",
            ref.namespace(),
            ref.name(),
            labels,
            Ordered.map(
                "spec",
                Ordered.map(
                    "configuration",
                    Ordered.map("developerConfiguration", Ordered.map("featureGates", gates))))));
  }

  /**
   * What {@code ./kmetal render} says instead of writing the gates: it cannot read the cluster's
   * list, and applying its own would replace it.
   */
  public static String renderNote(Need need) {
    return renderNote(need.kubevirt(), need.gates(), need.who());
  }

  static String renderNote(KubeVirtRef ref, List<String> gates, String who) {
    StringBuilder ops = new StringBuilder();
    for (String gate : gates) {
      if (!ops.isEmpty()) ops.append(',');
      ops.append(
              "{\"op\":\"add\",\"path\":\"/spec/configuration/developerConfiguration/featureGates/-\","
                  + "\"value\":\"")
          .append(gate)
          .append("\"}");
    }
    return "note: "
        + who
        + " needs the KubeVirt feature gates "
        + String.join(", ", gates)
        + " on "
        + ref.namespace()
        + "/"
        + ref.name()
        + "; render cannot merge them with the cluster's list (featureGates is an atomic list:"
        + " applying ours would drop the operator's), so add each one missing yourself:"
        + " kubectl -n "
        + ref.namespace()
        + " patch kubevirt "
        + ref.name()
        + " --type=json -p '["
        + ops
        + "]' (pulumi up merges them for you)";
  }

  private static List<String> union(List<String> first, List<String> then) {
    var all = new LinkedHashSet<>(first);
    all.addAll(then);
    return new ArrayList<>(all);
  }
}
