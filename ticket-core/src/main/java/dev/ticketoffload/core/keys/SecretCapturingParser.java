package dev.ticketoffload.core.keys;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads a key ring's JSON so that no master secret ever becomes a {@code String} (immutable, never
 * wiped): the value of every {@code "secret"} field is decoded from the parser's own character
 * buffer, that buffer is zeroed at once, and the tree sees a placeholder naming the decoded bytes,
 * which {@link #secret} hands out. {@link #wipe()} zeroes what was not taken.
 */
final class SecretCapturingParser extends JsonParserDelegate {

  private static final String PLACEHOLDER = "\u0000secret#";

  private final List<byte[]> secrets = new ArrayList<>(); // null: not valid base64
  private String placeholder;

  SecretCapturingParser(JsonParser parser) {
    super(parser);
  }

  @Override
  public JsonToken nextToken() throws IOException {
    JsonToken token = super.nextToken();
    placeholder = null;
    if (token == JsonToken.VALUE_STRING && "secret".equals(delegate.currentName())) {
      placeholder = PLACEHOLDER + secrets.size();
      secrets.add(decodeAndWipe(delegate.getTextCharacters(), delegate.getTextOffset(), delegate.getTextLength()));
    }
    return token;
  }

  private static byte[] decodeAndWipe(char[] chars, int offset, int length) {
    byte[] ascii = new byte[length];
    try {
      for (int i = 0; i < length; i++) {
        char c = chars[offset + i];
        ascii[i] = c < 128 ? (byte) c : (byte) '!'; // not base64: refused below
      }
      return Base64.getDecoder().decode(ascii);
    } catch (IllegalArgumentException e) {
      return null;
    } finally {
      Arrays.fill(chars, offset, offset + length, '\0');
      Arrays.fill(ascii, (byte) 0);
    }
  }

  @Override
  public String getText() throws IOException {
    return placeholder != null ? placeholder : super.getText();
  }

  @Override
  public String getValueAsString() throws IOException {
    return placeholder != null ? placeholder : super.getValueAsString();
  }

  @Override
  public char[] getTextCharacters() throws IOException {
    return placeholder != null ? placeholder.toCharArray() : super.getTextCharacters();
  }

  @Override
  public int getTextLength() throws IOException {
    return placeholder != null ? placeholder.length() : super.getTextLength();
  }

  @Override
  public int getTextOffset() throws IOException {
    return placeholder != null ? 0 : super.getTextOffset();
  }

  @Override
  public boolean hasTextCharacters() {
    return placeholder == null && super.hasTextCharacters();
  }

  /**
   * The secret a placeholder stands for, or {@code null} when it was not valid base64.
   *
   * @throws IllegalArgumentException when {@code text} is no placeholder of this parser
   */
  byte[] secret(String text) {
    if (!text.startsWith(PLACEHOLDER)) {
      throw new IllegalArgumentException("not a captured secret");
    }
    return secrets.get(Integer.parseInt(text.substring(PLACEHOLDER.length())));
  }

  /** Zeroes every decoded secret (the caller copied what it keeps). */
  void wipe() {
    for (byte[] s : secrets) {
      if (s != null) {
        Arrays.fill(s, (byte) 0);
      }
    }
    secrets.clear();
  }
}
