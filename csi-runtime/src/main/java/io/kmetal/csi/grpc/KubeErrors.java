package io.kmetal.csi.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kmetal.csi.infra.InfraCluster.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes API error as the CSI status a sidecar acts on: what is missing is NOT_FOUND, a lost
 * race ABORTED (retried), a refusal PERMISSION_DENIED naming what was refused, an overloaded or
 * unreachable API server UNAVAILABLE (retried with backoff). Anything else is a defect of ours or
 * of the cluster: INTERNAL, logged with its cause.
 */
final class KubeErrors {
  private static final Logger log = LoggerFactory.getLogger(KubeErrors.class);

  private KubeErrors() {}

  static StatusRuntimeException status(ApiError e) {
    Status status =
        switch (e.status()) {
          case 404 -> Status.NOT_FOUND;
          case 409 -> Status.ABORTED;
          case 403 -> Status.PERMISSION_DENIED;
          case 401 -> Status.UNAUTHENTICATED;
          case 0, 408, 429, 500, 502, 503, 504 -> Status.UNAVAILABLE;
          default -> null;
        };
    if (status == null) {
      log.error("unexpected Kubernetes API error {}", e.status(), e);
      status = Status.INTERNAL;
    }
    String prefix =
        switch (status.getCode()) {
          case ABORTED -> "conflict, retry: ";
          case UNAVAILABLE -> "the Kubernetes API is not answering, retry: ";
          default -> "";
        };
    return status.withDescription(prefix + e.getMessage()).asRuntimeException();
  }
}
