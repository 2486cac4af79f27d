package io.kmetal.csi;

import io.grpc.BindableService;
import io.kmetal.csi.identity.IdentityService;
import io.kmetal.csi.server.CsiServer;
import io.kmetal.csi.server.Endpoint;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kmetal-csi --mode controller|node --endpoint unix:///csi/csi.sock}: the csi.kubevirt.io
 * driver in one binary. Stops gracefully on SIGTERM.
 */
@Command(
    name = "kmetal-csi",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "The csi.kubevirt.io CSI driver: controller (under cluster) or node (tenant).")
public final class Main implements Callable<Integer> {
  /** What this process serves. */
  public enum Mode {
    controller,
    node
  }

  @Option(names = "--mode", required = true, description = "controller or node")
  Mode mode;

  @Option(
      names = "--endpoint",
      defaultValue = "unix:///csi/csi.sock",
      description = "The CSI socket (default: ${DEFAULT-VALUE})")
  String endpoint;

  @Option(
      names = "--node-id",
      description = "node mode: this node's id, the name of its KubeVirt VM (kubevirt://<vm>)")
  String nodeId;

  public static void main(String[] args) {
    // Netty warns that a Unix socket has no SO_KEEPALIVE, on every connection.
    System.setProperty(
        "org.slf4j.simpleLogger.log.io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap",
        "error");
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Endpoint where = Endpoint.parse(endpoint);
    List<BindableService> services = List.of(new IdentityService(version(), List.of(), () -> true));
    CsiServer server = CsiServer.start(where, services);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.close();
                  } catch (java.io.IOException e) {
                    System.err.println("kmetal-csi: " + e.getMessage());
                  }
                }));
    System.err.println("kmetal-csi " + version() + " (" + mode + ") serving on " + where);
    server.awaitTermination();
    return 0;
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** {@code --version}: the version the jar's manifest carries. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"kmetal-csi " + version()};
    }
  }
}
