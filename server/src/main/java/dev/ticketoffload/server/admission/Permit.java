package dev.ticketoffload.server.admission;

/** Admitted work; closing it (once, idempotently) returns its items to the {@link AdmissionControl}. */
public final class Permit implements AutoCloseable {

  private final AdmissionControl owner;
  private final WorkKind kind;
  private final int items;
  private boolean released;

  Permit(AdmissionControl owner, WorkKind kind, int items) {
    this.owner = owner;
    this.kind = kind;
    this.items = items;
  }

  public int items() {
    return items;
  }

  @Override
  public void close() {
    if (!released) {
      released = true;
      owner.release(kind, items);
    }
  }
}
