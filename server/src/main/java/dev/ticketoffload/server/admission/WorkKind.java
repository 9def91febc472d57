package dev.ticketoffload.server.admission;

/** The two kinds of work the service admits; a reconnect storm is made of opens. */
public enum WorkKind {
  OPEN,
  SEAL
}
