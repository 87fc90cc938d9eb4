// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorsTest {

  @Test
  void partsBeforeFailureAreAttachedOnceAndCopied() {
    RequestRef ref = RequestRef.create(1, "GET");
    List<ResponsePart> parts = new ArrayList<>(List.of(new ResponsePart.Status(ref, 200)));
    TransportException e = new TransportException(TransportException.Reason.CLOSED, "gone");
    assertTrue(e.partsBeforeFailure().isEmpty());
    assertSame(e, e.attachPartsBeforeFailure(parts));
    parts.clear();
    assertEquals(1, e.partsBeforeFailure().size());
    assertThrows(IllegalStateException.class, () -> e.attachPartsBeforeFailure(List.of()));
  }

  @Test
  void httpExceptionsCarryFaultScopeAndCode() {
    HttpException caller = HttpException.caller(HttpException.Reason.INVALID_METHOD, "bad");
    assertEquals(HttpException.Fault.CALLER, caller.fault());
    assertEquals(HttpException.Scope.REQUEST, caller.scope());
    assertEquals(-1, caller.http2ErrorCode());
    assertFalse(caller.isRetrySafe());
    assertTrue(caller.getMessage().startsWith("INVALID_METHOD: "));

    HttpException peer = HttpException.peer(HttpException.Reason.UNEXPECTED_DATA, "x");
    assertEquals(HttpException.Fault.PEER, peer.fault());
    assertEquals(HttpException.Scope.CONNECTION, peer.scope());
  }

  @Test
  void providerExceptionKeepsItsDetail() {
    ProviderException e =
        new ProviderException(ProviderException.Reason.DUPLICATE_PROVIDER, "two claim 'tcp'");
    assertEquals("two claim 'tcp'", e.detail());
    assertEquals("DUPLICATE_PROVIDER: two claim 'tcp'", e.getMessage());
  }

  @Test
  void partsRejectInvalidValues() {
    RequestRef ref = RequestRef.create(7, "");
    assertThrows(IllegalArgumentException.class, () -> new ResponsePart.Status(ref, 99));
    assertThrows(NullPointerException.class, () -> new ResponsePart.Data(ref, null));
    assertTrue(new ResponsePart.Status(ref, 103).isInformational());
    assertEquals("RequestRef#7", ref.toString());
  }
}
