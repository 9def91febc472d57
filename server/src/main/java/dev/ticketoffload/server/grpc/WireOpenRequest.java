package dev.ticketoffload.server.grpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Arrays;

/**
 * An {@code OpenRequest} as it came off the wire, read straight from its bytes: the realm, and per item
 * its ref, peek flag and where its ticket and attempt id lie in {@link #bytes()}. No message object,
 * no array, no {@code ByteString} per item: the opener reads the tickets where they arrived.
 *
 * <p>It accepts exactly what protobuf's generated parser accepts and reads the same values from it
 * ({@code WireOpenRequestTest}, which also feeds both random bytes): fields in any order, repeated
 * scalar fields (the last wins), unknown fields and fields of a known number with another wire type
 * (skipped, as protobuf keeps them as unknown), a realm that must be valid UTF-8. Bytes protobuf
 * would refuse give a request with a {@link #problem()}, never an exception.
 */
final class WireOpenRequest {

  private static final int REALM = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int ITEM = tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int ITEM_REF = tag(1, WireFormat.WIRETYPE_VARINT);
  private static final int ITEM_TICKET = tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int ITEM_PEEK = tag(3, WireFormat.WIRETYPE_VARINT);
  private static final int ITEM_ATTEMPT_ID = tag(4, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int INITIAL_ITEMS = 16;

  private final byte[] bytes;
  private String realm = "";
  private String problem;
  private int count;
  private long[] ref = new long[INITIAL_ITEMS];
  private boolean[] peek = new boolean[INITIAL_ITEMS];
  // Offsets and lengths into `bytes`: [2 * i] the ticket, [2 * i + 1] the attempt id.
  private int[] at = new int[2 * INITIAL_ITEMS];
  private int[] length = new int[2 * INITIAL_ITEMS];

  private static int tag(int fieldNumber, int wireType) {
    return fieldNumber << 3 | wireType; // protobuf's WireFormat.makeTag, which is package-private
  }

  private WireOpenRequest(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Reads {@code bytes} (kept, not copied: the items point into it). */
  static WireOpenRequest parse(byte[] bytes) {
    WireOpenRequest request = new WireOpenRequest(bytes);
    try {
      request.read(CodedInputStream.newInstance(bytes));
    } catch (IOException | RuntimeException e) {
      request.problem = "the request is not a valid ticketoffload.v1.OpenRequest message"
          + " (protobuf bytes that do not parse)";
      request.count = 0;
    }
    return request;
  }

  private void read(CodedInputStream in) throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == REALM) {
        realm = in.readStringRequireUtf8();
      } else if (tag == ITEM) {
        int limit = in.pushLimit(in.readRawVarint32());
        readItem(in);
        in.popLimit(limit);
      } else if (!in.skipField(tag)) {
        throw new IOException("an end-group tag outside a group");
      }
    }
  }

  private void readItem(CodedInputStream in) throws IOException {
    int i = addItem();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == ITEM_REF) {
        ref[i] = in.readUInt64();
      } else if (tag == ITEM_TICKET) {
        slice(in, 2 * i);
      } else if (tag == ITEM_PEEK) {
        peek[i] = in.readBool();
      } else if (tag == ITEM_ATTEMPT_ID) {
        slice(in, 2 * i + 1);
      } else if (!in.skipField(tag)) {
        throw new IOException("an end-group tag outside a group");
      }
    }
  }

  /** A bytes field: where it lies in {@link #bytes}, without copying it. */
  private void slice(CodedInputStream in, int k) throws IOException {
    int n = in.readRawVarint32();
    if (n < 0) {
      throw new IOException("negative length");
    }
    at[k] = in.getTotalBytesRead();
    length[k] = n;
    in.skipRawBytes(n); // refuses a length past the end of the message
  }

  private int addItem() {
    if (count == ref.length) {
      int grown = 2 * count;
      ref = Arrays.copyOf(ref, grown);
      peek = Arrays.copyOf(peek, grown);
      at = Arrays.copyOf(at, 2 * grown);
      length = Arrays.copyOf(length, 2 * grown);
    }
    return count++;
  }

  /** Why the bytes are not an OpenRequest, or {@code null} when they are one. */
  String problem() { return problem; }

  /** The realm as sent ({@code ""} when absent). */
  String realm() { return realm; }

  int itemCount() { return count; }

  /** The array the items' tickets and attempt ids lie in. */
  byte[] bytes() { return bytes; }

  long ref(int i) { return ref[i]; }
  boolean peek(int i) { return peek[i]; }
  int ticketOffset(int i) { return at[2 * i]; }
  int ticketLength(int i) { return length[2 * i]; }
  int attemptIdOffset(int i) { return at[2 * i + 1]; }
  int attemptIdLength(int i) { return length[2 * i + 1]; }
}
