package dev.ticketoffload.server.grpc;

import static dev.ticketoffload.core.state.IkeSaState.FLAG_EAP;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.ticketoffload.core.state.StateView;
import dev.ticketoffload.core.state.StateView.Field;
import dev.ticketoffload.core.ticket.OpenBatch;
import dev.ticketoffload.core.ticket.Outcome;
import java.io.IOException;

/**
 * An {@code OpenResponse} encoded straight from an opened batch with {@link CodedOutputStream}: each
 * result's fields, and an OK result's state fields copied from the checked plaintext, in the bytes
 * protobuf's own serialization gives (field-number order, proto3 defaults left out;
 * {@code WireOpenResponseTest} compares them for every outcome and field shape). No message object
 * and no {@code ByteString} per item, one array for the whole answer; the transport drains it
 * ({@link OpenWireMarshallers}).
 */
final class WireOpenResponse {

  private static final int RESULTS = 1;
  private static final int REF = 1;
  private static final int OUTCOME = 2;
  private static final int STATE = 3;
  private static final int EXPIRES_AT = 4;
  private static final int ISSUED_AT = 5;
  private static final int SPI_I = 1;
  private static final int SPI_R = 2;
  private static final int AUTH_METHOD = 3;
  private static final int EAP = 4;
  private static final int SK_D = 5;
  private static final int ID_I = 6;
  private static final int ID_R = 7;
  private static final int SA_R = 8;
  private static final int EXT = 9;
  private static final int LENGTH_DELIMITED_TAG_BYTES = 1; // every field number here is below 16

  private final byte[] bytes;

  WireOpenResponse(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The encoded message; the marshaller hands it to the transport and wipes it (states hold SK_d). */
  byte[] bytes() {
    return bytes;
  }

  /**
   * The response to {@code request}, opened as {@code batch}; {@code sizes} is scratch of at least
   * {@code items} entries.
   */
  static WireOpenResponse encode(WireOpenRequest request, OpenBatch batch, StateView scratch, int[] sizes) {
    int items = batch.size();
    int total = 0;
    for (int i = 0; i < items; i++) {
      Outcome outcome = batch.outcome(i);
      StateView state = outcome == Outcome.OK ? batch.stateView(i, scratch) : null;
      sizes[i] = resultSize(request.ref(i), outcome, batch.expiresAtSeconds(i), state);
      total += LENGTH_DELIMITED_TAG_BYTES + CodedOutputStream.computeUInt32SizeNoTag(sizes[i]) + sizes[i];
    }
    byte[] bytes = new byte[total];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      for (int i = 0; i < items; i++) {
        Outcome outcome = batch.outcome(i);
        StateView state = outcome == Outcome.OK ? batch.stateView(i, scratch) : null;
        out.writeTag(RESULTS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(sizes[i]);
        writeResult(out, request.ref(i), outcome, batch.expiresAtSeconds(i), state);
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("an OpenResponse did not fit the size computed for it", e);
    }
    return new WireOpenResponse(bytes);
  }

  /** The encoded size of one {@code OpenResult}; {@code state} is the opened state of an OK result, else null. */
  static int resultSize(long ref, Outcome outcome, long expiresAtSeconds, StateView state) {
    int size = ref == 0 ? 0 : CodedOutputStream.computeUInt64Size(REF, ref);
    size += CodedOutputStream.computeEnumSize(OUTCOME, WireOutcomes.of(outcome).getNumber());
    if (state != null) {
      int stateSize = stateSize(state);
      size += LENGTH_DELIMITED_TAG_BYTES + CodedOutputStream.computeUInt32SizeNoTag(stateSize) + stateSize;
    }
    size += expiresAtSeconds == 0 ? 0 : CodedOutputStream.computeUInt64Size(EXPIRES_AT, expiresAtSeconds);
    if (state != null && state.issuedAtSeconds() != 0) {
      size += CodedOutputStream.computeUInt64Size(ISSUED_AT, state.issuedAtSeconds());
    }
    return size;
  }

  /** Writes one {@code OpenResult} (without its own tag and length), fields in number order as protobuf does. */
  static void writeResult(CodedOutputStream out, long ref, Outcome outcome, long expiresAtSeconds, StateView state)
      throws IOException {
    if (ref != 0) {
      out.writeUInt64(REF, ref);
    }
    out.writeEnum(OUTCOME, WireOutcomes.of(outcome).getNumber());
    if (state != null) {
      out.writeTag(STATE, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(stateSize(state));
      writeState(out, state);
    }
    if (expiresAtSeconds != 0) {
      out.writeUInt64(EXPIRES_AT, expiresAtSeconds);
    }
    if (state != null && state.issuedAtSeconds() != 0) {
      out.writeUInt64(ISSUED_AT, state.issuedAtSeconds());
    }
  }

  private static int stateSize(StateView s) {
    int size = bytesSize(SPI_I, s, Field.SPI_I) + bytesSize(SPI_R, s, Field.SPI_R);
    size += s.authMethod() == 0 ? 0 : CodedOutputStream.computeUInt32Size(AUTH_METHOD, s.authMethod());
    size += (s.flags() & FLAG_EAP) == 0 ? 0 : CodedOutputStream.computeBoolSize(EAP, true);
    return size + bytesSize(SK_D, s, Field.SK_D) + bytesSize(ID_I, s, Field.ID_I) + bytesSize(ID_R, s, Field.ID_R)
        + bytesSize(SA_R, s, Field.SA_R) + bytesSize(EXT, s, Field.EXT);
  }

  private static void writeState(CodedOutputStream out, StateView s) throws IOException {
    writeBytes(out, SPI_I, s, Field.SPI_I);
    writeBytes(out, SPI_R, s, Field.SPI_R);
    if (s.authMethod() != 0) {
      out.writeUInt32(AUTH_METHOD, s.authMethod());
    }
    if ((s.flags() & FLAG_EAP) != 0) {
      out.writeBool(EAP, true);
    }
    writeBytes(out, SK_D, s, Field.SK_D);
    writeBytes(out, ID_I, s, Field.ID_I);
    writeBytes(out, ID_R, s, Field.ID_R);
    writeBytes(out, SA_R, s, Field.SA_R);
    writeBytes(out, EXT, s, Field.EXT);
  }

  /** Proto3: an empty bytes field is not written. */
  private static int bytesSize(int fieldNumber, StateView s, Field f) {
    int n = s.length(f);
    return n == 0 ? 0 : LENGTH_DELIMITED_TAG_BYTES + CodedOutputStream.computeUInt32SizeNoTag(n) + n;
  }

  private static void writeBytes(CodedOutputStream out, int fieldNumber, StateView s, Field f) throws IOException {
    int n = s.length(f);
    if (n != 0) {
      out.writeByteArray(fieldNumber, s.buffer(), s.offset(f), n);
    }
  }
}
