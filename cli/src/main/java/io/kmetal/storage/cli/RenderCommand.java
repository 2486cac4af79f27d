package io.kmetal.storage.cli;

import io.kmetal.storage.fleet.FleetFile;
import io.kmetal.storage.internal.render.FeatureGates;
import io.kmetal.storage.internal.render.FleetRenderer;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.internal.render.ManifestWriter;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.TenantStorageSpec;
import io.kmetal.storage.model.validation.InvalidSpecException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kmetal render -f FLEET.yaml -o DIR}: all-or-nothing, every problem listed. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
      "Render a fleet file into plain YAML for GitOps: DIR/under/ and DIR/tenants/<namespace>/<cluster>/.",
      "Invalid input writes nothing and lists every problem with its field."
    })
final class RenderCommand implements Callable<Integer> {
  static final int INVALID = 1;

  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FLEET.yaml",
      description = "The fleet file.")
  Path file;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "DIR",
      description = "Where to write (its under/ and tenants/ folders are replaced).")
  Path output;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Manifest> manifests;
    Fleet fleet;
    try {
      fleet = FleetFile.load(file);
      manifests = FleetRenderer.render(fleet);
    } catch (InvalidSpecException e) {
      err.println("error: " + file + ": " + e.getMessage());
      return INVALID;
    } catch (NoSuchFileException e) {
      err.println("error: fleet file " + file + " does not exist");
      return INVALID;
    }
    Map<String, String> files = ManifestWriter.files(manifests);
    ManifestWriter.write(files, output);
    Map<String, Integer> perTarget = new TreeMap<>();
    manifests.forEach(m -> perTarget.merge(m.target().folder(), 1, Integer::sum));
    out.println("rendered " + manifests.size() + " objects into " + output + ":");
    perTarget.forEach((folder, n) -> out.println("  " + folder + "/: " + n));
    fleet.tenantStorages().stream()
        .filter(t -> t.webhook().enabled() && t.webhook().generatesCertificate())
        .forEach(
            t ->
                err.println(
                    "note: tenantStorages "
                        + t.name()
                        + ": the webhook certificate is generated only by pulumi up (render keeps"
                        + " no state and writes no keys); create secret "
                        + t.namespace()
                        + "/"
                        + t.webhook().tlsSecretName()
                        + " yourself and set webhook.caBundle to its CA, or let cert-manager issue"
                        + " it (webhook.certificate.certManager)"));
    FeatureGates.of(fleet).stream().map(FeatureGates::renderNote).forEach(err::println);
    FleetRenderer.snapshotNotes(fleet).forEach(err::println);
    fleet.tenantStorages().stream()
        .filter(TenantStorageSpec::generatesCredentials)
        .forEach(
            t ->
                err.println(
                    "note: tenantStorages "
                        + t.name()
                        + ": its pods reach each tenant cluster as ServiceAccounts of their own"
                        + " (kube-system/kmetal-csi-controller, kube-system/kmetal-webhook-pusher,"
                        + " rendered into tenants/); pulumi up writes their kubeconfig Secrets"
                        + " <cluster>-<account>-kubeconfig (key kubeconfig) into namespace "
                        + t.namespace()
                        + ", render cannot (the tenant cluster issues the tokens): build each from"
                        + " the cluster's server and CA and the token in kube-system/<account>-token"
                        + " (README: Tenant credentials), or set tenantCredentials: kubeconfigSecret"));
    fleet.hppOverlays().stream()
        .filter(h -> h.kubevirt() != null)
        .forEach(
            h ->
                err.println(
                    "note: hppOverlays "
                        + h.name()
                        + ": apply the KubeVirt patch (vmStateStorageClass) after the"
                        + " HostPathProvisioner is Available (kubectl wait"
                        + " hostpathprovisioner/hostpath-provisioner --for=condition=Available);"
                        + " pulumi up waits for it, render cannot"));
    return 0;
  }
}
