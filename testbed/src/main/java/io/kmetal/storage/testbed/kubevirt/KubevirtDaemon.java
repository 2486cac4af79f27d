package io.kmetal.storage.testbed.kubevirt;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kmetal.storage.testbed.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The KubeVirt/CDI simulator and the HPP operator's as a process of the sandbox, serving until it
 * is stopped ({@code sandbox.sh down} sends TERM; the simulator then unplugs its loop devices and
 * unregisters its API). Started before {@code pulumi up}, since the fleet's HPP overlay waits for
 * its HostPathProvisioner to be Available; each tenant cluster's worker VM ({@link TenantVm}),
 * whose hot-plugged disks appear in that cluster's real node's {@code /dev/disk/by-id}, starts as
 * soon as {@code pulumi up} has written the cluster's driver ConfigMap. {@code ./kmetal demo}
 * leaves it running, so the claims a user makes afterwards provision, attach and mount.
 *
 * <p>Arguments: {@code <tenant-namespace> <cluster>...}. Its state and pid live in the sandbox's
 * {@code kubevirt/} folder; the pid file appears once it serves, and a line {@code kubevirt
 * simulator: VM <namespace>/<name> running} for each VM.
 */
public final class KubevirtDaemon {
  private static final Duration DEPLOY_WAIT = Duration.ofMinutes(10);

  private KubevirtDaemon() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: KubevirtDaemon <tenant-namespace> <cluster>...");
      System.exit(2);
    }
    Sandbox sandbox = Sandbox.running();
    Path work = Files.createDirectories(sandbox.dir().resolve("kubevirt"));
    KubernetesClient under = sandbox.under().client();
    // both stop with the process: the simulator's shutdown hook cleans up after it
    HppOperatorSimulator.start(under, Duration.ofSeconds(2));
    KubevirtSimulator kubevirt = KubevirtSimulator.start(sandbox, work);
    Files.writeString(work.resolve("pid"), ProcessHandle.current().pid() + "\n");
    System.out.println("hpp operator simulator: serving");
    for (int i = 1; i < args.length; i++) {
      TenantVm vm = awaitDeployed(under, args[0], args[i]);
      kubevirt.startVm(vm.namespace(), vm.name(), vm.labels());
      System.out.println("kubevirt simulator: VM " + vm.namespace() + "/" + vm.name() + " running");
    }
    Thread.currentThread().join();
  }

  /** The cluster's VM once its driver ConfigMap exists (up to {@link #DEPLOY_WAIT}). */
  private static TenantVm awaitDeployed(KubernetesClient under, String namespace, String cluster)
      throws InterruptedException {
    long deadline = System.nanoTime() + DEPLOY_WAIT.toNanos();
    while (true) {
      try {
        return TenantVm.of(under, namespace, cluster);
      } catch (IllegalStateException notYet) {
        if (System.nanoTime() - deadline > 0) throw notYet;
        Thread.sleep(1_000);
      }
    }
  }
}
