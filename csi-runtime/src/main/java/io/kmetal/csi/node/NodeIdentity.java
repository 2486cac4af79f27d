package io.kmetal.csi.node;

import io.grpc.Status;
import io.kmetal.contract.NodeIdentityKeys;
import io.kmetal.csi.kube.JsonDocument;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CSI node id of a tenant node: the name of its KubeVirt VM in the under cluster, from the
 * node's {@code spec.providerID} ({@code kubevirt://<vm>}, set by the KubeVirt cloud provider) or
 * else its {@code csi.kubevirt.io/infra-vm-name} annotation. The controller hot-plugs into that VM.
 */
public final class NodeIdentity {
  static final String PROVIDER_PREFIX = NodeIdentityKeys.PROVIDER_PREFIX;
  static final String VM_NAME = NodeIdentityKeys.INFRA_VM_NAME;

  private NodeIdentity() {}

  /** How the VM name is found: one try, which may fail. */
  @FunctionalInterface
  public interface Source {
    String vmName() throws Exception;
  }

  /** A lookup running in the background until it succeeds, 1 s to 30 s apart. */
  public static final class Lookup {
    private static final Logger log = LoggerFactory.getLogger(Lookup.class);
    private final AtomicReference<String> vm = new AtomicReference<>();
    private final CountDownLatch found = new CountDownLatch(1);
    private final AtomicReference<String> lastError =
        new AtomicReference<>("the node's VM is being looked up");

    public Optional<String> known() {
      return Optional.ofNullable(vm.get());
    }

    /**
     * The VM name, waiting up to 20 s for the lookup (kubelet's plugin registration asks right
     * after start); then UNAVAILABLE with the reason it is not known yet.
     */
    public String require() {
      try {
        found.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      String name = vm.get();
      if (name == null)
        throw Status.UNAVAILABLE.withDescription(lastError.get()).asRuntimeException();
      return name;
    }

    private void run(Source source) {
      long backoff = 1_000;
      while (vm.get() == null) {
        try {
          vm.set(source.vmName());
          found.countDown();
          log.info("node id {}", vm.get());
        } catch (Exception e) {
          lastError.set("the node's VM is not known yet: " + e.getMessage());
          log.warn("{}; retrying in {} s", lastError.get(), backoff / 1000);
          try {
            Thread.sleep(backoff);
          } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
            return;
          }
          backoff = Math.min(backoff * 2, 30_000);
        }
      }
    }
  }

  /**
   * The lookup as a child process ({@code command}, which prints the VM name as its last line and
   * exits 0, or the reason and exits non-zero): the one GET needs TLS, an HTTP client and a JSON
   * reader, which a JVM keeps loaded for its whole life once used, about 11 MiB of the node
   * plugin's memory on every node. The child holds them for a second instead.
   */
  public static Source inChildProcess(List<String> command) {
    return () -> {
      Processes.Result result = Processes.run(command, Duration.ofMinutes(2));
      String answer = result.lastLine();
      if (result.exit() != 0)
        throw new IOException(answer.isEmpty() ? "node-id exited " + result.exit() : answer);
      if (answer.isEmpty()) throw new IOException("node-id printed no VM name");
      return answer;
    };
  }

  /** Starts looking the VM name up on a daemon thread. */
  public static Lookup lookUp(Source source) {
    var lookup = new Lookup();
    Thread thread = new Thread(() -> lookup.run(source), "node-id-lookup");
    thread.setDaemon(true);
    thread.start();
    return lookup;
  }

  /** The VM name of {@code node}; a node that names no VM is refused, naming both sources. */
  public static String vmName(JsonDocument node) {
    String name = node.text(JsonDocument.pointer("metadata", "name")).orElse("");
    String providerId = node.text(JsonDocument.pointer("spec", "providerID")).orElse(null);
    if (providerId != null && providerId.startsWith(PROVIDER_PREFIX)) {
      String vm = providerId.substring(PROVIDER_PREFIX.length());
      if (!vm.isBlank()) return vm;
    }
    String annotated =
        node.text(JsonDocument.pointer("metadata", "annotations", VM_NAME)).orElse("");
    if (!annotated.isBlank()) return annotated.strip();
    throw new IllegalArgumentException(
        "node "
            + name
            + " names no KubeVirt VM: spec.providerID is "
            + (providerId == null ? "unset" : "\"" + providerId + "\"")
            + " (want kubevirt://<vm>) and it has no "
            + VM_NAME
            + " annotation");
  }
}
