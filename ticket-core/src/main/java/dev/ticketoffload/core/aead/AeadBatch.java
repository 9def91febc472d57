package dev.ticketoffload.core.aead;

/**
 * A reusable batch of AEAD items for one key, stored as parallel arrays so that filling and
 * running a batch allocates nothing. Not thread-safe: one batch per thread.
 */
public final class AeadBatch {

  final byte[][] iv;
  final int[] ivOffset;
  final byte[][] aad;
  final int[] aadOffset;
  final int[] aadLength;
  final byte[][] input;
  final int[] inputOffset;
  final int[] inputLength;
  final byte[][] output;
  final int[] outputOffset;
  final int[] result;
  private int size;

  public AeadBatch(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    iv = new byte[capacity][];
    ivOffset = new int[capacity];
    aad = new byte[capacity][];
    aadOffset = new int[capacity];
    aadLength = new int[capacity];
    input = new byte[capacity][];
    inputOffset = new int[capacity];
    inputLength = new int[capacity];
    output = new byte[capacity][];
    outputOffset = new int[capacity];
    result = new int[capacity];
  }

  public int capacity() {
    return iv.length;
  }

  public int size() {
    return size;
  }

  /** Empties the batch and drops its references to caller arrays. */
  public void clear() {
    java.util.Arrays.fill(iv, 0, size, null);
    java.util.Arrays.fill(aad, 0, size, null);
    java.util.Arrays.fill(input, 0, size, null);
    java.util.Arrays.fill(output, 0, size, null);
    size = 0;
  }

  /**
   * Adds an item; for a seal {@code input} is the plaintext, for an open it is {@code ciphertext || tag}.
   *
   * @return the item's index
   * @throws IllegalStateException when the batch is full
   */
  public int add(byte[] iv, int ivOffset, byte[] aad, int aadOffset, int aadLength,
      byte[] input, int inputOffset, int inputLength, byte[] output, int outputOffset) {
    if (size == capacity()) {
      throw new IllegalStateException("batch is full (" + capacity() + " items)");
    }
    int i = size++;
    this.iv[i] = iv;
    this.ivOffset[i] = ivOffset;
    this.aad[i] = aad;
    this.aadOffset[i] = aadOffset;
    this.aadLength[i] = aadLength;
    this.input[i] = input;
    this.inputOffset[i] = inputOffset;
    this.inputLength[i] = inputLength;
    this.output[i] = output;
    this.outputOffset[i] = outputOffset;
    this.result[i] = 0;
    return i;
  }

  /** After a seal: bytes written. After an open: plaintext length, or -1 when the tag failed. */
  public int result(int index) {
    return result[index];
  }

  // Read access for backends in other packages that override the batch methods.
  public byte[] iv(int i) { return iv[i]; }
  public int ivOffset(int i) { return ivOffset[i]; }
  public byte[] aad(int i) { return aad[i]; }
  public int aadOffset(int i) { return aadOffset[i]; }
  public int aadLength(int i) { return aadLength[i]; }
  public byte[] input(int i) { return input[i]; }
  public int inputOffset(int i) { return inputOffset[i]; }
  public int inputLength(int i) { return inputLength[i]; }
  public byte[] output(int i) { return output[i]; }
  public int outputOffset(int i) { return outputOffset[i]; }
  public void setResult(int i, int value) { result[i] = value; }
}
