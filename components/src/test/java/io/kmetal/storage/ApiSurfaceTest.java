package io.kmetal.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API (the components, their inputs, fleet files) names no internal type in anything a
 * user can call, extend or read, so the renderer and the Pulumi wiring can change freely.
 */
class ApiSurfaceTest {
  private static final String INTERNAL = "io.kmetal.storage.internal.";
  private static final Set<String> API_PACKAGES =
      Set.of(
          "io.kmetal.storage",
          "io.kmetal.storage.model",
          "io.kmetal.storage.model.validation",
          "io.kmetal.storage.fleet");

  @Test
  void theApiNamesNoInternalType() throws Exception {
    Set<String> leaks = new TreeSet<>();
    for (Class<?> type : classes(c -> API_PACKAGES.contains(c.getPackageName()))) {
      if (!visible(type.getModifiers()) || isHidden(type)) continue;
      check(type.getName() + " extends", type.getGenericSuperclass(), leaks);
      for (Type i : type.getGenericInterfaces()) check(type.getName() + " implements", i, leaks);
      for (Field f : type.getDeclaredFields())
        if (visible(f.getModifiers())) check(where(type, f.getName()), f.getGenericType(), leaks);
      for (Constructor<?> c : type.getDeclaredConstructors()) executable(type, c, leaks);
      for (Method m : type.getDeclaredMethods()) {
        if (!visible(m.getModifiers()) || m.isSynthetic() || m.isBridge()) continue;
        check(where(type, m.getName() + "()"), m.getGenericReturnType(), leaks);
        executable(type, m, leaks);
      }
    }
    assertEquals(Set.of(), leaks, "the public API names internal types");
  }

  @Test
  void theInternalPackagesAreFound() throws Exception {
    // what the check above would miss if the scan found no classes at all
    assertFalse(classes(c -> c.getPackageName().startsWith(INTERNAL)).isEmpty());
    assertFalse(classes(c -> c.getPackageName().equals("io.kmetal.storage.model")).isEmpty());
  }

  private static void executable(Class<?> type, Executable e, Set<String> leaks) {
    if (!visible(e.getModifiers()) || e.isSynthetic()) return;
    for (Type p : e.getGenericParameterTypes()) check(where(type, e.getName() + "(…)"), p, leaks);
    for (Type x : e.getGenericExceptionTypes())
      check(where(type, e.getName() + " throws"), x, leaks);
  }

  private static String where(Class<?> type, String member) {
    return type.getName() + "." + member;
  }

  private static void check(String where, Type type, Set<String> leaks) {
    if (type == null) return;
    if (type instanceof Class<?> c) {
      while (c.isArray()) c = c.getComponentType();
      if (c.getName().startsWith(INTERNAL)) leaks.add(where + ": " + c.getName());
    } else if (type instanceof ParameterizedType p) {
      check(where, p.getRawType(), leaks);
      for (Type a : p.getActualTypeArguments()) check(where, a, leaks);
    } else if (type instanceof GenericArrayType a) {
      check(where, a.getGenericComponentType(), leaks);
    } else if (type instanceof WildcardType w) {
      for (Type b : w.getUpperBounds()) check(where, b, leaks);
      for (Type b : w.getLowerBounds()) check(where, b, leaks);
    }
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  /** A public nested type of a class that is not itself visible is not reachable either. */
  private static boolean isHidden(Class<?> type) {
    for (Class<?> outer = type.getEnclosingClass();
        outer != null;
        outer = outer.getEnclosingClass()) if (!visible(outer.getModifiers())) return true;
    return false;
  }

  /** Every class of the components' main output that {@code which} accepts. */
  private static List<Class<?>> classes(java.util.function.Predicate<Class<?>> which)
      throws IOException, URISyntaxException, ClassNotFoundException {
    Path root =
        Path.of(StorageTier.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name =
            root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
        if (name.endsWith("package-info")) continue;
        Class<?> c = Class.forName(name, false, ApiSurfaceTest.class.getClassLoader());
        if (which.test(c)) found.add(c);
      }
    }
    return found;
  }
}
