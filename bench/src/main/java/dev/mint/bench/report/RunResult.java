// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.util.HashMap;
import java.util.Map;

/**
 * What one client (or C tool) measured on one workload, over the measured phase. A figure the
 * client cannot give is -1 (a C tool's allocation, for one).
 *
 * @param requests responses completed and checked
 * @param bodyBytes body bytes received in them
 * @param nanos the phase's length
 * @param p50Micros median latency
 * @param p99Micros 99th-percentile latency
 * @param cpuNanos CPU time of the client's process (user and system)
 * @param allocatedBytes bytes allocated by the client's threads, or -1
 * @param threads threads the client added to its process, or -1
 * @param failure why the run failed, or {@code null}
 * @param serverCpuNanos CPU time of the server's worker process (user and system, from {@code
 *     /proc}) over the same phase, or -1 when unknown (a server that is not nginx)
 * @param profiledRequests responses completed in the allocation profile's phase ({@link
 *     AllocationProfile}, after the measured one), or -1 when not profiled
 * @param profiledAllocation bytes allocated by the client's threads over that phase, or -1
 * @param profiledTlsAllocation the part of them allocated inside the JDK's {@code SSLEngine}, or -1
 * @param userCpuNanos the part of {@code cpuNanos} spent in user space, or -1 when unknown (no
 *     {@code /proc}, or a phase shorter than one clock tick); the rest is the kernel's
 */
