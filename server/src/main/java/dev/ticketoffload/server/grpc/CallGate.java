package dev.ticketoffload.server.grpc;

import dev.ticketoffload.core.keys.RealmConfig;
import dev.ticketoffload.server.admission.AdmissionControl;
import dev.ticketoffload.server.admission.Permit;
import dev.ticketoffload.server.admission.WorkKind;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.metrics.Rpc;
import dev.ticketoffload.server.metrics.ServiceMetrics;
import dev.ticketoffload.server.tls.RealmAccess;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusException;

/**
 * The checks every batch passes before any crypto, cheapest first: request shape, realm and the
 * caller's right to it, whether anyone still waits for the answer, and admission.
 */
final class CallGate {

  private final ServiceLimits limits;
  private final AdmissionControl admission;
  private final ServiceMetrics metrics;
  private final RefusalLog refusals;

  CallGate(ServiceLimits limits, AdmissionControl admission, ServiceMetrics metrics, RefusalLog refusals) {
    this.limits = limits;
    this.admission = admission;
    this.metrics = metrics;
    this.refusals = refusals;
  }

  ServiceLimits limits() {
    return limits;
  }

  /** Refuses a request whose bytes did not parse ({@link MalformedRequests}). */
  void checkParsed(Rpc rpc, com.google.protobuf.Message request) throws StatusException {
    StatusException problem = MalformedRequests.problem(request);
    if (problem != null) {
      throw refuse(rpc, "malformed_request", problem);
    }
  }

  /** Refuses a request whose bytes did not parse: {@code problem} says why, {@code null} when they did. */
  void checkParsed(Rpc rpc, String problem) throws StatusException {
    if (problem != null) {
      throw refuse(rpc, "malformed_request", Status.INVALID_ARGUMENT.withDescription(problem).asException());
    }
  }

  void checkItemCount(Rpc rpc, int items) throws StatusException {
    if (items == 0) {
      throw refuse(rpc, "empty", Statuses.invalidArgument("items: a request needs at least one item"));
    }
    if (items > limits.maxItemsPerRequest()) {
      throw refuse(rpc, "max_items_per_request", Statuses.invalidArgument("items: " + items
          + " items exceed max-items-per-request (" + limits.maxItemsPerRequest() + ")"));
    }
  }

  /** The realm a request names ({@code ""} is {@code default}), if the caller may use it. */
  String realm(Rpc rpc, String requested) throws StatusException {
    String realm = requested.isEmpty() ? RealmConfig.DEFAULT_REALM : requested;
    String problem = RealmConfig.checkName(realm);
    if (problem != null) {
      throw refuse(rpc, "realm_name", Statuses.invalidArgument("realm: " + problem));
    }
    RealmAccess access = RealmAccess.current();
    if (access != null && !access.allows(realm)) {
      throw refuse(rpc, "realm_not_allowed", Status.PERMISSION_DENIED
          .withDescription("realm \"" + realm + "\" is not allowed for client " + access.identity()).asException());
    }
    return realm;
  }

  /**
   * Refuses work whose caller has gone: its deadline passed or it cancelled. The deadline is read
   * directly, not only through the context's cancellation, whose timer may not have fired yet.
   */
  void checkStillWanted(Rpc rpc) throws StatusException {
    Context context = Context.current();
    Deadline deadline = context.getDeadline();
    if (deadline != null && deadline.isExpired()) {
      metrics.skipped(rpc, "deadline");
      throw Status.DEADLINE_EXCEEDED.withDescription("deadline passed before the batch was worked on").asException();
    }
    if (context.isCancelled()) {
      metrics.skipped(rpc, "cancelled");
      throw Status.CANCELLED.withDescription("call cancelled before the batch was worked on").asException();
    }
  }

  Permit admit(Rpc rpc, int items) throws StatusException {
    dev.ticketoffload.server.admission.ConnectionLoad connection = ConnectionShares.current();
    long perConnection = limits.maxItemsInFlightPerConnection();
    Permit permit = admission.tryAdmit(rpc.kind(), items, connection, perConnection);
    if (permit == null && admission.connectionFull(rpc.kind(), items, connection, perConnection)) {
      metrics.shed(rpc, "connection");
      refusals.log(rpc, "connection", "a connection at max-items-in-flight-per-connection");
      throw Statuses.resourceExhausted("overloaded: this connection holds max-items-in-flight-per-connection ("
          + perConnection + ") items, in work or in answers it has not read yet; retry after the pushback",
          limits.retryPushback());
    }
    if (permit == null) {
      metrics.shed(rpc, "overload");
      refusals.log(rpc, "overload", "work in flight at max-items-in-flight");
      throw Statuses.resourceExhausted("overloaded: max-items-in-flight (" + admission.capacityItems()
          + (rpc.kind() == WorkKind.SEAL
              ? ", seals up to " + admission.sealCeilingItems() : "")
          + ") reached; retry after the pushback", limits.retryPushback());
    }
    return permit;
  }

  StatusException refuse(Rpc rpc, String refusal, StatusException e) {
    metrics.refused(rpc, refusal);
    refusals.log(rpc, refusal, e.getStatus().getDescription());
    return e;
  }
}
