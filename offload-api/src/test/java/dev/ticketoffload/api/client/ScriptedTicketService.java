package dev.ticketoffload.api.client;

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
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real gRPC service with canned behaviour, for testing the client through the wire: a "ticket"
 * is the byte 'T' followed by the serialized state (no crypto), tickets starting with anything
 * else open as AUTH_FAILED, and a consumed ticket opens again as REPLAYED. Tests script
 * shedding, failures and silence.
 */
final class ScriptedTicketService extends TicketServiceGrpc.TicketServiceImplBase {

  static final Metadata.Key<String> PUSHBACK =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  /** Batch sizes of every call received, shed ones included. */
  final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  final List<String> realms = new CopyOnWriteArrayList<>();
  /** The next this-many calls are answered RESOURCE_EXHAUSTED. */
  final AtomicInteger shedNextCalls = new AtomicInteger();
  /** The pushback sent with a shed answer; null sends none. */
  volatile String pushbackMillis = "50";
  /** When set, every call fails with it. */
  volatile Status failWith;
  /** When true, calls are never answered. */
  volatile boolean silent;
  /** When true, the response lacks its last result. */
  volatile boolean dropLastResult;
  /** When true, the first two results of a response swap places (their refs go with them). */
  volatile boolean swapFirstResults;
  private final Set<ByteString> consumed = ConcurrentHashMap.newKeySet();

  static ByteString ticketOf(IkeSaState state) {
    return ByteString.copyFrom(new byte[] {'T'}).concat(state.toByteString());
  }

  @Override
  public void seal(SealRequest request, StreamObserver<SealResponse> responses) {
    if (!admit(request.getItemsCount(), request.getRealm(), responses)) {
      return;
    }
    SealResponse.Builder response = SealResponse.newBuilder();
    for (SealItem item : request.getItemsList()) {
      response.addResults(SealResult.newBuilder().setRef(item.getRef())
          .setTicket(ticketOf(item.getState())).setLifetimeSeconds(item.getLifetimeSeconds()));
    }
    if (swapFirstResults && response.getResultsCount() > 1) {
      SealResult first = response.getResults(0);
      response.setResults(0, response.getResults(1)).setResults(1, first);
    }
    answer(response.build(), response.getResultsCount(), responses,
        b -> SealResponse.newBuilder(b).removeResults(b.getResultsCount() - 1).build());
  }

  @Override
  public void open(OpenRequest request, StreamObserver<OpenResponse> responses) {
    if (!admit(request.getItemsCount(), request.getRealm(), responses)) {
      return;
    }
    OpenResponse.Builder response = OpenResponse.newBuilder();
    for (OpenItem item : request.getItemsList()) {
      response.addResults(openOne(item));
    }
    answer(response.build(), response.getResultsCount(), responses,
        b -> OpenResponse.newBuilder(b).removeResults(b.getResultsCount() - 1).build());
  }

  private OpenResult openOne(OpenItem item) {
    OpenResult.Builder result = OpenResult.newBuilder().setRef(item.getRef());
    ByteString ticket = item.getTicket();
    if (ticket.isEmpty() || ticket.byteAt(0) != 'T') {
      return result.setOutcome(Outcome.AUTH_FAILED).build();
    }
    if (!item.getPeek() && !consumed.add(ticket)) {
      return result.setOutcome(Outcome.REPLAYED).build();
    }
    try {
      return result.setOutcome(Outcome.OK).setState(IkeSaState.parseFrom(ticket.substring(1))).build();
    } catch (InvalidProtocolBufferException e) {
      return result.setOutcome(Outcome.MALFORMED).build();
    }
  }

  private boolean admit(int items, String realm, StreamObserver<?> responses) {
    batchSizes.add(items);
    realms.add(realm);
    if (silent) {
      return false;
    }
    if (failWith != null) {
      responses.onError(failWith.asRuntimeException());
      return false;
    }
    if (shedNextCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      Metadata trailers = new Metadata();
      if (pushbackMillis != null) {
        trailers.put(PUSHBACK, pushbackMillis);
      }
      responses.onError(Status.RESOURCE_EXHAUSTED.withDescription("scripted shed").asRuntimeException(trailers));
      return false;
    }
    return true;
  }

  private <M> void answer(M response, int results, StreamObserver<M> responses,
      java.util.function.UnaryOperator<M> withoutLast) {
    responses.onNext(dropLastResult && results > 0 ? withoutLast.apply(response) : response);
    responses.onCompleted();
  }
}
