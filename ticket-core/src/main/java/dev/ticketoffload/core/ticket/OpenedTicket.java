package dev.ticketoffload.core.ticket;

import dev.ticketoffload.core.state.IkeSaState;

/** The outcome of opening one ticket; {@code state} only on {@link Outcome#OK}, else {@code null}. */
public record OpenedTicket(Outcome outcome, IkeSaState state, long expiresAtSeconds) {}
