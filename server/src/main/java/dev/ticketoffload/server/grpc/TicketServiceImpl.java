package dev.ticketoffload.server.grpc;

import dev.ticketoffload.api.v1.RevokeRequest;
import dev.ticketoffload.api.v1.RevokeResponse;
import dev.ticketoffload.api.v1.SealRequest;
import dev.ticketoffload.api.v1.SealResponse;
import dev.ticketoffload.api.v1.TicketServiceGrpc;
import dev.ticketoffload.server.metrics.Rpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * TicketService over gRPC: unary and streaming calls share the batch handlers; this class only
 * adapts them to observers. It runs on gRPC's transport threads: each request is checked and
 * admitted (or refused) as it arrives, and admitted batches go to the {@link Workers}. Until {@link #ready} is called (backend self-tested, key ring loaded)
 * every call is answered UNAVAILABLE, matching the health service's NOT_SERVING.
 */
public final class TicketServiceImpl extends TicketServiceGrpc.TicketServiceImplBase {

  private final SealBatchHandler seals;
  private final OpenBatchHandler opens;
  private final RevokeBatchHandler revocations;
  private final Workers workers;
  private volatile TicketCrypto crypto;

  TicketServiceImpl(SealBatchHandler seals, OpenBatchHandler opens, RevokeBatchHandler revocations,
      Workers workers) {
    this.seals = seals;
    this.opens = opens;
    this.revocations = revocations;
    this.workers = workers;
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
    unary(responses, ignored -> seals.admit(Rpc.SEAL, request, crypto()));
  }

  /** Open, with its own marshallers ({@link #definition}). */
  private void openWire(WireOpenRequest request, StreamObserver<WireOpenResponse> responses) {
    unary(responses, ignored -> opens.admit(Rpc.OPEN, request, crypto()));
  }

  @Override
  public void revoke(RevokeRequest request, StreamObserver<RevokeResponse> responses) {
    unary(responses, ignored -> revocations.admit(request, crypto()));
  }

  @Override
  public StreamObserver<SealRequest> sealStream(StreamObserver<SealResponse> responses) {
    return new FlowControlledBatchStream<>(responses, request -> seals.admit(Rpc.SEAL_STREAM, request, crypto()),
        workers);
  }

  /** OpenStream, with its own marshallers ({@link #definition}). */
  private StreamObserver<WireOpenRequest> openStreamWire(StreamObserver<WireOpenResponse> responses) {
    return new FlowControlledBatchStream<>(responses, request -> opens.admit(Rpc.OPEN_STREAM, request, crypto()),
        workers);
  }

  /**
   * The generated definition with Open and OpenStream bound to {@link OpenWireMarshallers}: the same
   * methods, names and schema (reflection shows the proto's), the same bytes on the wire, but requests
   * read into a {@link WireOpenRequest} and answers encoded as a {@link WireOpenResponse}, with no
   * protobuf message per item. The other methods keep the generated protobuf marshallers.
   */
  ServerServiceDefinition definition() {
    ServerServiceDefinition generated = bindService();
    ServiceDescriptor old = generated.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(old.getName())
        .setSchemaDescriptor(old.getSchemaDescriptor());
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : generated.getMethods()) {
      MethodDescriptor<?, ?> d = method.getMethodDescriptor();
      ServerMethodDefinition<?, ?> bound = switch (d.getBareMethodName()) {
        case "Open" -> ServerMethodDefinition.create(wire(d), ServerCalls.asyncUnaryCall(this::openWire));
        case "OpenStream" -> ServerMethodDefinition.create(wire(d), ServerCalls.asyncBidiStreamingCall(this::openStreamWire));
        default -> method;
      };
      descriptor.addMethod(bound.getMethodDescriptor());
      methods.add(bound);
    }
    ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(definition::addMethod);
    return definition.build();
  }

  private static MethodDescriptor<WireOpenRequest, WireOpenResponse> wire(MethodDescriptor<?, ?> generated) {
    return generated.toBuilder(OpenWireMarshallers.REQUESTS, OpenWireMarshallers.RESPONSES).build();
  }

  /** Admits the request here, on the transport thread (refusals are answered at once), then hands it over. */
  private <Resp> void unary(StreamObserver<Resp> responses, AdmittedBatch.Admission<Void, Resp> admission) {
    // The call ends once its answer and trailers were written out (close), or when it is cancelled
    // (client gone, connection cut): only then are the batch's items no longer held.
    ServerCallStreamObserver<Resp> call = (ServerCallStreamObserver<Resp>) responses;
    AnswerRelease release = new AnswerRelease();
    call.setOnCancelHandler(release::callEnded);
    call.setOnCloseHandler(release::callEnded);
    AdmittedBatch<Resp> batch;
    try {
      batch = admission.admit(null);
    } catch (StatusException e) {
      responses.onError(e);
      return;
    } catch (RuntimeException e) {
      responses.onError(Unexpected.status(e));
      return;
    }
    workers.submit(batch, new Workers.Answer<>() {
      @Override
      public void answered(Resp response, Runnable releaseBatch) {
        release.hold(releaseBatch);
        responses.onNext(response);
        responses.onCompleted();
      }

      @Override
      public void failed(StatusException e) {
        responses.onError(e);
      }
    });
  }
}
