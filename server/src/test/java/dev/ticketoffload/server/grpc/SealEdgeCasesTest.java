package dev.ticketoffload.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketoffload.api.v1.SealResponse;
import dev.ticketoffload.core.keys.EpochKey;
import dev.ticketoffload.core.keys.RealmKeys;
import dev.ticketoffload.openssl.BackendSelector;
import dev.ticketoffload.server.config.ServiceLimits;
import dev.ticketoffload.server.testing.LoopbackServer;
import dev.ticketoffload.server.testing.States;
import dev.ticketoffload.server.testing.TestKeys;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Seals that cannot be done get the status that says why, never INTERNAL, never a useless retry. */
class SealEdgeCasesTest {

  @Test
  void seal_realmRemovedByAReloadWhileTheBatchWaited_isNotFoundNamingTheRealm() throws Exception {
    ExecutorService worker = Executors.newSingleThreadExecutor();
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try (LoopbackServer loopback = new LoopbackServer(ServiceLimits.defaults(), TestKeys.ring("default", "realm-b"),
        worker, BackendSelector.select("jdk"))) {
      CountDownLatch release = new CountDownLatch(1);
      worker.submit(() -> release.await(10, TimeUnit.SECONDS)); // the only worker is busy
      Future<SealResponse> sealed = caller.submit(() -> loopback.blocking().seal(States.sealRequest("realm-b", 2)));
      // admitted on arrival (realm-b exists), then queued behind the busy worker
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (loopback.server.queuedBatches() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(loopback.server.queuedBatches()).isEqualTo(1);
      loopback.crypto.keys().update(TestKeys.ring("default"));
      release.countDown();

      assertThatThrownBy(sealed::get).cause().isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(e.getStatus().getDescription()).contains("realm \"realm-b\"").contains("removed from the key ring");
      });
      assertThat(loopback.blocking().seal(States.sealRequest("default", 1)).getResultsCount()).isEqualTo(1);
    } finally {
      caller.shutdownNow();
    }
  }

  @Test
  void seal_pastTheSealLimitOfTheEpochKey_isFailedPreconditionNamingTheLimit_withoutPushback() throws Exception {
    try (LoopbackServer loopback = new LoopbackServer(ServiceLimits.defaults(), TestKeys.ring("default"))) {
      RealmKeys realm = loopback.crypto.keys().realm("default");
      EpochKey key = realm.sealKey(loopback.clock.seconds());
      realm.reserveSeals(key, (int) (EpochKey.SEAL_LIMIT - 1)); // as if 2^31 - 1 tickets had been sealed

      assertThat(loopback.blocking().seal(States.sealRequest("default", 1)).getResultsCount()).isEqualTo(1);
      assertThatThrownBy(() -> loopback.blocking().seal(States.sealRequest("default", 1)))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(e.getStatus().getDescription()).contains("realm \"default\"").contains("2147483648 seals per key")
                .contains("next epoch key in");
            assertThat(e.getTrailers().get(Statuses.RETRY_PUSHBACK_MS)).isNull();
          });
    }
  }
}
