package dev.ticketoffload.core.keys;

/** What a master secret may be used for. */
public enum MasterState {
  /** Seals and opens; exactly one per realm. */
  PRIMARY("primary"),
  /** Opens tickets sealed before a rotation; never seals. */
  DECRYPT_ONLY("decrypt-only"),
  /** Kept in the file for the record; neither seals nor opens. */
  RETIRED("retired");

  private final String jsonName;

  MasterState(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The spelling used in the key ring file. */
  public String jsonName() {
    return jsonName;
  }

  public boolean opens() {
    return this != RETIRED;
  }

  /** @return the state spelled {@code name} in the key ring file, or {@code null} */
  public static MasterState fromJsonName(String name) {
    for (MasterState s : values()) {
      if (s.jsonName.equals(name)) {
        return s;
      }
    }
    return null;
  }
}
