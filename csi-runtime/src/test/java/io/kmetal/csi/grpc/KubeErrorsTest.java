package io.kmetal.csi.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.kmetal.csi.infra.InfraCluster.ApiError;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every CSI call maps a Kubernetes API error to the code its sidecar acts on. */
class KubeErrorsTest {
  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(404, Status.Code.NOT_FOUND, "datavolumes \"pvc-1\" not found"),
        Arguments.of(409, Status.Code.ABORTED, "conflict, retry: "),
        Arguments.of(
            403,
            Status.Code.PERMISSION_DENIED,
            "cannot create resource \"datavolumes\" in API group \"cdi.kubevirt.io\""),
        Arguments.of(401, Status.Code.UNAUTHENTICATED, "Unauthorized"),
        Arguments.of(429, Status.Code.UNAVAILABLE, "the Kubernetes API is not answering, retry"),
        Arguments.of(503, Status.Code.UNAVAILABLE, "the Kubernetes API is not answering, retry"),
        Arguments.of(0, Status.Code.UNAVAILABLE, "the Kubernetes API is not answering, retry"),
        Arguments.of(422, Status.Code.INTERNAL, "is invalid"));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void aCallFailingWithAnApiErrorAnswersTheCodeItsSidecarActsOn(
      int code, Status.Code expected, String inMessage) {
    String message =
        switch (code) {
          case 404 -> "datavolumes \"pvc-1\" not found";
          case 403 ->
              "datavolumes.cdi.kubevirt.io is forbidden: User \"system:serviceaccount:alpha:c\""
                  + " cannot create resource \"datavolumes\" in API group \"cdi.kubevirt.io\"";
          case 422 -> "DataVolume \"x\" is invalid";
          case 401 -> "Unauthorized";
          default -> "whatever the server said";
        };
    var error = new ApiError(code, message, null);
    StatusRuntimeException answer =
        answer(
            () -> {
              throw error;
            });
    assertEquals(expected, answer.getStatus().getCode());
    assertTrue(
        answer.getStatus().getDescription().contains(inMessage),
        answer.getStatus().getDescription());
  }

  private static StatusRuntimeException answer(Calls.Work<String> work) {
    var failure = new AtomicReference<Throwable>();
    Calls.respond(
        new StreamObserver<String>() {
          @Override
          public void onNext(String value) {}

          @Override
          public void onError(Throwable t) {
            failure.set(t);
          }

          @Override
          public void onCompleted() {}
        },
        work);
    return (StatusRuntimeException) failure.get();
  }
}
