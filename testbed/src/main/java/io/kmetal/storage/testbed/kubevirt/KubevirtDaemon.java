package io.kmetal.storage.testbed.kubevirt;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kmetal.storage.testbed.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The KubeVirt/CDI simulator as a process of the sandbox, serving until it is stopped ({@code
 * sandbox.sh down} sends TERM; the simulator then unplugs its loop devices and unregisters its
 * API): one running VM per tenant cluster ({@link TenantVm}), whose hot-plugged disks appear in
 * that cluster's real node's {@code /dev/disk/by-id}. {@code ./kmetal demo} leaves it running, so
 * the claims a user makes afterwards provision, attach and mount.
 *
 * <p>Arguments: {@code <tenant-namespace> <cluster>...}. Its state and pid live in the sandbox's
 * {@code kubevirt/} folder.
 */
public final class KubevirtDaemon {
  private KubevirtDaemon() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: KubevirtDaemon <tenant-namespace> <cluster>...");
      System.exit(2);
    }
    Sandbox sandbox = Sandbox.running();
    Path work = Files.createDirectories(sandbox.dir().resolve("kubevirt"));
    List<TenantVm> vms = new ArrayList<>();
    try (KubernetesClient under = sandbox.under().client()) {
      for (int i = 1; i < args.length; i++) vms.add(TenantVm.of(under, args[0], args[i]));
    }
    // closed by its shutdown hook on TERM
    KubevirtSimulator kubevirt = KubevirtSimulator.start(sandbox, work);
    for (TenantVm vm : vms) kubevirt.startVm(vm.namespace(), vm.name(), vm.labels());
    Files.writeString(work.resolve("pid"), ProcessHandle.current().pid() + "\n");
    for (TenantVm vm : vms)
      System.out.println("kubevirt simulator: VM " + vm.namespace() + "/" + vm.name() + " running");
    Thread.currentThread().join();
  }
}
