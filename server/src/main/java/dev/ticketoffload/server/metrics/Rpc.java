package dev.ticketoffload.server.metrics;

import dev.ticketoffload.server.admission.WorkKind;

/** The methods of TicketService, as metrics label them. Revocations are admitted as seals. */
public enum Rpc {
  SEAL("Seal", WorkKind.SEAL),
  OPEN("Open", WorkKind.OPEN),
  SEAL_STREAM("SealStream", WorkKind.SEAL),
  OPEN_STREAM("OpenStream", WorkKind.OPEN),
  REVOKE("Revoke", WorkKind.SEAL);

  private final String methodName;
  private final WorkKind kind;

  Rpc(String methodName, WorkKind kind) {
    this.methodName = methodName;
    this.kind = kind;
  }

  /** The gRPC method name, the value of the {@code rpc} label. */
  public String methodName() {
    return methodName;
  }

  public WorkKind kind() {
    return kind;
  }
}
