// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.HttpConnection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * A test-only SLF4J backend (named by the {@code slf4j.provider} system property in this module's
 * POM): every level enabled, every line kept with the connection id the MDC held when it was
 * logged.
 */
@SuppressWarnings("exports") // a test-only backend: SLF4J types are its whole point
public final class CapturingLogProvider implements SLF4JServiceProvider {
  /** The lines logged so far, in order, by every thread. */
  static final List<Line> LINES = new CopyOnWriteArrayList<>();

  private final MDCAdapter mdc = new BasicMDCAdapter();
  private final IMarkerFactory markers = new BasicMarkerFactory();

  /** One line: the logger's name, the formatted message, and the MDC's connection id or null. */
  record Line(String logger, String message, String connectionId) {}

  /** Created by SLF4J. */
  public CapturingLogProvider() {}

  @Override
  public ILoggerFactory getLoggerFactory() {
    return CapturingLogger::new;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    CapturingLogger(String name) {
      this.name = name;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] args, Throwable throwable) {
      String message = MessageFormatter.basicArrayFormat(pattern, args);
      LINES.add(new Line(name, message, MDC.get(HttpConnection.LOG_CONTEXT_KEY)));
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }
  }
}
