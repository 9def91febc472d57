package dev.ticketoffload.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketoffload.core.ticket.ConsumeBatch;
import dev.ticketoffload.core.ticket.ConsumeResult;
import dev.ticketoffload.core.ticket.SealedReference;
import dev.ticketoffload.server.testing.RedisServers;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The contract, and what is particular to Redis: a batch's revocation checks by value cost one MGET
 * and its consumes one script call on a standalone server, a ticket by reference one script call per
 * open, and a node that lost its scripts is sent them again. Standalone and Cluster.
 */
abstract class RedisStoreContract extends ConsumeStoreContract {

  /** Every node (every master of a Cluster). */
  abstract List<RedisServers.Node> nodes();

  @Override
  ConsumeStore newStore(java.util.function.ToLongFunction<String> quota) throws Exception {
    for (RedisServers.Node n : nodes()) {
      n.cli("FLUSHALL");
    }
    // one seed: a Cluster's store must find out it is one and learn the other masters
    return RedisStoreTesting.upStore("redis://" + nodes().getFirst().address(), quota);
  }

  @Override
  void letQuotaCountSettle() throws InterruptedException {
    Thread.sleep(1700); // the store re-reads the fleet's counts once a second
  }

  @Override
  void letOneSecondPass(ConsumeStore store) throws InterruptedException {
    Thread.sleep(1100);
  }

  /** Calls of {@code command} the nodes counted since their last CONFIG RESETSTAT, inside scripts too. */
  long calls(String command) throws Exception {
    Pattern p = Pattern.compile("^cmdstat_" + command + ":calls=(\\d+)", Pattern.MULTILINE);
    long sum = 0;
    for (RedisServers.Node n : nodes()) {
      Matcher m = p.matcher(n.cli("INFO", "commandstats"));
      sum += m.find() ? Long.parseLong(m.group(1)) : 0;
    }
    return sum;
  }

  void resetCommandCounts() throws Exception {
    for (RedisServers.Node n : nodes()) {
      n.cli("CONFIG", "RESETSTAT");
    }
  }

  /** A batch of {@code n} consumes by value, each with its own attempt id; answered by the store. */
  ConsumeBatch consumeValues(int n, byte[] ivs, byte[] attempts) throws Exception {
    ConsumeBatch batch = ConsumeBatch.ofCapacity(n);
    for (int i = 0; i < n; i++) {
      batch.add(7, ivs, 12 * i, NOW + 3600, attempts, 4 * i, 4);
    }
    try (StoreReservation r = store().reserve("default", n, NOW)) {
      r.consumeAll("default", batch, NOW);
    }
    return batch;
  }

  @Test
  void value_aBatchOfConsumes_isOneScriptCallStandalone_oneSetPerTicketOnACluster() throws Exception {
    byte[] ivs = random(12 * 64);
    byte[] attempts = random(4 * 64);
    consumeValues(1, iv(), attempts); // the first call on a node may load the script
    resetCommandCounts();
    assertThat(results(consumeValues(64, ivs, attempts))).containsOnly(ConsumeResult.FIRST_USE);
    assertThat(calls("evalsha") + calls("eval")).isEqualTo(nodes().size() == 1 ? 1 : 0);
    assertThat(calls("set")).as("one SET NX GET PX per ticket, inside the script or not").isEqualTo(64);
  }

  @Test
  void value_aBatchsRevocationChecksAndConsumes_areOneMgetAndOneScriptCallStandalone_aCommandPerKeyOnACluster()
      throws Exception {
    byte[] ivs = random(12 * 64);
    byte[] alice = id();
    byte[] bob = id();
    revokeTicket4AndOdd(ivs, alice, bob);
    consumeValues(1, iv(), random(4)); // the first call on a node may load the script
    resetCommandCounts();
    ByValue looked = lookUpAndConsumeByValue(ivs, alice, bob);
    assertTicket4AndOddRevoked(looked.lookups());
    assertThat(results(looked.batch())).containsOnly(ConsumeResult.FIRST_USE);
    boolean standalone = nodes().size() == 1;
    // the ticket's and the identity's revocation: one MGET for the batch, or a GET each
    assertThat(calls("mget")).isEqualTo(standalone ? 1 : 0);
    assertThat(calls("get")).isEqualTo(standalone ? 0 : 128);
    assertThat(calls("evalsha") + calls("eval")).isEqualTo(standalone ? 1 : 0);
    assertThat(calls("set")).isEqualTo(64);
  }

