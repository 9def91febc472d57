package dev.ticketoffload.server.grpc;

/**
 * Gives back what a batch holds (its permit, its replay-guard room) once its answer has left for the
 * client, not when it was handed to gRPC: gRPC queues an answer the client does not read, and that
 * memory must stay counted. One per call; at most one answer is held at a time (a unary call has one,
 * a stream asks for its next request only after the previous answer left). Thread-safe: the worker
 * hands the release over, the transport thread runs it (on ready, on close, on cancel).
 */
final class AnswerRelease {

  private Runnable held; // guarded by this
  private boolean callEnded; // guarded by this

  /** Keeps {@code release} until {@link #answerLeft()} or the end of the call; at once if the call ended. */
  void hold(Runnable release) {
    synchronized (this) {
      if (!callEnded) {
        held = release;
        return;
      }
    }
    release.run();
  }

  /** The held answer left (the transport is ready for more). */
  void answerLeft() {
    Runnable release;
    synchronized (this) {
      release = held;
      held = null;
    }
    if (release != null) {
      release.run();
    }
  }

  /** The call is over (closed after its trailers were sent, or cancelled): nothing is queued for it any more. */
  void callEnded() {
    synchronized (this) {
      callEnded = true;
    }
    answerLeft();
  }
}
