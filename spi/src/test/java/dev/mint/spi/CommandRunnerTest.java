// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.Http2Operations;
import dev.mint.Http2Operations.Settings;
import dev.mint.HttpConnection;
import dev.mint.HttpException;
import dev.mint.Mode;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.Scheme;
import dev.mint.TransportException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The shell's {@link CommandRunner}: an engine's HTTP/2 commands run with the connection's send
 * semantics, through the typed hook {@link ProtocolEngine#http2(CommandRunner)}.
 */
class CommandRunnerTest {
  private final FakeTransport transport = new FakeTransport();
  private final ScriptedEngine engine = new ScriptedEngine();

  private EngineConnection connection(ConnectOptions options) {
    return new EngineConnection(transport, engine, Scheme.HTTP, "example.test", 80, options);
  }

  private Http2Operations ops(EngineConnection c) {
    return c.http2().orElseThrow();
  }

  @Test
  void aCommandsOutputIsWrittenOnceItRan() throws Exception {
    EngineConnection c = connection(ConnectOptions.defaults());
    RequestRef ping = ops(c).ping();
    assertEquals(1, ping.sequence());
    assertEquals("PING 1\n", transport.written(), "written by the call, not by a later one");
    ops(c).updateSettings(Settings.defaults().withEnablePush(false));
    assertEquals("PING 1\nSETTINGS\n", transport.written());
  }

  @Test
  void aPassiveCommandWritesEverythingBeforeReturning() throws Exception {
    EngineConnection c =
        connection(
            ConnectOptions.builder()
                .mode(Mode.PASSIVE)
                .writeTimeout(Duration.ofMillis(100))
                .build());
    transport.acceptWrites(3);
    transport.duringNextWait(() -> transport.acceptWrites(100));
    ops(c).ping();
    assertEquals("PING 1\n", transport.written(), "the rest went out after waiting");
    assertEquals(1, transport.awaitCalls);
  }

  @Test
  void aCommandRunsWithTheConnectionIdInTheLogContext() throws Exception {
    EngineConnection c = connection(ConnectOptions.defaults());
    ops(c).ping();
    assertEquals(c.id(), engine.commandLogContext);
    assertNull(MDC.get(HttpConnection.LOG_CONTEXT_KEY), "restored after the call");
  }

  @Test
  void aCommandIsRefusedAfterCloseWithoutRunning() throws Exception {
    EngineConnection c = connection(ConnectOptions.defaults());
    Http2Operations ops = ops(c);
    c.close();
    TransportException e = assertThrows(TransportException.class, ops::ping);
    assertEquals(TransportException.Reason.CLOSED, e.reason());
    assertEquals(0, engine.commandsRun, "the engine never saw the command");
    assertEquals("BYE\n", transport.written());
    assertEquals(0, ops.openStreamCount(), "a query still answers");
  }

  @Test
  void aCallerErrorLeavesTheConnectionAsItWas() throws Exception {
    EngineConnection c = connection(ConnectOptions.defaults());
    HttpException e =
        assertThrows(HttpException.class, () -> ops(c).updateSettings(Settings.defaults()));
    assertEquals(HttpException.Scope.REQUEST, e.scope());
    assertTrue(c.isOpen());
    c.request("GET", "/", Headers.empty(), RequestBody.none());
    assertEquals("REQ GET /\n", transport.written());
  }

  @Test
  void aConnectionErrorFailsTheConnectionAndSendsTheGoodbye() throws Exception {
    EngineConnection c = connection(ConnectOptions.defaults());
    HttpException e =
        assertThrows(
            HttpException.class,
            () ->
                ops(c)
                    .updateSettings(
                        Settings.defaults().withEnablePush(false).withMaxFrameSize(20_000)));
    assertEquals(HttpException.Scope.CONNECTION, e.scope());
    assertFalse(c.isOpen());
    assertEquals("BYE\n", transport.written());
    TransportException later = assertThrows(TransportException.class, () -> ops(c).ping());
    assertEquals(TransportException.Reason.CLOSED, later.reason());
    assertTrue(later.getMessage().contains("frame size fixed"), later.getMessage());
  }

  @Test
  void theDirectRunnerRunsTheCommandAsItIs() throws Exception {
    assertEquals("ran", CommandRunner.DIRECT.run(() -> "ran"));
    HttpException thrown = HttpException.caller(HttpException.Reason.INVALID_STATE, "no");
    assertEquals(
        thrown,
        assertThrows(
            HttpException.class,
            () ->
                CommandRunner.DIRECT.run(
                    () -> {
                      throw thrown;
                    })));
  }
}