  @Test
  void value_oneBatch_eachKeyExpiresWithItsOwnTicket() throws Exception {
    byte[] ivs = random(12 * 3);
    ConsumeBatch batch = ConsumeBatch.ofCapacity(3);
    batch.add(7, ivs, 0, NOW + 3600, new byte[0], 0, 0);
    batch.add(7, ivs, 12, NOW + 1, new byte[0], 0, 0); // its ttl differs from the one before it
    batch.add(7, ivs, 24, NOW + 3600, new byte[0], 0, 0);
    try (StoreReservation r = store().reserve("default", 3, NOW)) {
      r.consumeAll("default", batch, NOW);
    }
    assertThat(results(batch)).containsOnly(ConsumeResult.FIRST_USE);
    letOneSecondPass(store());
    assertThat(consume("default", 7, java.util.Arrays.copyOfRange(ivs, 12, 24), new byte[0], NOW + 1))
        .as("its own second: forgotten").isEqualTo(ConsumeResult.FIRST_USE);
    assertThat(consume("default", 7, java.util.Arrays.copyOfRange(ivs, 24, 36), new byte[0], NOW + 3600))
        .as("its own hour, not the second of the ticket before it: remembered").isEqualTo(ConsumeResult.REPLAYED);
  }

  @Test
  void value_aNodeThatLostItsScript_getsItAgain_retriesAndReplaysStillTold() throws Exception {
    byte[] ivs = random(12 * 32);
    byte[] attempts = random(4 * 32);
    assertThat(results(consumeValues(16, ivs, attempts))).containsOnly(ConsumeResult.FIRST_USE);
    for (RedisServers.Node n : nodes()) {
      n.cli("SCRIPT", "FLUSH");
    }
    resetCommandCounts();
    List<ConsumeResult> again = results(consumeValues(32, ivs, attempts));
    assertThat(calls("eval")).as("sent again with its source").isEqualTo(nodes().size() == 1 ? 1 : 0);
    assertThat(again.subList(0, 16)).containsOnly(ConsumeResult.SAME_ATTEMPT);
    assertThat(again.subList(16, 32)).containsOnly(ConsumeResult.FIRST_USE);
    attempts[0] ^= 1;
    assertThat(results(consumeValues(1, ivs, attempts))).containsOnly(ConsumeResult.REPLAYED);
  }

  @Test
  void reference_aBatchOfOpensIsOneScriptCallPerTicket_revocationRecordAndConsumeInside() throws Exception {
    List<byte[]> ids = sealRefs(64);
    lookUp("default", ids.subList(0, 1), null); // the first call on a node may load the script
    resetCommandCounts();
    assertThat(lookUp("default", ids, new byte[] {1})).extracting(Looked::consume)
        .containsOnly(ConsumeResult.FIRST_USE);
    assertThat(calls("evalsha") + calls("eval")).as("one command per ticket").isEqualTo(64);
    // inside the scripts: the revocation GET, the record GET, the SET NX GET PX
    assertThat(calls("get")).isEqualTo(128);
    assertThat(calls("set")).isEqualTo(64);
  }

  @Test
  void reference_nodesThatLostTheirScripts_getThemAgain_opensAndSealsGoOn() throws Exception {
    List<byte[]> ids = sealRefs(32);
    assertThat(lookUp("default", ids.subList(0, 16), new byte[] {1})).extracting(Looked::consume)
        .containsOnly(ConsumeResult.FIRST_USE);
    for (RedisServers.Node n : nodes()) {
      n.cli("SCRIPT", "FLUSH"); // as a restart or a failover to a replica leaves them
    }
    resetCommandCounts();
    List<Looked> again = lookUp("default", ids, new byte[] {1});
    assertThat(again.subList(0, 16)).extracting(Looked::consume).containsOnly(ConsumeResult.SAME_ATTEMPT);
    assertThat(again.subList(16, 32)).extracting(Looked::consume).containsOnly(ConsumeResult.FIRST_USE);
    assertThat(again).allSatisfy(l -> assertThat(l.record()).isNotNull());
    assertThat(calls("eval")).as("sent again with their source").isPositive();
    for (RedisServers.Node n : nodes()) {
      n.cli("SCRIPT", "FLUSH");
    }
    byte[] alice = id();
    byte[] id = id();
    store().putRecords("default", new SealedReference[] {sealedRef(id, alice, NOW + 3600)}, NOW);
    store().revoke("default", List.of(Revocation.ofIdentity(1, alice, NOW, NOW + 86_400)), NOW);
    assertThat(lookUp("default", id, null).revoked()).as("the seal's index script ran after all").isTrue();
  }
}
