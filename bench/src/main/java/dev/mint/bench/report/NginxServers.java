// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import dev.mint.bench.LocalNginx;
import java.io.IOException;

/**
 * nginx as the report's server: {@link LocalNginx} (one worker, pinned by {@code taskset} when the
 * report pins), seen through {@link Servers}.
 *
 * @param nginx the running server, stopped by {@link #close()}
 */
record NginxServers(LocalNginx nginx) implements Servers {
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

  @Override
  public String description() {
    return nginx.description();
  }

  @Override
  public void close() throws IOException {
    nginx.close();
  }
}
