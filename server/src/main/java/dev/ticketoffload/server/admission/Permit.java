package dev.ticketoffload.server.admission;

/** Admitted work; closing it (once, idempotently) returns its items to the {@link AdmissionControl}. */
public final class Permit implements AutoCloseable {

  private final AdmissionControl owner;
  private final WorkKind kind;
  private final int items;
  private final ConnectionLoad connection;
  private boolean released; // guarded by this: the worker and a transport thread may both close it

  Permit(AdmissionControl owner, WorkKind kind, int items, ConnectionLoad connection) {
    this.owner = owner;
    this.kind = kind;
    this.items = items;
    this.connection = connection;
  }

  public int items() {
    return items;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (released) {
        return;
      }
      released = true;
    }
    owner.release(kind, items, connection);
  }
}
