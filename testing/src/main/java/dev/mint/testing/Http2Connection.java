// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import static dev.mint.testing.Http2Writer.CONTINUATION;
import static dev.mint.testing.Http2Writer.DATA;
import static dev.mint.testing.Http2Writer.FLAG_ACK;
import static dev.mint.testing.Http2Writer.FLAG_END_HEADERS;
import static dev.mint.testing.Http2Writer.FLAG_END_STREAM;
import static dev.mint.testing.Http2Writer.FLAG_PADDED;
import static dev.mint.testing.Http2Writer.FLAG_PRIORITY;
import static dev.mint.testing.Http2Writer.GOAWAY;
import static dev.mint.testing.Http2Writer.HEADERS;
import static dev.mint.testing.Http2Writer.PING;
import static dev.mint.testing.Http2Writer.PUSH_PROMISE;
import static dev.mint.testing.Http2Writer.RST_STREAM;
import static dev.mint.testing.Http2Writer.SETTINGS;
import static dev.mint.testing.Http2Writer.WINDOW_UPDATE;

import com.twitter.hpack.Decoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves HTTP/2 (RFC 9113) on one connection: this thread reads frames, assembles each request
 * (header block, DATA, trailers), records it and picks its response; a thread per stream then
 * writes the response through the shared {@link Http2Writer}, so one slow or delayed stream does
 * not hold up the others, nor the reading of WINDOW_UPDATE and PING.
 *
 * <p>What it checks: the preface, frame sizes against the 16 KiB it announces, CONTINUATION not
 * interrupted, stream ids rising and odd, SETTINGS, PING and WINDOW_UPDATE sizes, the header block
 * size; a violation ends the connection with GOAWAY and the RFC 9113 §7 code. What it leaves out:
 * server push, priorities (PRIORITY is read and ignored), and a dynamic HPACK table when sending.
 */
final class Http2Connection {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_FRAME_SIZE = 16_384;
  private static final int PROTOCOL_ERROR = 1;
  private static final int FLOW_CONTROL_ERROR = 3;
  private static final int STREAM_CLOSED = 5;
  private static final int FRAME_SIZE_ERROR = 6;
  private static final int REFUSED_STREAM = 7;
  private static final int COMPRESSION_ERROR = 9;
  private static final int ENHANCE_YOUR_CALM = 11;

  private final MockServer server;
  private final Wire wire;
  private final String protocol;
  private final MockServer.Limits limits;
  private final DataInputStream in;
  private final Http2Writer writer;
  private final Decoder decoder;
  private final Map<Integer, StreamIn> receiving = new HashMap<>();
  private final Set<Integer> answering = ConcurrentHashMap.newKeySet();
  private int lastStreamId;
  private int sequence;
  private int continuationStream;
  private boolean continuationEndsStream;
  private final ByteArrayOutputStream block = new ByteArrayOutputStream();

  Http2Connection(MockServer server, Wire wire, String protocol) {
    this.server = server;
    this.wire = wire;
    this.protocol = protocol;
    this.limits = server.limits();
    this.in = new DataInputStream(wire.in());
    this.writer = new Http2Writer(wire.out(), limits.idleTimeout());
    this.decoder = new Decoder(limits.maxHeaderBytes(), 4096);
  }

  void serve() throws IOException {
    try {
      byte[] preface = new byte[PREFACE.length];
      in.readFully(preface);
      if (!Arrays.equals(preface, PREFACE)) {
        throw new ConnectionError(PROTOCOL_ERROR, "invalid connection preface");
      }
      byte[] settings = new byte[12];
      putSetting(settings, 0, 3, limits.maxConcurrentStreams()); // MAX_CONCURRENT_STREAMS
      putSetting(settings, 6, 6, limits.maxHeaderBytes()); // MAX_HEADER_LIST_SIZE
      writer.frame(SETTINGS, 0, 0, settings);
      while (!server.isClosed() && readFrame()) {
        // every frame is handled inside readFrame
      }
    } catch (ConnectionError e) {
      server.reportClientError(wire, "HTTP/2 error " + e.code + ": " + e.getMessage());
      writer.goAway(lastStreamId, e.code, e.getMessage());
      wire.close();
    } finally {
      writer.close();
    }
  }

