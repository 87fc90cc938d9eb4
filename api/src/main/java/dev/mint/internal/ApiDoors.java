// SPDX-License-Identifier: Apache-2.0
package dev.mint.internal;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.MintException;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the connection machinery may do to API values and callers may not: make a {@link
 * RequestRef}, attach the parts parsed before a failure to a {@link MintException}. This package is
 * exported to the SPI module only, which offers these to engines and shells as {@code
 * dev.mint.spi.ApiAccess}; the API itself installs the implementation when its classes load.
 */
public final class ApiDoors {
  /** The doors, implemented in package {@code dev.mint}. */
  public interface Doors {
    /** A new reference; see {@code dev.mint.spi.ApiAccess#newRequestRef}. */
    RequestRef newRequestRef(long sequence, String label);

    /** A new reference recording the fields sent; see {@code dev.mint.spi.ApiAccess}. */
    RequestRef newRequestRef(long sequence, String label, Headers sentHeaders);

    /** The same, with the fields made on first use; see {@code dev.mint.spi.ApiAccess}. */
    RequestRef newRequestRef(long sequence, String label, Supplier<Headers> sentHeaders);

    /** Attaches parts, at most once; see {@code dev.mint.spi.ApiAccess#attachParts}. */
    MintException attachParts(MintException e, List<ResponsePart> parts);

    /** Headers over an array without a copy; see {@code dev.mint.spi.ApiAccess#headersOver}. */
    Headers headersOver(String[] namesAndValues);

    /** A value over bytes without a copy; see {@code dev.mint.spi.ApiAccess#bytesOver}. */
    Bytes bytesOver(byte[] array, int offset, int length);
  }

  private static Doors doors;

  private ApiDoors() {}

  /** Installs the doors; the API's own classes call this once, as {@link RequestRef} loads. */
  public static void install(Doors installed) {
    if (doors != null) {
      throw new IllegalStateException("the API doors are installed already");
    }
    doors = Objects.requireNonNull(installed, "installed");
  }

  /** The doors, loading the class that installs them if need be. */
  public static Doors doors() {
    if (doors == null) {
      initialize(RequestRef.class); // its static initializer installs them
    }
    return doors;
  }

  private static void initialize(Class<?> type) {
    try {
      Class.forName(type.getName(), true, type.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
