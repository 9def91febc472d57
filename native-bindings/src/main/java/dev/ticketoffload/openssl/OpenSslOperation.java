package dev.ticketoffload.openssl;

/** The libcrypto step that failed; carried by {@link OpenSslException}. */
public enum OpenSslOperation {
  FETCH_CIPHER("fetching AES-256-GCM"),
  NEW_CONTEXT("creating a cipher context"),
  SET_KEY("setting the key"),
  SET_IV("setting the IV"),
  ADD_AAD("adding associated data"),
  ENCRYPT("encrypting"),
  DECRYPT("decrypting"),
  FINISH("finishing"),
  GET_TAG("reading the tag");

  private final String description;

  OpenSslOperation(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
