package io.kmetal.csi.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.kmetal.csi.infra.InfraCluster.ApiError;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every CSI call ends: the response, or a status whose message tells an operator what went
 * wrong: a Kubernetes API error as the CSI code the sidecars act on ({@link KubeErrors}), anything
 * unexpected as INTERNAL, logged once with its cause. Also the per-volume guard: a second call on a
 * volume that is being worked on gets ABORTED (the CSI spec's answer; the sidecar retries), never a
 * concurrent run.
 */
public final class Calls {
  private static final Logger log = LoggerFactory.getLogger(Calls.class);

  /** The work of one call. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws Exception;
  }

  private final Set<String> busy = ConcurrentHashMap.newKeySet();

  /** Runs {@code work} for a call that touches no volume. */
  public static <T> void respond(StreamObserver<T> response, Work<T> work) {
    deliver(response, outcome(work));
  }

  /**
   * Runs {@code work} unless another call is working on {@code volumeId}. The volume is released
   * before the answer goes out, so a caller that retries at once never meets its own call.
   */
  public <T> void respondFor(String volumeId, StreamObserver<T> response, Work<T> work) {
    if (volumeId.isEmpty()) {
      response.onError(invalid("volume_id is required"));
      return;
    }
    if (!busy.add(volumeId)) {
      response.onError(
          Status.ABORTED
              .withDescription("an operation on volume " + volumeId + " is already in progress")
              .asRuntimeException());
      return;
    }
    Object outcome;
    try {
      outcome = outcome(work);
    } finally {
      busy.remove(volumeId);
    }
    deliver(response, outcome);
  }

  /** The result, or the status to answer with. */
  private static Object outcome(Work<?> work) {
    try {
      return work.run();
    } catch (StatusRuntimeException e) {
      return e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Status.ABORTED.withDescription("interrupted").asRuntimeException();
    } catch (ApiError e) {
      return KubeErrors.status(e);
    } catch (Exception e) {
      log.error("unexpected failure", e); // once, with its cause; the caller gets the message
      return Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void deliver(StreamObserver<T> response, Object outcome) {
    if (outcome instanceof StatusRuntimeException e) {
      response.onError(e);
    } else {
      response.onNext((T) outcome);
      response.onCompleted();
    }
  }

  public static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  public static StatusRuntimeException notFound(String message) {
    return Status.NOT_FOUND.withDescription(message).asRuntimeException();
  }

  public static StatusRuntimeException failedPrecondition(String message) {
    return Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException();
  }
}
