package dev.ticketoffload.storm;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.ticketoffload.api.v1.IkeSaState;
import dev.ticketoffload.api.v1.OpenItem;
import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.api.v1.SealItem;
import dev.ticketoffload.api.v1.SealRequest;
import dev.ticketoffload.api.v1.SealResponse;
import dev.ticketoffload.api.v1.SealResult;
import dev.ticketoffload.api.v1.TicketServiceGrpc;
import io.grpc.stub.StreamObserver;

/**
 * A wrong service for proving the storm's checks can fail: "tickets" are the plain state in a
 * fixed 512-byte frame, with no authentication and no single use, and one state in 64 comes back
 * with a different SK_d.
 */
final class CarelessTicketService extends TicketServiceGrpc.TicketServiceImplBase {

  private static final int FRAME_BYTES = 512;

  /** Items this service was asked to seal and to open, for tests that count what a storm sent. */
  final java.util.concurrent.atomic.LongAdder sealedItems = new java.util.concurrent.atomic.LongAdder();
  final java.util.concurrent.atomic.LongAdder openedItems = new java.util.concurrent.atomic.LongAdder();
  /** When set, every open is answered this outcome without a state. */
  volatile Outcome everyOpen;

  @Override
  public void seal(SealRequest request, StreamObserver<SealResponse> responses) {
    SealResponse.Builder response = SealResponse.newBuilder();
    sealedItems.add(request.getItemsCount());
    for (SealItem item : request.getItemsList()) {
      byte[] state = item.getState().toByteArray();
      byte[] frame = new byte[FRAME_BYTES];
      frame[0] = (byte) state.length;
      frame[1] = (byte) (state.length >>> 8);
      System.arraycopy(state, 0, frame, 2, state.length);
      response.addResults(SealResult.newBuilder().setRef(item.getRef()).setTicket(ByteString.copyFrom(frame)));
    }
    responses.onNext(response.build());
    responses.onCompleted();
  }

  @Override
  public void open(OpenRequest request, StreamObserver<OpenResponse> responses) {
    OpenResponse.Builder response = OpenResponse.newBuilder();
    openedItems.add(request.getItemsCount());
    for (OpenItem item : request.getItemsList()) {
      ByteString frame = item.getTicket();
      int length = (frame.byteAt(0) & 0xff) | (frame.byteAt(1) & 0xff) << 8;
      OpenResult.Builder result = OpenResult.newBuilder().setRef(item.getRef());
      if (everyOpen != null) {
        response.addResults(result.setOutcome(everyOpen));
        continue;
      }
      try {
        IkeSaState state = IkeSaState.parseFrom(frame.substring(2, Math.min(2 + length, FRAME_BYTES)));
        if ((state.getSpiI().byteAt(7) & 63) == 0) {
          state = state.toBuilder().setSkD(ByteString.copyFromUtf8("not the sealed SK_d")).build();
        }
        result.setOutcome(Outcome.OK).setState(state);
      } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
        result.setOutcome(Outcome.MALFORMED);
      }
      response.addResults(result);
    }
    responses.onNext(response.build());
    responses.onCompleted();
  }
}
