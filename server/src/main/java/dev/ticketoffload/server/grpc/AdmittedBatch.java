package dev.ticketoffload.server.grpc;

import io.grpc.StatusException;

/**
 * A batch that passed its checks and was admitted on arrival: it holds its admission permit (and, for
 * consuming opens, its replay-guard reservation) from then until {@link #close}, which the
 * {@link Workers} call once the answer was sent or the batch was skipped.
 */
interface AdmittedBatch<Resp> extends AutoCloseable {

  /**
   * Works on the batch on a worker thread: checks again that the caller still waits (deadline,
   * cancel: the batch may have queued), then does the crypto and builds the answer.
   */
  Resp run() throws StatusException;

  /** Returns the permit and the reservation; idempotent. */
  @Override
  void close();

  /** The transport-thread half of a batch handler: cheap checks and admission, no crypto. */
  interface Admission<Req, Resp> {
    /**
     * @throws StatusException the call-level refusal to answer at once: shape, realm, overload
     *     ({@code RESOURCE_EXHAUSTED} with pushback), deadline already passed
     */
    AdmittedBatch<Resp> admit(Req request) throws StatusException;
  }
}
