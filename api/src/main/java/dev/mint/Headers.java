// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable, ordered list of header fields (name and value pairs), as sent or received.
 *
 * <p>Order and duplicates are kept exactly. Lookups by name ignore ASCII case (RFC 9110 §5.1);
 * names are stored as given. Response headers parsed by Mint always have lower-case names. This
 * type does not validate: the protocol engines reject names and values that cannot be sent (CR, LF,
 * NUL, characters outside the token grammar) when a request is made.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class Headers {
  private static final Headers EMPTY = new Headers(new String[0]);

  /** Alternating names and values: {@code [name0, value0, name1, value1, ...]}. */
  private final String[] fields;

  private Headers(String[] fields) {
    this.fields = fields;
  }

  /** The empty header list. */
  public static Headers empty() {
    return EMPTY;
  }

  /**
   * Headers from alternating names and values: {@code Headers.of("accept", "*}{@code /*", "x-a",
   * "1")}.
   *
   * @throws IllegalArgumentException when given an odd number of strings
   * @throws NullPointerException when any string is null
   */
  public static Headers of(String... namesAndValues) {
    return over(namesAndValues.clone());
  }

  /**
   * Headers over {@code namesAndValues} itself, without the copy {@link #of} makes: the caller
   * gives the array up and never writes it again. For protocol engines, which build the array of
   * each received header section once (through {@code dev.mint.spi.ApiAccess#headersOver}).
   *
   * @throws IllegalArgumentException when given an odd number of strings
   * @throws NullPointerException when any string is null
   */
  static Headers over(String[] namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "expected name/value pairs, got " + namesAndValues.length + " strings");
    }
    for (String s : namesAndValues) {
      Objects.requireNonNull(s, "header names and values must not be null");
    }
    return namesAndValues.length == 0 ? EMPTY : new Headers(namesAndValues);
  }

  /** A builder for a header list. */
  public static Builder builder() {
    return new Builder();
  }

  /** The number of fields (a repeated name counts once per occurrence). */
  public int size() {
    return fields.length / 2;
  }

  /** Whether there are no fields. */
  public boolean isEmpty() {
    return fields.length == 0;
  }

  /** The name of the field at {@code index}, as stored. */
  public String name(int index) {
    Objects.checkIndex(index, size());
    return fields[2 * index];
  }

  /** The value of the field at {@code index}. */
  public String value(int index) {
    Objects.checkIndex(index, size());
    return fields[2 * index + 1];
  }

  /** The first value for {@code name} (any case), or {@code null} when absent. */
  public String get(String name) {
    for (int i = 0; i < fields.length; i += 2) {
      if (fields[i].equalsIgnoreCase(name)) {
        return fields[i + 1];
      }
    }
    return null;
  }

  /** Every value for {@code name} (any case), in order; empty when absent. */
  public List<String> getAll(String name) {
    List<String> values = new ArrayList<>(2);
    for (int i = 0; i < fields.length; i += 2) {
      if (fields[i].equalsIgnoreCase(name)) {
        values.add(fields[i + 1]);
      }
    }
    return Collections.unmodifiableList(values);
  }

  /** Whether a field named {@code name} (any case) is present. */
  public boolean contains(String name) {
    return get(name) != null;
  }

  /** A copy with one more field at the end. */
  public Headers with(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    String[] copy = Arrays.copyOf(fields, fields.length + 2);
    copy[fields.length] = name;
    copy[fields.length + 1] = value;
    return new Headers(copy);
  }

  /** A copy without any field named {@code name} (any case). */
  public Headers without(String name) {
    Builder b = new Builder();
    for (int i = 0; i < fields.length; i += 2) {
      if (!fields[i].equalsIgnoreCase(name)) {
        b.add(fields[i], fields[i + 1]);
      }
    }
    return b.build();
  }

  /** Calls {@code action} with each name and value, in order. */
  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < fields.length; i += 2) {
      action.accept(fields[i], fields[i + 1]);
    }
  }

  /** A builder starting with these fields. */
  public Builder toBuilder() {
    Builder b = new Builder();
    for (int i = 0; i < fields.length; i += 2) {
      b.add(fields[i], fields[i + 1]);
    }
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Headers h && Arrays.equals(fields, h.fields);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(fields);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Headers[");
    for (int i = 0; i < fields.length; i += 2) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(fields[i]).append(": ").append(fields[i + 1]);
    }
    return sb.append(']').toString();
  }

  /** Collects fields in order; not thread-safe. */
  public static final class Builder {
    private final List<String> fields = new ArrayList<>();

    private Builder() {}

    /** Appends a field. */
    public Builder add(String name, String value) {
      fields.add(Objects.requireNonNull(name, "name"));
      fields.add(Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Removes any field named {@code name} (any case), then appends one. */
    public Builder set(String name, String value) {
      for (int i = fields.size() - 2; i >= 0; i -= 2) {
        if (fields.get(i).equalsIgnoreCase(name)) {
          fields.remove(i + 1);
          fields.remove(i);
        }
      }
      return add(name, value);
    }

    /** The number of fields added so far. */
    public int size() {
      return fields.size() / 2;
    }

    /** An immutable header list of the fields added so far. */
    public Headers build() {
      return fields.isEmpty() ? EMPTY : new Headers(fields.toArray(new String[0]));
    }
  }
}
