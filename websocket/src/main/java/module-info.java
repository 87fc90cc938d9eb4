/**
 * Mint for Java: a WebSocket client (RFC 6455) over HTTP/1.1 upgrade and over HTTP/2 extended
 * CONNECT (RFC 8441), with permessage-deflate (RFC 7692).
 *
 * <p>{@link dev.mint.websocket.WebSocketCodec} is the sans-I/O codec (bytes in, messages or frames
 * out; messages in, bytes out); {@link dev.mint.websocket.WebSocket} runs it over an {@link
 * dev.mint.HttpConnection} the caller owns, in passive or active mode. The module uses only the
 * public API of {@code dev.mint}.
 */
module dev.mint.websocket {
  requires transitive dev.mint.api;
  requires org.slf4j;

  exports dev.mint.websocket;
}
