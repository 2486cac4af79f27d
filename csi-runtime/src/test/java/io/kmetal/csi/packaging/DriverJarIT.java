package io.kmetal.csi.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The packaged driver jar (after {@code package}: the file the images copy). */
class DriverJarIT {
  private static final Path JAR = Path.of("target", "kmetal-csi.jar");

  /**
   * The JDK looks a named security provider up through {@link ServiceLoader} when its module is not
   * in the runtime (the images' runtime is jlinked), instantiating every provider it passes. A
   * BouncyCastle provider listed in the jar would then be loaded whole into a busy driver (some 420
   * classes); the driver uses BouncyCastle's classes directly and needs no provider from it.
   */
  @Test
  void theJarOffersTheJdkNoSecurityProvider() throws Exception {
    assertTrue(Files.isRegularFile(JAR), JAR + " is built by the package phase");
    try (var jar =
        new URLClassLoader(new URL[] {JAR.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      List<String> fromTheJar =
          ServiceLoader.load(Provider.class, jar).stream()
              .map(ServiceLoader.Provider::type)
              .filter(type -> type.getClassLoader() == jar)
              .map(Class::getName)
              .toList();
      assertEquals(List.of(), fromTheJar);
    }
  }

  /**
   * Netty's BoringSSL binding (tcnative) is loaded only for an OpenSSL TLS context; the driver's
   * gRPC is plaintext on Unix sockets and the webhook serves TLS with the JDK, so the images need
   * none of its five platforms' libraries. Netty's own epoll library stays: the servers use it.
   */
  @Test
  void theJarCarriesNettysEpollLibraryButNoTlsNativeLibrary() throws Exception {
    try (var jar = new java.util.zip.ZipFile(JAR.toFile())) {
      List<String> natives =
          jar.stream()
              .map(java.util.zip.ZipEntry::getName)
              .filter(n -> n.startsWith("META-INF/native/") && !n.endsWith("/"))
              .toList();
      assertEquals(List.of(), natives.stream().filter(n -> n.contains("tcnative")).toList());
      assertTrue(
          natives.stream().anyMatch(n -> n.contains("transport_native_epoll_x86_64")),
          natives.toString());
    }
  }
}
