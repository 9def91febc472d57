package dev.ticketoffload.api.client;

import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.OpenResult;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Opens and peeks share batches: the item says which. */
final class OpenLane extends Lane<PendingCall.Open, OpenResult, OpenRequest, OpenResponse> {

  OpenLane(ClientRuntime runtime, int maxBatchItems, long lingerNanos) {
    super(runtime, maxBatchItems, lingerNanos);
  }

  @Override
  OpenRequest request(List<PendingCall.Open> calls) {
    OpenRequest.Builder request = OpenRequest.newBuilder().setRealm(runtime.realm);
    for (int i = 0; i < calls.size(); i++) {
      PendingCall.Open call = calls.get(i);
      request.addItemsBuilder().setRef(i).setTicket(call.ticket).setPeek(call.peek);
    }
    return request.build();
  }

  @Override
  void invoke(OpenRequest request, StreamObserver<OpenResponse> observer) {
    runtime.stub.withDeadlineAfter(runtime.rpcTimeoutNanos, TimeUnit.NANOSECONDS).open(request, observer);
  }

  @Override
  List<OpenResult> results(OpenResponse response) {
    return response.getResultsList();
  }

  @Override
  long ref(OpenResult result) {
    return result.getRef();
  }

  @Override
  String method() {
    return "Open";
  }
}
