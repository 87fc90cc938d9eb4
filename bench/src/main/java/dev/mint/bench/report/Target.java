// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where a client run sends its requests: the server's address and port for the workload's wire, the
 * workload, and the PEM file of the certificate to trust over TLS.
 *
 * @param host the server's address
 * @param port the port that speaks the workload's wire
 * @param workload what to run
 * @param caPem the server's self-signed certificate, the one trust anchor over TLS
 */
record Target(String host, int port, Workload workload, Path caPem) {
  /** The URI of the document the workload fetches. */
  URI uri() {
    return URI.create(workload.wire().scheme() + "://" + host + ":" + port + workload.path());
  }
}
