package io.kmetal.csi.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.csi.NodeMain;
import io.kmetal.csi.command.NodeCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/** The packaged driver jar (after {@code package}: the file the images copy). */
class DriverJarIT {
  private static final Path JAR = Path.of("target", "kmetal-csi.jar");
  private static final Path NODE_JAR = Path.of("target", "kmetal-csi-node.jar");

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
   * The driver's gRPC frames HTTP/2 in Java on the JDK's sockets (grpc-java's OkHttp transport), so
   * its jars carry no native library: nothing to unpack under a read-only root, nothing bound to
   * one platform.
   */
  @Test
  void theJarsCarryNoNativeLibrary() throws Exception {
    for (Path path : List.of(JAR, NODE_JAR)) {
      try (var jar = new ZipFile(path.toFile())) {
        List<String> natives =
            jar.stream()
                .map(ZipEntry::getName)
                .filter(n -> n.endsWith(".so") || n.startsWith("META-INF/native/"))
                .toList();
        assertEquals(List.of(), natives, path.toString());
      }
    }
  }

  /**
   * The jars keep only the classes the driver's code reaches (shade's {@code minimizeJar}), which
   * cannot see a class loaded by name. A kept class that names, in a string, a class its library
   * has but the jar lost would fail only when that path runs. Allowed: gRPC's two optional hooks,
   * which it looks for and does without, a name in Kotlin's table of class names, and what
   * BouncyCastle's JCA provider names: the driver never installs that class (the jar lists no
   * provider, above) and uses BouncyCastle's classes directly.
   */
  @Test
  void noClassTheJarKeepsNamesAClassItLeftOut() throws Exception {
    Set<String> optional =
        Set.of(
            "io.grpc.internal.JndiResourceResolverFactory", // DNS SRV lookups; the driver dials UDS
            "io.grpc.override.ContextStorageOverride", // a hook for other context storages
            // a key in the table of simple names Kotlin's class references print (okio's
            // toString paths), never loaded
            "kotlin.jvm.internal.EnumCompanionObject");
    Set<String> kept = classes(JAR);
    Set<String> missing = new TreeSet<>();
    try (var jar = new ZipFile(JAR.toFile())) {
      for (ZipEntry entry : Collections.list(jar.entries())) {
        if (!entry.getName().endsWith(".class")
            || entry.getName().startsWith("META-INF/")
            || entry.getName().equals(NEVER_INSTALLED)) continue;
        try (var in = jar.getInputStream(entry)) {
          for (String named : ConstantPool.strings(in.readAllBytes()))
            if (CLASS_NAME.matcher(named).matches()
                && !kept.contains(named)
                && onTheClassPath(named)) missing.add(named + " <- " + entry.getName());
        }
      }
    }
    missing.removeIf(m -> optional.contains(m.substring(0, m.indexOf(' '))));
    assertEquals(Set.of(), missing, "classes named by name that " + JAR + " left out");
  }

  private static final String NEVER_INSTALLED =
      "org/bouncycastle/jce/provider/BouncyCastleProvider.class";

  private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z_$][\\w$]*(\\.[\\w$]+)+");

  /** Whether a library jar of the build has the class (not the JDK, which has its own). */
  private static boolean onTheClassPath(String name) {
    URL url = ClassLoader.getSystemResource(name.replace('.', '/') + ".class");
    return url != null && url.getProtocol().equals("jar");
  }

  /**
   * Neither jar carries a general cluster client: every mode talks to the API server through {@code
   * kube/KubeClient}. A class the node commands reach that the node image's jar left out would fail
   * only when that code runs, so this walks their class closure ({@code jdeps}, from {@link
   * NodeMain}, the commands picocli makes and every service the jar lists) and finds each reached
   * class in it, if the whole driver's jar has that class.
   */
  @Test
  void noJarHoldsFabric8AndTheNodeJarHoldsEveryClassTheNodeCommandsReach() throws Exception {
    Set<String> all = classes(JAR);
    Set<String> node = classes(NODE_JAR);
    assertTrue(all.stream().noneMatch(c -> c.startsWith("io.fabric8.")), "no fabric8 in " + JAR);
    assertTrue(node.stream().noneMatch(c -> c.startsWith("io.fabric8.")), "nor in " + NODE_JAR);

    Map<String, Set<String>> uses = dependencies(NODE_JAR);
    Deque<String> next = new ArrayDeque<>(roots());
    Set<String> reached = new HashSet<>(next);
    while (!next.isEmpty())
      for (String used : uses.getOrDefault(next.pop(), Set.of()))
        if (reached.add(used)) next.push(used);
    assertTrue(reached.contains(NodeCommand.class.getName()), "the walk reaches the commands");
    Set<String> missing = new TreeSet<>(reached);
    missing.retainAll(all);
    missing.removeAll(node);
    assertEquals(Set.of(), missing, "reached by the node commands, left out of " + NODE_JAR);
  }

  /** NodeMain, what picocli instantiates from its annotation, and the jar's listed services. */
  private static List<String> roots() throws IOException {
    List<String> roots = new ArrayList<>(List.of(NodeMain.class.getName()));
    Command command = NodeMain.class.getAnnotation(Command.class);
    for (Class<?> sub : command.subcommands()) roots.add(sub.getName());
    roots.add(command.versionProvider().getName());
    try (var jar = new ZipFile(NODE_JAR.toFile())) {
      for (ZipEntry entry : Collections.list(jar.entries()))
        if (entry.getName().startsWith("META-INF/services/") && !entry.isDirectory())
          try (var in = jar.getInputStream(entry)) {
            new String(in.readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .map(line -> line.replaceAll("#.*", "").strip())
                .filter(line -> !line.isEmpty())
                .forEach(roots::add);
          }
    }
    return roots;
  }

  private static Set<String> classes(Path jar) throws IOException {
    try (var zip = new ZipFile(jar.toFile())) {
      return zip.stream()
          .map(ZipEntry::getName)
          .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
          .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
          .collect(Collectors.toSet());
    }
  }

  /** Class to the classes it uses, as jdeps reads the jar (same-package uses included). */
  private static Map<String, Set<String>> dependencies(Path jar) {
    var out = new StringWriter();
    var err = new StringWriter();
    int exit =
        ToolProvider.findFirst("jdeps")
            .orElseThrow()
            .run(
                new PrintWriter(out),
                new PrintWriter(err),
                "--multi-release",
                "17",
                "-verbose:class",
                "-filter:none",
                jar.toString());
    assertEquals(0, exit, err.toString());
    Map<String, Set<String>> uses = new HashMap<>();
    for (String line : out.toString().lines().toList()) {
      String[] parts = line.strip().split("\\s+");
      if (parts.length >= 3 && parts[1].equals("->"))
        uses.computeIfAbsent(parts[0], k -> new HashSet<>()).add(parts[2]);
    }
    return uses;
  }
}
