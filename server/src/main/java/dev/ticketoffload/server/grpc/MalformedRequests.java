package dev.ticketoffload.server.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Request bytes that are not the method's message are the caller's fault: {@code INVALID_ARGUMENT}
 * naming the method. gRPC-java turns any exception of the request parser into {@code UNKNOWN}
 * ("Application error processing RPC"; {@code INTERNAL} on some paths), which says "the server is
 * broken" ({@code RawRequestFuzzTest} found it with a two-byte request). So the parser never throws:
 * bytes that do not parse become the message's default instance marked with an unknown field
 * ({@link #MARK_FIELD}), and the service's first check ({@link CallGate#checkParsed}) refuses it.
 */
final class MalformedRequests {

  /** The largest field number protobuf allows: never a field of ours, so it can mark a request that did not parse. */
  static final int MARK_FIELD = (1 << 29) - 1;

  private MalformedRequests() {}

  /** {@code null} when {@code request} parsed, else the INVALID_ARGUMENT that says why. */
  static StatusException problem(Message request) {
    UnknownFieldSet unknown = request.getUnknownFields();
    if (!unknown.hasField(MARK_FIELD)) {
      return null;
    }
    List<ByteString> reason = unknown.getField(MARK_FIELD).getLengthDelimitedList();
    return Status.INVALID_ARGUMENT.withDescription(reason.isEmpty() ? "the request is not a valid message"
        : reason.getFirst().toStringUtf8()).asException();
  }

  /** {@code service} with every method's request parser answering INVALID_ARGUMENT for bad bytes. */
  static ServerServiceDefinition areInvalidArgument(ServerServiceDefinition service) {
    ServiceDescriptor old = service.getServiceDescriptor();
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(old.getName())
        .setSchemaDescriptor(old.getSchemaDescriptor());
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<?, ?> strict = strict(method);
      descriptor.addMethod(strict.getMethodDescriptor());
      methods.add(strict);
    }
    ServerServiceDefinition.Builder result = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(result::addMethod);
    return result.build();
  }

  @SuppressWarnings("unchecked") // the prototype is the method's own request type
  private static <Q> Q marked(Message prototype, String reason) {
    return (Q) prototype.toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
        .addField(MARK_FIELD, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8(reason)).build())
        .build()).build();
  }

  private static <Q, R> ServerMethodDefinition<Q, R> strict(ServerMethodDefinition<Q, R> method) {
    MethodDescriptor<Q, R> d = method.getMethodDescriptor();
    MethodDescriptor.Marshaller<Q> parser = d.getRequestMarshaller();
    if (parser == OpenWireMarshallers.REQUESTS) {
      return method; // never throws: a request that does not parse carries its problem (WireOpenRequest)
    }
    if (!(parser instanceof MethodDescriptor.PrototypeMarshaller<?>)) {
      throw new IllegalArgumentException(d.getFullMethodName() + " has no protobuf request marshaller");
    }
    Message prototype = (Message) ((MethodDescriptor.PrototypeMarshaller<Q>) parser).getMessagePrototype();
    String reason = "the request is not a valid " + prototype.getDescriptorForType().getFullName() + " message"
        + " (protobuf bytes that do not parse)";
    MethodDescriptor.Marshaller<Q> strict = new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(Q value) {
        return parser.stream(value);
      }

      @Override
      public Q parse(InputStream stream) {
        try {
          return parser.parse(stream);
        } catch (RuntimeException e) {
          return marked(prototype, reason);
        }
      }
    };
    return ServerMethodDefinition.create(d.toBuilder(strict, d.getResponseMarshaller()).build(),
        method.getServerCallHandler());
  }
}
