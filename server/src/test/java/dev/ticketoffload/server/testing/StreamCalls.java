package dev.ticketoffload.server.testing;

import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Runs a bidirectional stream to completion with real observers and collects what came back. */
public final class StreamCalls {

  private StreamCalls() {}

  /** What a stream gave: the responses received, and the error that ended it, if any. */
  public record Outcome<Resp>(List<Resp> responses, Throwable error) {}

  public static <Req, Resp> Outcome<Resp> run(Function<StreamObserver<Resp>, StreamObserver<Req>> call,
      List<Req> requests) throws Exception {
    List<Resp> responses = new ArrayList<>();
    CompletableFuture<Throwable> done = new CompletableFuture<>();
    StreamObserver<Req> out = call.apply(new StreamObserver<>() {
      @Override
      public void onNext(Resp value) {
        synchronized (responses) {
          responses.add(value);
        }
      }

      @Override
      public void onError(Throwable t) {
        done.complete(t);
      }

      @Override
      public void onCompleted() {
        done.complete(null);
      }
    });
    for (Req r : requests) {
      out.onNext(r);
    }
    out.onCompleted();
    Throwable error = done.get(30, TimeUnit.SECONDS);
    synchronized (responses) {
      return new Outcome<>(List.copyOf(responses), error);
    }
  }
}
