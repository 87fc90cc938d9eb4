// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mint.ConnectOptions;
import dev.mint.Http1Options;
import dev.mint.HttpException;
import dev.mint.Scheme;
import dev.mint.spi.EngineContext;
import dev.mint.spi.OutputQueue;
import org.junit.jupiter.api.function.Executable;

/** Small assertions and factories shared by the engine tests. */
final class Checks {
  private Checks() {}

  /** Default options without a user agent, so that expected bytes stay short. */
  static final ConnectOptions NO_AGENT = ConnectOptions.builder().userAgent(null).build();

  static Script.Client client() {
    return client(NO_AGENT);
  }

  static Script.Client client(ConnectOptions options) {
    return client(Scheme.HTTP, "example.com", 80, options);
  }

  static Script.Client client(Http1Options http1) {
    return client(NO_AGENT.toBuilder().http1(http1).build());
  }

  static Script.Client client(Scheme scheme, String host, int port, ConnectOptions options) {
    return new Script.Client(new Http1Engine(new EngineContext(scheme, host, port, options)));
  }

  static Script.Client client(long outputLimit) {
    return client(new OutputQueue(outputLimit));
  }

  static Script.Client client(OutputQueue output) {
    return new Script.Client(
        new Http1Engine(new EngineContext(Scheme.HTTP, "example.com", 80, NO_AGENT), output));
  }

  /** Asserts a caller error of request scope with this reason; returns it. */
  static HttpException callerError(HttpException.Reason reason, Executable call) {
    HttpException e = assertThrows(HttpException.class, call);
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(HttpException.Fault.CALLER, e.fault(), e.getMessage());
    assertEquals(HttpException.Scope.REQUEST, e.scope(), e.getMessage());
    return e;
  }

  /** Asserts a caller error of connection scope with this reason (a closed engine). */
  static HttpException closedError(Executable call) {
    HttpException e = assertThrows(HttpException.class, call);
    assertEquals(HttpException.Reason.INVALID_STATE, e.reason(), e.getMessage());
    assertEquals(HttpException.Fault.CALLER, e.fault(), e.getMessage());
    assertEquals(HttpException.Scope.CONNECTION, e.scope(), e.getMessage());
    return e;
  }
}
