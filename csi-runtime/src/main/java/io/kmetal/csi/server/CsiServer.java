package io.kmetal.csi.server;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.okhttp.OkHttpServerBuilder;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC server on the driver's Unix socket: grpc-java's OkHttp transport, which frames HTTP/2 on
 * plain JDK sockets ({@link UnixServerSocket}) and holds about 7 MiB less than its Netty transport
 * (the README's footprint section has the figures). A socket file left by a previous run is
 * replaced; {@link #close()} drains calls in flight for up to the grace period, then cancels the
 * rest and removes the socket.
 *
 * <p>The socket appears only once the server answers: it is bound under a hidden temporary name,
 * served the calls the sidecars make first (a cold JVM needs most of a second for its first HTTP/2
 * connection, longer than the sidecars wait for a server preface before they give up and exit),
 * then renamed into place.
 */
public final class CsiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CsiServer.class);
  private static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(30);

  /**
   * By their names in csi.proto, not through the generated services: even an inlined constant of
   * {@code ControllerGrpc} leaves a class reference that the node jar's dependency check follows.
   * {@code CsiServerTest} checks them against the generated services.
   */
  private static final List<String> SIDECARS_FIRST_CALLS =
      List.of(
          "csi.v1.Identity/Probe",
          "csi.v1.Identity/GetPluginInfo",
          "csi.v1.Identity/GetPluginCapabilities",
          "csi.v1.Controller/ControllerGetCapabilities",
          "csi.v1.Node/NodeGetCapabilities");

  private final Endpoint endpoint;
  private final Server server;

  private CsiServer(
      Endpoint endpoint,
      Path bindAt,
      List<BindableService> services,
      List<ServerInterceptor> interceptors) {
    this.endpoint = endpoint;
    OkHttpServerBuilder builder =
        OkHttpServerBuilder.forPort(
                UnixDomainSocketAddress.of(bindAt), InsecureServerCredentials.create())
            .socketFactory(UnixServerSocket.factory())
            .transportExecutor(ServerThreads.TRANSPORT)
            .scheduledExecutorService(ServerThreads.TIMER)
            .executor(ServerThreads.CALLS);
    services.forEach(
        service -> builder.addService(ServerInterceptors.intercept(service, interceptors)));
    this.server = builder.build();
  }

  /** Binds the socket and serves {@code services} until {@link #close()}. */
  public static CsiServer start(Endpoint endpoint, List<BindableService> services)
      throws IOException {
    return start(endpoint, services, List.of());
  }

  /** The same, each call passing through {@code interceptors} (telemetry). */
  public static CsiServer start(
      Endpoint endpoint, List<BindableService> services, List<ServerInterceptor> interceptors)
      throws IOException {
    Path socket = endpoint.socket();
    Files.createDirectories(socket.getParent());
    Path starting = startingName(socket);
    Files.deleteIfExists(starting);
    CsiServer server = new CsiServer(endpoint, starting, services, interceptors);
    server.server.start();
    server.warmUp(starting);
    Files.move(
        starting, socket, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return server;
  }

  /**
   * Where the socket is bound until it answers: a hidden name beside it. The kubelet's plugin
   * watcher ignores names starting with a dot; a visible one in {@code plugins_registry} was
   * registered once under its temporary name and then refused under its real one ("another driver
   * with the same name is already registered"), and the node plugin restarted.
   */
  static Path startingName(Path socket) {
    return socket.resolveSibling("." + socket.getFileName() + ".starting");
  }

  /**
   * The calls each sidecar makes first, those this server serves, through the socket, so that they
   * are answered warm: external-attacher gives its capability checks one second each, less than a
   * cold JVM on a busy node needs for a first call. None answered is logged, and the socket appears
   * all the same.
   *
   * <p>By name, so that a service this process does not serve stays unloaded (the node plugin has
   * no use for the controller's generated classes); each request is its message's default, which
   * encodes to no bytes.
   */
  private void warmUp(Path socket) {
    Set<String> served = new HashSet<>();
    for (ServerServiceDefinition service : server.getImmutableServices())
      for (ServerMethodDefinition<?, ?> method : service.getMethods())
        served.add(method.getMethodDescriptor().getFullMethodName());
    List<SocketCalls.Call> calls = warmUpCalls(served);
    if (calls.isEmpty()) return;
    try {
      SocketCalls.send(socket, calls, WARM_UP_TIMEOUT);
    } catch (IOException e) {
      log.warn("the server did not answer its warm-up calls: {}", e.getMessage());
    }
  }

  /** The sidecars' first calls among {@code served} (full method names), in the order made. */
  static List<SocketCalls.Call> warmUpCalls(Set<String> served) {
    List<SocketCalls.Call> calls = new ArrayList<>();
    for (String method : SIDECARS_FIRST_CALLS)
      if (served.contains(method)) calls.add(new SocketCalls.Call(method, new byte[0]));
    return calls;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() throws IOException {
    server.shutdown();
    try {
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      Files.deleteIfExists(endpoint.socket());
    }
  }
}
