package dev.ticketoffload.bench;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.api.v1.OpenResponse;
import dev.ticketoffload.api.v1.OpenResult;
import dev.ticketoffload.api.v1.Outcome;
import dev.ticketoffload.api.v1.SealRequest;
import dev.ticketoffload.api.v1.SealResponse;
import java.util.concurrent.TimeUnit;

/**
 * One client thread sending batches with {@code inFlight} calls outstanding, as a gateway
 * pipelining batches does: each send first waits for the call sent {@code inFlight} sends ago.
 * Not thread-safe.
 */
final class BatchPipeline {

  private final LoopbackService service;
  private final int batch;
  private final ListenableFuture<?>[] window;
  private int slot;
  private ByteString[] tickets = new ByteString[0];
  private int nextTicket;
  private long notOk;

  BatchPipeline(LoopbackService service, int batch, int inFlight) {
    this.service = service;
    this.batch = batch;
    this.window = new ListenableFuture<?>[inFlight];
  }

  /** Tickets for the opens to come; beyond them, tickets are reused (and a real service says REPLAYED). */
  void useTickets(ByteString[] fresh) {
    tickets = fresh;
    nextTicket = 0;
  }

  int batch() {
    return batch;
  }

  int ticketsUsed() {
    return nextTicket;
  }

  /** Opens that did not come back OK: non-zero means the ticket supply ran out and figures mislead. */
  long notOk() {
    return notOk;
  }

  void open() throws Exception {
    awaitSlot(slot);
    OpenRequest.Builder request = OpenRequest.newBuilder().setRealm(BenchmarkTickets.REALM);
    for (int i = 0; i < batch; i++) {
      request.addItemsBuilder().setRef(i).setTicket(tickets[nextTicket++ % tickets.length]);
    }
    window[slot] = service.stub.open(request.build());
    slot = (slot + 1) % window.length;
  }

  void seal() throws Exception {
    awaitSlot(slot);
    SealRequest.Builder request = SealRequest.newBuilder().setRealm(BenchmarkTickets.REALM);
    for (int i = 0; i < batch; i++) {
      request.addItemsBuilder().setRef(i).setState(service.wireState).setLifetimeSeconds(3600);
    }
    window[slot] = service.stub.seal(request.build());
    slot = (slot + 1) % window.length;
  }

  /** Waits for every call in flight. */
  void drain() throws Exception {
    for (int i = 0; i < window.length; i++) {
      awaitSlot(i);
    }
  }

  private void awaitSlot(int i) throws Exception {
    ListenableFuture<?> previous = window[i];
    if (previous == null) {
      return;
    }
    window[i] = null;
    Object response = previous.get(30, TimeUnit.SECONDS);
    if (response instanceof OpenResponse open) {
      for (OpenResult r : open.getResultsList()) {
        notOk += r.getOutcome() == Outcome.OK ? 0 : 1;
      }
    } else if (response instanceof SealResponse seal && seal.getResultsCount() != batch) {
      throw new IllegalStateException("seal answered " + seal.getResultsCount() + " results for " + batch);
    }
  }
}
