package dev.ticketoffload.api.client;

import dev.ticketoffload.api.v1.SealRequest;
import dev.ticketoffload.api.v1.SealResponse;
import dev.ticketoffload.api.v1.SealResult;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.TimeUnit;

final class SealLane extends Lane<PendingCall.Seal, SealResult, SealRequest, SealResponse> {

  SealLane(ClientRuntime runtime, int maxBatchItems, long lingerNanos) {
    super(runtime, maxBatchItems, lingerNanos);
  }

  @Override
  SealRequest request(List<PendingCall.Seal> calls) {
    SealRequest.Builder request = SealRequest.newBuilder().setRealm(runtime.realm);
    for (int i = 0; i < calls.size(); i++) {
      PendingCall.Seal call = calls.get(i);
      request.addItemsBuilder().setRef(i).setState(call.state).setLifetimeSeconds(call.lifetimeSeconds);
    }
    return request.build();
  }

  @Override
  void invoke(SealRequest request, StreamObserver<SealResponse> observer) {
    runtime.stub.withDeadlineAfter(runtime.rpcTimeoutNanos, TimeUnit.NANOSECONDS).seal(request, observer);
  }

  @Override
  List<SealResult> results(SealResponse response) {
    return response.getResultsList();
  }

  @Override
  long ref(SealResult result) {
    return result.getRef();
  }

  @Override
  String method() {
    return "Seal";
  }
}
