package io.autoreg.registry;

import io.autoreg.core.settings.SettingsException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar autoreg-registry.jar --port N [--bind ADDR] [--data DIR] [--config FILE]}. */
public final class RegistryMain {
  /** Held strongly: JUL forgets the level of a logger that is garbage-collected. */
  private static final java.util.logging.Logger[] QUIET_LOGGERS = {
      java.util.logging.Logger.getLogger("io.undertow"), java.util.logging.Logger.getLogger("org.xnio"),
      java.util.logging.Logger.getLogger("org.jboss.threads")};

  private RegistryMain() {}

  public static void main(String[] args) {
    for (java.util.logging.Logger logger : QUIET_LOGGERS) {
      logger.setLevel(java.util.logging.Level.WARNING);
    }
    RegistryServer server;
    try {
      server = fromArgs(args).build();
    } catch (IllegalArgumentException | SettingsException e) {
      System.err.println("autoreg-registry: " + e.getMessage());
      System.err.println("usage: java -jar autoreg-registry.jar [--port N] [--bind ADDR] [--data DIR] [--config FILE]");
      System.exit(2);
      return;
    }
    server.start();
    ServerSettings s = server.settings();
    System.out.println("autoreg-registry started bind=" + s.bind() + " port=" + server.port() + " data="
        + s.dataDir().toAbsolutePath() + " auth=" + s.authMode() + " url=" + server.baseUrl());
    if (s.open()) {
      System.out.println("WARNING: autoreg-registry is running OPEN: no users or tokens are configured, so any "
          + "caller may read and write every tenant. Configure autoreg.server.users or autoreg.server.tokens.");
      if (!isLoopback(s.bind())) {
        System.out.println("WARNING: the open registry listens on " + s.bind() + ", beyond this machine. It answers "
            + "only Host names that are loopback, its own address or listed in autoreg.server.allowed-hosts.");
      }
    }
    System.out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      System.out.println("autoreg-registry stopped port=" + server.port());
      System.out.flush();
      stopped.countDown();
    }, "autoreg-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static RegistryServer.Builder fromArgs(String[] args) {
    RegistryServer.Builder builder = RegistryServer.builder();
    Path config = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("missing value for " + arg);
      }
      switch (arg) {
        case "--port" -> {
          try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
              throw new NumberFormatException();
            }
            builder.port(port);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be 0..65535, was " + value);
          }
        }
        case "--bind" -> builder.bind(value);
        case "--data" -> builder.dataDir(Path.of(value));
        case "--config" -> config = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    if (config != null) {
      if (!config.toFile().isFile()) {
        throw new IllegalArgumentException("--config file not found: " + config);
      }
      builder.configFile(config);
    }
    return builder;
  }

  private static boolean isLoopback(String bind) {
    return bind.equals("localhost") || bind.startsWith("127.") || bind.equals("::1") || bind.equals("[::1]");
  }
}