public record RunResult(
    long requests,
    long bodyBytes,
    long nanos,
    long p50Micros,
    long p99Micros,
    long cpuNanos,
    long allocatedBytes,
    long threads,
    String failure,
    long serverCpuNanos,
    long profiledRequests,
    long profiledAllocation,
    long profiledTlsAllocation,
    long userCpuNanos) {

  /** A result without the server's CPU time and without an allocation profile. */
  public RunResult(
      long requests,
      long bodyBytes,
      long nanos,
      long p50Micros,
      long p99Micros,
      long cpuNanos,
      long allocatedBytes,
      long threads,
      String failure) {
    this(
        requests,
        bodyBytes,
        nanos,
        p50Micros,
        p99Micros,
        cpuNanos,
        allocatedBytes,
        threads,
        failure,
        -1,
        -1,
        -1,
        -1,
        -1);
  }

  /** A failed run. */
  public static RunResult failed(String reason) {
    return new RunResult(0, 0, 0, 0, 0, 0, -1, -1, reason == null ? "failed" : reason);
  }

  /** Requests per second. */
  public double requestsPerSecond() {
    return nanos == 0 ? 0 : requests * 1e9 / nanos;
  }

  /** Body MiB per second. */
  public double mibPerSecond() {
    return nanos == 0 ? 0 : bodyBytes * 1e9 / nanos / (1 << 20);
  }

  /** Client CPU microseconds per request, or -1 when unknown. */
  public double cpuMicrosPerRequest() {
    return requests == 0 || cpuNanos < 0 ? -1 : cpuNanos / 1e3 / requests;
  }

  /** The server's CPU microseconds per request, or -1 when unknown. */
  public double serverCpuMicrosPerRequest() {
    return requests == 0 || serverCpuNanos < 0 ? -1 : serverCpuNanos / 1e3 / requests;
  }

  /**
   * The share (0 to 1) of the profiled phase's allocation made inside the JDK's {@code SSLEngine},
   * or -1 when not profiled.
   */
  public double tlsAllocationShare() {
    return profiledAllocation <= 0 || profiledTlsAllocation < 0
        ? -1
        : (double) profiledTlsAllocation / profiledAllocation;
  }

  /**
   * Bytes allocated per request inside the JDK's {@code SSLEngine} in the profiled phase, or -1
   * when not profiled.
   */
  public double tlsAllocatedPerRequest() {
    return profiledRequests <= 0 || profiledTlsAllocation < 0
        ? -1
        : (double) profiledTlsAllocation / profiledRequests;
  }

  /** Bytes allocated per request in the profiled phase, all of the client's, or -1. */
  public double profiledAllocatedPerRequest() {
    return profiledRequests <= 0 || profiledAllocation < 0
        ? -1
        : (double) profiledAllocation / profiledRequests;
  }

  /** This result with the server's CPU time over the phase. */
  public RunResult withServerCpu(long nanos) {
    return withExtras(
        nanos, profiledRequests, profiledAllocation, profiledTlsAllocation, userCpuNanos);
  }

  /** This result with the allocation profile of a separate phase. */
  public RunResult withAllocationProfile(AllocationProfile profile) {
    return withExtras(
        serverCpuNanos, profile.requests(), profile.allocated(), profile.insideTls(), userCpuNanos);
  }

  /**
   * This result with the part of its CPU time spent in user space.
   *
   * @throws IllegalArgumentException when {@code userNanos} is more than the whole CPU time
   */
  public RunResult withUserCpu(long userNanos) {
    if (userNanos > cpuNanos) {
      throw new IllegalArgumentException(
          "user CPU " + userNanos + " ns is more than the process's " + cpuNanos + " ns");
    }
    return withExtras(
        serverCpuNanos, profiledRequests, profiledAllocation, profiledTlsAllocation, userNanos);
  }

  /** This result's own figures with the figures measured beside them. */
  private RunResult withExtras(
      long serverCpu, long profiled, long profiledAlloc, long profiledTls, long userCpu) {
    return new RunResult(
        requests,
        bodyBytes,
        nanos,
        p50Micros,
        p99Micros,
        cpuNanos,
        allocatedBytes,
        threads,
        failure,
        serverCpu,
        profiled,
        profiledAlloc,
        profiledTls,
        userCpu);
  }

  /** The client's user-space CPU microseconds per request, or -1 when unknown. */
  public double userCpuMicrosPerRequest() {
    return requests == 0 || userCpuNanos < 0 ? -1 : userCpuNanos / 1e3 / requests;
  }

  /** The client's kernel CPU microseconds per request (its CPU less its user time), or -1. */
  public double kernelCpuMicrosPerRequest() {
    return requests == 0 || userCpuNanos < 0 || cpuNanos < 0
        ? -1
        : (cpuNanos - userCpuNanos) / 1e3 / requests;
  }

  /** Bytes allocated per request, or -1 when unknown. */
  public double allocatedPerRequest() {
    return requests == 0 || allocatedBytes < 0 ? -1 : (double) allocatedBytes / requests;
  }

  /** One line of {@code key=value} pairs, the failure last (it may hold spaces). */
  public String toLine() {
    String line =
        "requests="
            + requests
            + " bodyBytes="
            + bodyBytes
            + " nanos="
            + nanos
            + " p50Micros="
            + p50Micros
            + " p99Micros="
            + p99Micros
            + " cpuNanos="
            + cpuNanos
            + " allocatedBytes="
            + allocatedBytes
            + " threads="
            + threads
            + " serverCpuNanos="
            + serverCpuNanos
            + " profiledRequests="
            + profiledRequests
            + " profiledAllocation="
            + profiledAllocation
            + " profiledTlsAllocation="
            + profiledTlsAllocation
            + " userCpuNanos="
            + userCpuNanos;
    return failure == null ? line : line + " failure=" + failure.replace('\n', ' ');
  }

  /** Parses {@link #toLine()}. */
  public static RunResult parse(String line) {
    String failure = null;
    int f = line.indexOf(" failure=");
    if (f >= 0) {
      failure = line.substring(f + " failure=".length());
      line = line.substring(0, f);
    }
    Map<String, Long> values = new HashMap<>();
    for (String pair : line.trim().split(" +")) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("not key=value: " + pair);
      }
      values.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
    }
    return new RunResult(
        get(values, "requests"),
        get(values, "bodyBytes"),
        get(values, "nanos"),
        get(values, "p50Micros"),
        get(values, "p99Micros"),
        get(values, "cpuNanos"),
        get(values, "allocatedBytes"),
        get(values, "threads"),
        failure,
        get(values, "serverCpuNanos"),
        get(values, "profiledRequests"),
        get(values, "profiledAllocation"),
        get(values, "profiledTlsAllocation"),
        get(values, "userCpuNanos"));
  }

  private static long get(Map<String, Long> values, String key) {
    Long v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return v;
  }
}
