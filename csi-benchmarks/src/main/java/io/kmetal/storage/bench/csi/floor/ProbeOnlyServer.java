package io.kmetal.storage.bench.csi.floor;

import com.google.protobuf.BoolValue;
import csi.v1.Csi.ProbeRequest;
import csi.v1.Csi.ProbeResponse;
import csi.v1.IdentityGrpc;
import io.grpc.stub.StreamObserver;
import io.kmetal.csi.server.CsiServer;
import io.kmetal.csi.server.Endpoint;
import java.util.List;

/**
 * The driver's gRPC server ({@link CsiServer}: grpc-java's OkHttp transport on a Unix socket,
 * args[0]) answering Probe "ready" and nothing else: the least a CSI plugin built on it holds.
 */
public final class ProbeOnlyServer {
  private ProbeOnlyServer() {}

  /** Probe, always ready. */
  public static final class Identity extends IdentityGrpc.IdentityImplBase {
    @Override
    public void probe(ProbeRequest request, StreamObserver<ProbeResponse> response) {
      response.onNext(
          ProbeResponse.newBuilder().setReady(BoolValue.newBuilder().setValue(true)).build());
      response.onCompleted();
    }
  }

  public static void main(String[] args) throws Exception {
    CsiServer.start(Endpoint.parse(args[0]), List.of(new Identity())).awaitTermination();
  }
}
