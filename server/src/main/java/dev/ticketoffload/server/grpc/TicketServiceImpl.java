package dev.ticketoffload.server.grpc;

import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.SealRequest;
import dev.ticketoffload.api.v1.SealResponse;
import dev.ticketoffload.api.v1.TicketServiceGrpc;
import dev.ticketoffload.server.metrics.Rpc;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;

/**
 * TicketService over gRPC: unary and streaming calls share the batch handlers; this class only
 * adapts them to observers. Until {@link #ready} is called (backend self-tested, key ring loaded)
 * every call is answered UNAVAILABLE, matching the health service's NOT_SERVING.
 */
public final class TicketServiceImpl extends TicketServiceGrpc.TicketServiceImplBase {

  private final SealBatchHandler seals;
  private final OpenBatchHandler opens;
  private volatile TicketCrypto crypto;

  TicketServiceImpl(SealBatchHandler seals, OpenBatchHandler opens) {
    this.seals = seals;
    this.opens = opens;
  }

  void ready(TicketCrypto crypto) {
    this.crypto = crypto;
  }

  private TicketCrypto crypto() throws StatusException {
    TicketCrypto c = crypto;
    if (c == null) {
      throw Status.UNAVAILABLE.withDescription("not ready: key ring or backend not loaded yet").asException();
    }
    return c;
  }

  @Override
  public void seal(SealRequest request, StreamObserver<SealResponse> responses) {
    unary(responses, ignored -> seals.handle(Rpc.SEAL, request, crypto()));
  }

  @Override
  public void open(OpenRequest request, StreamObserver<OpenResponse> responses) {
    unary(responses, ignored -> opens.handle(Rpc.OPEN, request, crypto()));
  }

  @Override
  public StreamObserver<SealRequest> sealStream(StreamObserver<SealResponse> responses) {
    return new FlowControlledBatchStream<>(responses, request -> seals.handle(Rpc.SEAL_STREAM, request, crypto()));
  }

  @Override
  public StreamObserver<OpenRequest> openStream(StreamObserver<OpenResponse> responses) {
    return new FlowControlledBatchStream<>(responses, request -> opens.handle(Rpc.OPEN_STREAM, request, crypto()));
  }

  private static <Resp> void unary(StreamObserver<Resp> responses,
      FlowControlledBatchStream.BatchHandler<Void, Resp> handler) {
    Resp response;
    try {
      response = handler.handle(null);
    } catch (StatusException e) {
      responses.onError(e);
      return;
    } catch (RuntimeException e) {
      responses.onError(Unexpected.status(e));
      return;
    }
    responses.onNext(response);
    responses.onCompleted();
  }
}