  /** Reads and handles one frame; false when the client closed between frames. */
  private boolean readFrame() throws IOException, ConnectionError {
    byte[] head = new byte[9];
    int first = in.read();
    if (first < 0) {
      return false;
    }
    head[0] = (byte) first;
    in.readFully(head, 1, 8);
    int length = ((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff);
    int type = head[3] & 0xff;
    int flags = head[4] & 0xff;
    int stream = readInt(head, 5) & 0x7fff_ffff;
    if (length > MAX_FRAME_SIZE) {
      throw new ConnectionError(
          FRAME_SIZE_ERROR,
          "frame of "
              + length
              + " bytes, type "
              + type
              + ", exceeds SETTINGS_MAX_FRAME_SIZE "
              + MAX_FRAME_SIZE);
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    if (continuationStream != 0 && (type != CONTINUATION || stream != continuationStream)) {
      throw new ConnectionError(
          PROTOCOL_ERROR,
          "frame type "
              + type
              + " on stream "
              + stream
              + " interrupts the header block of stream "
              + continuationStream);
    }
    handle(type, flags, stream, payload);
    return true;
  }

  private void handle(int type, int flags, int stream, byte[] payload)
      throws IOException, ConnectionError {
    switch (type) {
      case DATA -> onData(flags, stream, payload);
      case HEADERS -> onHeaders(flags, stream, payload);
      case CONTINUATION -> onContinuation(flags, stream, payload);
      case RST_STREAM -> {
        requireStream(type, stream);
        requireLength(type, payload, 4);
        receiving.remove(stream);
        writer.closeStream(stream);
      }
      case SETTINGS -> onSettings(flags, stream, payload);
      case PING -> {
        requireLength(type, payload, 8);
        if (stream != 0) {
          throw new ConnectionError(PROTOCOL_ERROR, "PING on stream " + stream);
        }
        if ((flags & FLAG_ACK) == 0) {
          writer.frame(PING, FLAG_ACK, 0, payload);
        }
      }
      case WINDOW_UPDATE -> onWindowUpdate(stream, payload);
      case PUSH_PROMISE -> throw new ConnectionError(PROTOCOL_ERROR, "PUSH_PROMISE from a client");
      case GOAWAY -> {
        // The client sends no more streams; those in flight finish, then it closes.
      }
      default -> {
        // PRIORITY and unknown frame types are ignored (RFC 9113 §5.5, §6.3).
      }
    }
  }

  private void onData(int flags, int stream, byte[] payload) throws IOException, ConnectionError {
    requireStream(DATA, stream);
    if (payload.length > 0) {
      writer.frame(WINDOW_UPDATE, 0, 0, Http2Writer.int32(payload.length));
    }
    StreamIn s = receiving.get(stream);
    if (s == null) {
      if (stream > lastStreamId) {
        throw new ConnectionError(PROTOCOL_ERROR, "DATA on idle stream " + stream);
      }
      return; // a stream already answered or reset: its DATA is dropped
    }
    byte[] data = unpad(DATA, flags, payload, 0);
    if (s.body.size() + data.length > limits.maxRequestBodyBytes()) {
      receiving.remove(stream);
      refuse(
          stream, 413, "request body exceeds maxRequestBodyBytes " + limits.maxRequestBodyBytes());
      return;
    }
    s.body.write(data);
    if ((flags & FLAG_END_STREAM) != 0) {
      complete(s);
    } else if (payload.length > 0) {
      writer.frame(WINDOW_UPDATE, 0, stream, Http2Writer.int32(payload.length));
    }
  }

  private void onHeaders(int flags, int stream, byte[] payload)
      throws IOException, ConnectionError {
    requireStream(HEADERS, stream);
    if (stream % 2 == 0) {
      throw new ConnectionError(PROTOCOL_ERROR, "HEADERS on even stream " + stream);
    }
    byte[] fragment = unpad(HEADERS, flags, payload, (flags & FLAG_PRIORITY) != 0 ? 5 : 0);
    block.reset();
    block.write(fragment);
    continuationEndsStream = (flags & FLAG_END_STREAM) != 0;
    if ((flags & FLAG_END_HEADERS) != 0) {
      onHeaderBlock(stream);
    } else {
      continuationStream = stream;
    }
  }

  private void onContinuation(int flags, int stream, byte[] payload)
      throws IOException, ConnectionError {
    if (continuationStream == 0) {
      throw new ConnectionError(PROTOCOL_ERROR, "CONTINUATION without HEADERS on stream " + stream);
    }
    if (block.size() + payload.length > limits.maxHeaderBytes()) {
      throw new ConnectionError(
          ENHANCE_YOUR_CALM, "header block exceeds maxHeaderBytes " + limits.maxHeaderBytes());
    }
    block.write(payload);
    if ((flags & FLAG_END_HEADERS) != 0) {
      continuationStream = 0;
      onHeaderBlock(stream);
    }
  }

  private void onHeaderBlock(int stream) throws IOException, ConnectionError {
    List<Header> fields = new ArrayList<>();
    boolean tooLarge;
    try {
      decoder.decode(
          new ByteArrayInputStream(block.toByteArray()),
          (name, value, sensitive) -> fields.add(new Header(latin1(name), latin1(value))));
      tooLarge = decoder.endHeaderBlock();
    } catch (IOException e) {
      throw new ConnectionError(
          COMPRESSION_ERROR,
          "undecodable header block on stream " + stream + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ConnectionError(
          PROTOCOL_ERROR, "invalid field on stream " + stream + ": " + e.getMessage());
    }
    StreamIn existing = receiving.get(stream);
    if (existing != null) {
      if (!continuationEndsStream) {
        throw new ConnectionError(
            PROTOCOL_ERROR, "trailers without END_STREAM on stream " + stream);
      }
      existing.trailers.addAll(fields);
      complete(existing);
      return;
    }
    if (stream <= lastStreamId) {
      throw new ConnectionError(STREAM_CLOSED, "HEADERS on closed stream " + stream);
    }
    lastStreamId = stream;
    if (receiving.size() + answering.size() >= limits.maxConcurrentStreams()) {
      writer.resetStream(stream, REFUSED_STREAM);
      return;
    }
    writer.openStream(stream);
    if (tooLarge) {
      refuse(stream, 431, "header list exceeds maxHeaderBytes " + limits.maxHeaderBytes());
      return;
    }
    StreamIn s = new StreamIn(stream, fields, block.size());
    receiving.put(stream, s);
    if (continuationEndsStream) {
      complete(s);
    }
  }

  private void onSettings(int flags, int stream, byte[] payload)
      throws IOException, ConnectionError {
    if (stream != 0) {
      throw new ConnectionError(PROTOCOL_ERROR, "SETTINGS on stream " + stream);
    }
    if ((flags & FLAG_ACK) != 0) {
      requireLength(SETTINGS, payload, 0);
      return;
    }
    if (payload.length % 6 != 0) {
      throw new ConnectionError(FRAME_SIZE_ERROR, "SETTINGS of " + payload.length + " bytes");
    }
    for (int at = 0; at < payload.length; at += 6) {
      int id = ((payload[at] & 0xff) << 8) | (payload[at + 1] & 0xff);
      long value = readInt(payload, at + 2) & 0xffff_ffffL;
      if (id == 4) { // INITIAL_WINDOW_SIZE
        if (value > Http2Writer.MAX_WINDOW) {
          throw new ConnectionError(FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE " + value);
        }
        writer.initialWindowSize(value);
      } else if (id == 5) { // MAX_FRAME_SIZE
        if (value < 16_384 || value > 16_777_215) {
          throw new ConnectionError(PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE " + value);
        }
        writer.maxFrameSize((int) value);
      }
    }
    writer.frame(SETTINGS, FLAG_ACK, 0, new byte[0]);
  }

  private void onWindowUpdate(int stream, byte[] payload) throws IOException, ConnectionError {
    requireLength(WINDOW_UPDATE, payload, 4);
    int increment = readInt(payload, 0) & 0x7fff_ffff;
    if (increment == 0 && stream == 0) {
      throw new ConnectionError(PROTOCOL_ERROR, "WINDOW_UPDATE of 0 on the connection");
    }
    if (!writer.windowUpdate(stream, increment)) {
      if (stream == 0) {
        throw new ConnectionError(FLOW_CONTROL_ERROR, "connection window past 2^31-1");
      }
      writer.resetStream(stream, FLOW_CONTROL_ERROR);
      writer.closeStream(stream);
    }
  }

  /** The request on {@code s} is whole: record it, pick its response, answer on a new thread. */
  private void complete(StreamIn s) throws IOException {
    receiving.remove(s.id);
    String method = s.pseudo(":method");
    String path = s.pseudo(":path");
    if (method == null || path == null) {
      writer.resetStream(s.id, PROTOCOL_ERROR);
      writer.closeStream(s.id);
      return;
    }
    RecordedRequest request =
        new RecordedRequest(
            method,
            path,
            s.pseudo(":authority") == null ? "" : s.pseudo(":authority"),
            s.regular(),
            s.headBytes,
            s.body.toByteArray(),
            s.trailers,
            protocol,
            wire.tls(),
            wire.index(),
            sequence++,
            s.id);
    MockResponse response = server.respond(request);
    answer(s.id, response, method.equals("HEAD"), false);
  }

  /** Answers {@code stream} with {@code status} unrecorded, then resets it (RFC 9113 §8.1). */
  private void refuse(int stream, int status, String why) {
    server.reportClientError(wire, "stream " + stream + ": " + why);
    answer(stream, MockResponse.of(status, "mint-testing: " + why + "\n"), false, true);
  }

  private void answer(int stream, MockResponse response, boolean head, boolean thenReset) {
    answering.add(stream);
    server
        .thread(
            "stream-" + wire.index() + "-" + stream,
            () -> {
              try {
                new Http2Response(writer, wire, stream, response, head).send();
                if (thenReset) {
                  writer.resetStream(stream, 0); // NO_ERROR: stop sending the body
                }
              } catch (Http2Writer.StreamGone e) {
                // The client reset the stream, or the connection closed: nothing left to send.
              } catch (IOException e) {
                server.reportClientError(wire, "stream " + stream + ": " + e.getMessage());
                wire.close();
              } finally {
                answering.remove(stream);
                writer.closeStream(stream);
              }
            })
        .start();
  }

  private static byte[] unpad(int type, int flags, byte[] payload, int skip)
      throws ConnectionError {
    int pad = 0;
    int from = skip;
    if ((flags & FLAG_PADDED) != 0) {
      if (payload.length < 1) {
        throw new ConnectionError(FRAME_SIZE_ERROR, "padded frame type " + type + " with no bytes");
      }
      pad = payload[0] & 0xff;
      from += 1;
    }
    if (from + pad > payload.length) {
      throw new ConnectionError(
          PROTOCOL_ERROR,
          "padding of "
              + pad
              + " bytes exceeds frame type "
              + type
              + " of "
              + payload.length
              + " bytes");
    }
    return Arrays.copyOfRange(payload, from, payload.length - pad);
  }

  private static void requireStream(int type, int stream) throws ConnectionError {
    if (stream == 0) {
      throw new ConnectionError(PROTOCOL_ERROR, "frame type " + type + " on stream 0");
    }
  }

  private static void requireLength(int type, byte[] payload, int length) throws ConnectionError {
    if (payload.length != length) {
      throw new ConnectionError(
          FRAME_SIZE_ERROR,
          "frame type " + type + " of " + payload.length + " bytes, not " + length);
    }
  }

  private static void putSetting(byte[] into, int at, int id, int value) {
    into[at] = (byte) (id >>> 8);
    into[at + 1] = (byte) id;
    System.arraycopy(Http2Writer.int32(value), 0, into, at + 2, 4);
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** A request being received: its header fields, body so far and trailers. */
  private static final class StreamIn {
    final int id;
    final List<Header> fields;
    final int headBytes;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    final List<Header> trailers = new ArrayList<>();

    StreamIn(int id, List<Header> fields, int headBytes) {
      this.id = id;
      this.fields = fields;
      this.headBytes = headBytes;
    }

    String pseudo(String name) {
      return fields.stream()
          .filter(h -> h.name().equals(name))
          .map(Header::value)
          .findFirst()
          .orElse(null);
    }

    List<Header> regular() {
      return fields.stream().filter(h -> !h.name().startsWith(":")).toList();
    }
  }

  /** A connection error (RFC 9113 §5.4.1): GOAWAY with {@code code}, then close. */
  private static final class ConnectionError extends Exception {
    private static final long serialVersionUID = 1L;
    final int code;

    ConnectionError(int code, String message) {
      super(message);
      this.code = code;
    }
  }
}
