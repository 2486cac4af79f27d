package io.kmetal.csi.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.MessageLite;
import csi.v1.ControllerGrpc;
import csi.v1.IdentityGrpc;
import csi.v1.NodeGrpc;
import io.grpc.MethodDescriptor.PrototypeMarshaller;
import java.io.File;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link CallSubject} against the generated services: every request of the services the driver
 * serves is read by the rule the log line promises (the first of these fields that is set), so a
 * request type a newer csi.proto adds, or one the list forgot, fails here.
 */
class CallSubjectTest {
  /** The subject fields in order, by their builders' setters. */
  private static final List<String> SETTERS =
      List.of("setVolumeId", "setName", "setSnapshotId", "setSourceVolumeId");

  static Stream<Class<?>> servedRequests() {
    return Stream.of(
            IdentityGrpc.getServiceDescriptor(),
            ControllerGrpc.getServiceDescriptor(),
            NodeGrpc.getServiceDescriptor())
        .flatMap(service -> service.getMethods().stream())
        .map(method -> ((PrototypeMarshaller<?>) method.getRequestMarshaller()))
        .map(marshaller -> marshaller.getMessagePrototype().getClass());
  }

  @ParameterizedTest
  @MethodSource("servedRequests")
  void eachSubjectFieldAloneIsTheSubject(Class<?> request) throws Exception {
    for (String setter : subjectSetters(request))
      assertEquals(
          valueOf(setter),
          CallSubject.of(build(request, List.of(setter))),
          request.getSimpleName() + " " + setter);
  }

  @ParameterizedTest
  @MethodSource("servedRequests")
  void theFirstSubjectFieldWinsAndNoneGivesEmpty(Class<?> request) throws Exception {
    List<String> setters = subjectSetters(request);
    String expected = setters.isEmpty() ? "" : valueOf(setters.get(0));
    assertEquals(expected, CallSubject.of(build(request, setters)), request.getSimpleName());
    assertEquals("", CallSubject.of(build(request, List.of())), request.getSimpleName());
  }

  @Test
  void theServedRequestsIncludeTheNodeAndControllerCalls() {
    List<String> names = servedRequests().map(Class::getSimpleName).toList();
    assertTrue(names.contains("NodeStageVolumeRequest"), names.toString());
    assertTrue(names.contains("CreateVolumeRequest"), names.toString());
    assertTrue(names.contains("ListSnapshotsRequest"), names.toString());
  }

  @Test
  void readingANodeRequestWithoutASubjectLoadsNoControllerRequest() throws Exception {
    try (var isolated = new Isolated()) {
      Class<?> capabilities =
          Class.forName("csi.v1.Csi$NodeGetCapabilitiesRequest", true, isolated);
      Object request = capabilities.getMethod("getDefaultInstance").invoke(null);
      Method of =
          isolated.loadClass(CallSubject.class.getName()).getDeclaredMethod("of", Object.class);
      of.setAccessible(true);

      assertEquals("", of.invoke(null, request));
      assertNull(isolated.loaded("csi.v1.Csi$CreateVolumeRequest"));
      assertNull(isolated.loaded("csi.v1.Csi$ControllerPublishVolumeRequest"));
      assertNotNull(isolated.loaded(CallSubject.class.getName()), "the check ran in the loader");
    }
  }

  /** The test's class path in a loader of its own, which says what it has loaded. */
  private static final class Isolated extends URLClassLoader {
    Isolated() throws MalformedURLException {
      super(classPath(), ClassLoader.getPlatformClassLoader());
    }

    Class<?> loaded(String name) {
      return findLoadedClass(name);
    }

    private static URL[] classPath() throws MalformedURLException {
      List<URL> urls = new ArrayList<>();
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        urls.add(Path.of(entry).toUri().toURL());
      return urls.toArray(URL[]::new);
    }
  }

  private static List<String> subjectSetters(Class<?> request) throws Exception {
    Class<?> builder = request.getMethod("newBuilder").getReturnType();
    List<String> found = new ArrayList<>();
    for (String setter : SETTERS) {
      try {
        builder.getMethod(setter, String.class);
        found.add(setter);
      } catch (NoSuchMethodException e) {
        // not a field of this request
      }
    }
    return found;
  }

  private static String valueOf(String setter) {
    return setter + "-value";
  }

  /** {@code request} with the fields of {@code setters} set. */
  private static MessageLite build(Class<?> request, List<String> setters) throws Exception {
    Object builder = request.getMethod("newBuilder").invoke(null);
    for (String setter : setters) {
      Method set = builder.getClass().getMethod(setter, String.class);
      set.invoke(builder, valueOf(setter));
    }
    return (MessageLite) builder.getClass().getMethod("build").invoke(builder);
  }
}
