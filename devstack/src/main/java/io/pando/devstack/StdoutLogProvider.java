package io.pando.devstack;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * A minimal SLF4J provider that prints to stdout. It is deliberately not registered as a service,
 * so it never competes with an application's own binding; select it with
 * {@code -Dslf4j.provider=io.pando.devstack.StdoutLogProvider}. The Kafka child JVM uses it, so
 * broker logs land in the broker's log file. The threshold comes from
 * {@code -Dpando.devstack.log.level} (default {@code INFO}).
 */
public final class StdoutLogProvider implements SLF4JServiceProvider {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
  private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, PrintLogger::new);
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new BasicMDCAdapter();

  /** Creates the provider; SLF4J calls this reflectively. */
  public StdoutLogProvider() {}

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
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

  static Level threshold() {
    String v = System.getProperty("pando.devstack.log.level", "INFO").trim().toUpperCase(Locale.ROOT);
    try {
      return Level.valueOf(v);
    } catch (IllegalArgumentException e) {
      return Level.INFO;
    }
  }

  private static final class PrintLogger extends AbstractLogger {
    private static final long serialVersionUID = 1L;
    private final int threshold = threshold().toInt();

    PrintLogger(String name) {
      this.name = name;
    }

    private boolean on(Level level) {
      return level.toInt() >= threshold;
    }

    @Override
    public boolean isTraceEnabled() {
      return on(Level.TRACE);
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
      return on(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
      return on(Level.DEBUG);
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
      return on(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
      return on(Level.INFO);
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
      return on(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
      return on(Level.WARN);
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
      return on(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
      return on(Level.ERROR);
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
      return on(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String msg, Object[] args, Throwable t) {
      String text = MessageFormatter.basicArrayFormat(msg, args);
      PrintStream out = System.out;
      synchronized (out) {
        out.println(LocalDateTime.now().format(TIME) + " " + level + " [" + Thread.currentThread().getName()
            + "] " + name + " - " + text);
        if (t != null) {
          t.printStackTrace(out);
        }
      }
    }
  }
}
