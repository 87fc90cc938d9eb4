package dev.mint;

/** An HTTP version a connection can speak, with its ALPN protocol id (RFC 7301). */
public enum Protocol {
  /** HTTP/1.1 (RFC 9112); ALPN id {@code http/1.1}. */
  HTTP1("http/1.1"),
  /** HTTP/2 (RFC 9113); ALPN id {@code h2}. */
  HTTP2("h2");

  private final String alpnId;

  Protocol(String alpnId) {
    this.alpnId = alpnId;
  }

  /** The ALPN protocol id, which is also the key protocol providers are registered under. */
  public String alpnId() {
    return alpnId;
  }

  /** The protocol with the given ALPN id, or {@code null} when the id names none of ours. */
  public static Protocol fromAlpnId(String alpnId) {
    for (Protocol p : values()) {
      if (p.alpnId.equals(alpnId)) {
        return p;
      }
    }
    return null;
  }
}
