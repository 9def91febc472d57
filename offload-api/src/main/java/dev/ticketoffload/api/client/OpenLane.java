package dev.ticketoffload.api.client;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.OpenItem;
import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.OpenResult;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opens and peeks share batches: the item says which. Every consuming item carries a random
 * {@code attempt_id} chosen when its batch is built and kept across the batch's retries, so a retry
 * after a lost answer ({@code UNAVAILABLE}: an instance killed, a connection cut, the store down) is
 * {@code OK} again for this caller and {@code REPLAYED} for anyone else.
 */
final class OpenLane extends Lane<PendingCall.Open, OpenResult, OpenRequest, OpenResponse> {

  OpenLane(ClientRuntime runtime, int maxBatchItems, long lingerNanos) {
    super(runtime, maxBatchItems, lingerNanos);
  }

  /** Bytes of each attempt id: the proto's maximum, so a guess succeeds with probability 2^-128. */
  static final int ATTEMPT_ID_BYTES = 16;
  // Unpredictable on purpose: whoever holds a stolen ticket and guesses its attempt id would open it.
  private static final SecureRandom ATTEMPT_IDS = new SecureRandom();

  @Override
  OpenRequest request(List<PendingCall.Open> calls) {
    OpenRequest.Builder request = OpenRequest.newBuilder().setRealm(runtime.realm);
    byte[] attempts = new byte[ATTEMPT_ID_BYTES * calls.size()];
    ATTEMPT_IDS.nextBytes(attempts); // one draw per batch, not per item
    for (int i = 0; i < calls.size(); i++) {
      PendingCall.Open call = calls.get(i);
      OpenItem.Builder item = request.addItemsBuilder().setRef(i).setTicket(call.ticket).setPeek(call.peek);
      if (!call.peek) {
        item.setAttemptId(ByteString.copyFrom(attempts, ATTEMPT_ID_BYTES * i, ATTEMPT_ID_BYTES));
      }
    }
    return request.build();
  }

  @Override
  boolean idempotent() {
    return true;
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
