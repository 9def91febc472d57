package dev.ticketoffload.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.ticketoffload.api.v1.OpenItem;
import dev.ticketoffload.api.v1.OpenRequest;
import dev.ticketoffload.server.testing.RawProto;
import dev.ticketoffload.server.testing.States;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link WireOpenRequest} reads what protobuf's generated parser reads, value for value, and refuses
 * what it refuses: requests written by protobuf, by hand in other field orders, with unknown and
 * repeated fields, and random and mutated bytes.
 */
class WireOpenRequestTest {

  /** What protobuf makes of {@code bytes}, compared with WireOpenRequest's reading; "" when they agree. */
  private static String disagreement(byte[] bytes) {
    WireOpenRequest wire = WireOpenRequest.parse(bytes);
    OpenRequest proto;
    try {
      proto = OpenRequest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      return wire.problem() != null ? "" : "protobuf refused (" + e.getMessage() + "), wire parsed it";
    }
    if (wire.problem() != null) {
      return "protobuf parsed it, wire refused";
    }
    if (!proto.getRealm().equals(wire.realm())) {
      return "realm " + proto.getRealm() + " vs " + wire.realm();
    }
    if (proto.getItemsCount() != wire.itemCount()) {
      return "items " + proto.getItemsCount() + " vs " + wire.itemCount();
    }
    for (int i = 0; i < proto.getItemsCount(); i++) {
      OpenItem item = proto.getItems(i);
      byte[] ticket = Arrays.copyOfRange(wire.bytes(), wire.ticketOffset(i), wire.ticketOffset(i) + wire.ticketLength(i));
      byte[] attempt = Arrays.copyOfRange(wire.bytes(), wire.attemptIdOffset(i),
          wire.attemptIdOffset(i) + wire.attemptIdLength(i));
      if (item.getRef() != wire.ref(i) || item.getPeek() != wire.peek(i)
          || !item.getTicket().equals(ByteString.copyFrom(ticket))
          || !item.getAttemptId().equals(ByteString.copyFrom(attempt))) {
        return "item " + i + " differs";
      }
    }
    return "";
  }

  private static void assertAgree(List<byte[]> inputs) {
    List<String> failures = new ArrayList<>();
    for (int k = 0; k < inputs.size(); k++) {
      String d = disagreement(inputs.get(k));
      if (!d.isEmpty()) {
        failures.add("input " + k + " " + java.util.HexFormat.of().formatHex(inputs.get(k)) + ": " + d);
      }
    }
    assertThat(failures).isEmpty();
  }

  private static OpenRequest typical() {
    OpenRequest.Builder r = OpenRequest.newBuilder().setRealm("default");
    r.addItems(OpenItem.newBuilder().setRef(-1L).setTicket(States.bytes(200, 1)).setPeek(true)
        .setAttemptId(States.bytes(16, 2)));
    r.addItems(OpenItem.newBuilder()); // every field at its default: an empty item
    r.addItems(OpenItem.newBuilder().setRef(1L << 63).setTicket(States.bytes(2049, 3)));
    r.addItems(OpenItem.newBuilder().setRef(7).setAttemptId(States.bytes(17, 4)));
    return r.build();
  }

  @Test
  void parse_requestsProtobufWrote_readTheSameValues() {
    UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
        .addField(5, UnknownFieldSet.Field.newBuilder().addVarint(3).build())
        .addField(99, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x")).build())
        .addField(7, UnknownFieldSet.Field.newBuilder().addFixed32(1).addFixed64(2).build())
        .addField(9, UnknownFieldSet.Field.newBuilder().addGroup(UnknownFieldSet.newBuilder()
            .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build()).build())
        .build();
    OpenRequest withUnknown = typical().toBuilder().setUnknownFields(unknown)
        .setItems(0, typical().getItems(0).toBuilder().setUnknownFields(unknown)).build();
    assertAgree(List.of(typical().toByteArray(), withUnknown.toByteArray(), new byte[0],
        OpenRequest.newBuilder().setRealm("ré.alm").build().toByteArray(),
        States.openRequest("", List.of(States.bytes(100, 1), States.bytes(0, 2)), false).toByteArray()));
  }

  @Test
  void parse_otherFieldOrders_repeatsAndWireTypes_readAsProtobufReadsThem() {
    byte[] ticket = States.bytes(120, 5).toByteArray();
    assertAgree(List.of(
        // fields in reverse order, realm after the items
        new RawProto().message(2, new RawProto().bytes(4, new byte[] {1, 2}).varint(3, 1).bytes(2, ticket).varint(1, 9))
            .string(1, "late").toByteArray(),
        // a scalar twice: the last wins; realm twice: the last wins
        new RawProto().string(1, "first").string(1, "second")
            .message(2, new RawProto().varint(1, 1).varint(1, 2).bytes(2, ticket).bytes(2, new byte[] {7})
                .varint(3, 1).varint(3, 0))
            .toByteArray(),
        // a known number with another wire type is an unknown field, not the field
        new RawProto().message(2, new RawProto().bytes(1, new byte[] {5}).varint(2, 3).bytes(3, new byte[0]))
            .varint(1, 4).toByteArray(),
        // peek as a large varint is true; ref as all 64 bits
        new RawProto().message(2, new RawProto().varint(3, 1L << 40).varint(1, -1L)).toByteArray(),
        // an item split in two parts of one field? No: two items. And an empty item.
        new RawProto().message(2, new RawProto()).message(2, new RawProto().varint(1, 3)).toByteArray(),
        // invalid: realm not UTF-8, truncated field, length past the end, field number 0, stray end group
        new RawProto().bytes(1, new byte[] {(byte) 0xC3, 0x28}).toByteArray(),
        new byte[] {0x0a, 0x0a},
        new byte[] {0x12, 0x05, 0x08, 0x01},
        new byte[] {0x00, 0x01},
        new byte[] {0x0c},
        new byte[] {0x12, 0x01, 0x0c},
        new byte[] {0x12, 0x02, 0x12, 0x7f}));
  }

  @Test
  void parse_randomAndMutatedBytes_agreeWithProtobuf() {
    Random random = new Random(13);
    byte[] valid = typical().toByteArray();
    List<byte[]> inputs = new ArrayList<>();
    for (int k = 0; k < 20_000; k++) {
      byte[] b;
      switch (k % 4) {
        case 0 -> {
          b = new byte[random.nextInt(24)];
          random.nextBytes(b);
        }
        case 1 -> { // a few bytes of a valid request changed
          b = valid.clone();
          for (int n = 1 + random.nextInt(3); n > 0; n--) {
            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
          }
        }
        case 2 -> b = Arrays.copyOf(valid, random.nextInt(valid.length)); // truncated
        default -> { // random tags and small values, often well-formed
          RawProto p = new RawProto();
          for (int n = random.nextInt(6); n > 0; n--) {
            int field = 1 + random.nextInt(5);
            if (random.nextBoolean()) {
              p.varint(field, random.nextLong() >>> random.nextInt(64));
            } else if (field == 2 && random.nextBoolean()) {
              p.message(2, new RawProto().varint(1 + random.nextInt(4), random.nextInt(3))
                  .bytes(1 + random.nextInt(4), new byte[random.nextInt(4)]));
            } else {
              byte[] v = new byte[random.nextInt(5)];
              random.nextBytes(v);
              p.bytes(field, v);
            }
          }
          b = p.toByteArray();
        }
      }
      inputs.add(b);
    }
    assertAgree(inputs);
  }
}
