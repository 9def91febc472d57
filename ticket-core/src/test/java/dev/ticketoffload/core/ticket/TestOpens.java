package dev.ticketoffload.core.ticket;

/**
 * Opens one ticket through {@link TicketOpener}'s only entry point, for tests: the service itself
 * always opens whole batches with its own "now" and store.
 */
public final class TestOpens {

  private TestOpens() {}

  public static OpenedTicket open(TicketOpener opener, String realm, byte[] ticket, boolean consume,
      long nowSeconds, SingleUseStore store) {
    OpenBatch batch = new OpenBatch(1);
    batch.add(ticket, consume);
    opener.openAll(realm, batch, nowSeconds, store);
    Outcome outcome = batch.outcome(0);
    return new OpenedTicket(outcome, outcome == Outcome.OK ? batch.state(0) : null, batch.expiresAtSeconds(0));
  }
}
