package io.kmetal.contract;

/**
 * The driver binary's command line ({@code kmetal-csi <mode> --flag=value ...}): the modes and the
 * flags the rendered containers pass. The driver declares its options with these names, the
 * renderer writes them with {@link #flag}; a renamed flag changes both.
 */
public final class DriverFlags {
  private DriverFlags() {}

  /** {@code name=value}, as a container argument. */
  public static String flag(String name, Object value) {
    return name + "=" + value;
  }

  /** Every serving mode. */
  public static final String ENDPOINT = "--endpoint";

  public static final String METRICS_ADDRESS = "--metrics-address";
  public static final String HEALTH_ADDRESS = "--health-address";

  /** {@code kmetal-csi controller}: Identity and Controller, in the under cluster. */
  public static final class Controller {
    private Controller() {}

    public static final String MODE = "controller";
    public static final String DRIVER_CONFIG = "--driver-config";
    public static final String TENANT_CLUSTER = "--tenant-cluster";
    public static final String TENANT_KUBECONFIG = "--tenant-kubeconfig";
    public static final String BUS = "--bus";
    public static final String ATTACH_TIMEOUT_SECONDS = "--attach-timeout-seconds";
    public static final String ADMISSION_WAIT_SECONDS = "--admission-wait-seconds";
    public static final String UNDER_KUBECONFIG = "--under-kubeconfig";
  }

  /** {@code kmetal-csi node}: Identity and Node, on every tenant worker. */
  public static final class Node {
    private Node() {}

    public static final String MODE = "node";
    public static final String NODE_NAME = "--node-name";
    public static final String KUBECONFIG = "--kubeconfig";
    public static final String KUBELET_REGISTRATION_PATH = "--kubelet-registration-path";
    public static final String REGISTRATION_DIR = "--registration-dir";
    public static final String DISK_BY_ID_DIR = "--disk-by-id-dir";
  }

  /**
   * {@code kmetal-csi node-id}: prints a tenant node's KubeVirt VM and exits; takes {@link
   * Node#NODE_NAME} and {@link Node#KUBECONFIG}. The node plugin runs it once at start.
   */
  public static final class NodeId {
    private NodeId() {}

    public static final String MODE = "node-id";
  }

  /** {@code kmetal-csi webhook}: the tenant's quota admission webhook, in the under cluster. */
  public static final class Webhook {
    private Webhook() {}

    public static final String MODE = "webhook";
    public static final String STORAGE_CLASS = "--storage-class";
    public static final String TENANT_STORAGE_CLASS = "--tenant-storage-class";
    public static final String TENANT_SNAPSHOT_CLASS = "--tenant-snapshot-class";
    public static final String NAMESPACE = "--namespace";
    public static final String QUOTA = "--quota";
    public static final String FILESYSTEM_OVERHEAD = "--filesystem-overhead";
    public static final String RESERVATION_TTL_SECONDS = "--reservation-ttl-seconds";
    public static final String LEDGER = "--ledger";
    public static final String TLS_DIR = "--tls-dir";
    public static final String PORT = "--port";
    public static final String ADDRESS = "--address";
    public static final String PUSH_CONFIGURATIONS = "--push-configurations";
    public static final String TENANT_KUBECONFIGS = "--tenant-kubeconfigs";
    public static final String PUSH_INTERVAL_SECONDS = "--push-interval-seconds";
    public static final String UNDER_KUBECONFIG = "--under-kubeconfig";
    public static final String REPLICA = "--replica";
  }

  /**
   * {@code kmetal-csi released} (and {@code kmetal released}): the Released volumes of Retain
   * classes, which a tier's clean-up CronJob runs.
   */
  public static final class Released {
    private Released() {}

    public static final String MODE = "released";
    public static final String KUBECONFIG = "--kubeconfig";
    public static final String OLDER_THAN = "--older-than";
    public static final String STORAGE_CLASS = "--storage-class";
    public static final String DELETE = "--delete";
    public static final String YES = "--yes";
  }
}
