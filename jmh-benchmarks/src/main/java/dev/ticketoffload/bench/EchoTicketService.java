package dev.ticketoffload.bench;

import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.IkeSaState;
import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.api.v1.SealRequest;
import dev.ticketoffload.api.v1.SealResponse;
import dev.ticketoffload.api.v1.SealResult;
import dev.ticketoffload.api.v1.TicketServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;

/**
 * TicketService without crypto, checks or replay guard: answers every request with a response of
 * the shape the real service gives (one result per item; opens carry the state, seals a ticket of
 * the real length), built from cached parts. What it reaches is the transport ceiling: gRPC,
 * HTTP/2, Netty and protobuf on both sides.
 */
final class EchoTicketService extends TicketServiceGrpc.TicketServiceImplBase {

  private final IkeSaState state;
  private final ByteString ticket;
  private final long issuedAt;

  EchoTicketService(IkeSaState state, ByteString ticket, long issuedAt) {
    this.state = state;
    this.ticket = ticket;
    this.issuedAt = issuedAt;
  }

  @Override
  public void open(OpenRequest request, StreamObserver<OpenResponse> responses) {
    responses.onNext(answer(request));
    responses.onCompleted();
  }

  @Override
  public void seal(SealRequest request, StreamObserver<SealResponse> responses) {
    responses.onNext(answer(request));
    responses.onCompleted();
  }

  /** One answer per request message, as it arrives (gRPC's automatic flow control). */
  @Override
  public StreamObserver<OpenRequest> openStream(StreamObserver<OpenResponse> responses) {
    return new EchoStream<>(responses, this::answer);
  }

  @Override
  public StreamObserver<SealRequest> sealStream(StreamObserver<SealResponse> responses) {
    return new EchoStream<>(responses, this::answer);
  }

  private OpenResponse answer(OpenRequest request) {
    OpenResponse.Builder response = OpenResponse.newBuilder();
    for (int i = 0; i < request.getItemsCount(); i++) {
      response.addResults(OpenResult.newBuilder().setRef(request.getItems(i).getRef()).setOutcome(Outcome.OK)
          .setState(state).setExpiresAt(issuedAt + 3600).setIssuedAt(issuedAt));
    }
    return response.build();
  }

  private SealResponse answer(SealRequest request) {
    SealResponse.Builder response = SealResponse.newBuilder();
    for (int i = 0; i < request.getItemsCount(); i++) {
      response.addResults(SealResult.newBuilder().setRef(request.getItems(i).getRef()).setTicket(ticket)
          .setLifetimeSeconds(3600).setExpiresAt(issuedAt + 3600));
    }
    return response.build();
  }

  private record EchoStream<Q, A>(StreamObserver<A> responses, Function<Q, A> answer) implements StreamObserver<Q> {
    @Override
    public void onNext(Q request) {
      responses.onNext(answer.apply(request));
    }

    @Override
    public void onError(Throwable t) {
      // the client went away; nothing to answer
    }

    @Override
    public void onCompleted() {
      responses.onCompleted();
    }
  }
}
