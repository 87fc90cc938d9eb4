// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import dev.mint.bench.LocalNginx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * nginx as the report's server: {@link LocalNginx} (one worker, pinned by {@code taskset} when the
 * report pins), seen through {@link Servers}.
 *
 * @param nginx the running server, stopped by {@link #close()}
 * @param dir the folder nginx was started in, which holds its master's {@code nginx.pid}
 */
record NginxServers(LocalNginx nginx, Path dir) implements Servers {
  @Override
  public int h1Port() {
    return nginx.plainPort();
  }

  @Override
  public int h2cPort() {
    return nginx.h2cPort();
  }

  @Override
  public int tlsPort() {
    return nginx.tlsPort();
  }

  /** nginx's one worker: the child of the master named in {@code nginx.pid}. */
  @Override
  public OptionalLong workerPid() {
    try {
      long master = Long.parseLong(Files.readString(dir.resolve("nginx.pid")).trim());
      return ProcessCpu.childOf(master);
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public String description() {
    return nginx.description();
  }

  @Override
  public void close() throws IOException {
    nginx.close();
  }
}
