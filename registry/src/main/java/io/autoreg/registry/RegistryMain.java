package io.autoreg.registry;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.autoreg.core.internal.settings.NearestName;
import io.autoreg.core.internal.settings.Setting;
import io.autoreg.core.internal.settings.SettingsException;
import io.autoreg.core.internal.settings.UnknownVariables;
import io.autoreg.registry.log.ActivityLog;
import io.autoreg.registry.log.JsonStderr;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar autoreg-registry.jar [--port N] [--bind ADDR] [--data DIR] [--config FILE] [--log-format F]}.
 * Settings: flags &gt; {@code -Dautoreg.server.*} &gt; {@code AUTOREG_SERVER_*} &gt; the config file &gt; defaults.
 * Every failure to start is one line on stderr: exit 2 for a usage error or a bad setting, 1 when the
 * server cannot start (port in use, data directory not usable).
 */
public final class RegistryMain {
    static final int START_FAILED = 1;
    static final int USAGE = 2;
    private static final String USAGE_LINE =
            "usage: java -jar autoreg-registry.jar [--port N] [--bind ADDR] [--data DIR] [--config FILE] [--log-format text|json] [--help] [--version]";
    /** Held strongly: JUL forgets the level of a logger that is garbage-collected. */
    private static final java.util.logging.Logger[] QUIET_LOGGERS = {
        java.util.logging.Logger.getLogger("io.undertow"),
        java.util.logging.Logger.getLogger("org.xnio"),
        java.util.logging.Logger.getLogger("org.jboss.threads")
    };

    private RegistryMain() {}

    /** Either a running server or the exit code of a command line that ends at once (help, version, an error). */
    record Launch(RegistryServer server, int exitCode) {}

    public static void main(String[] args) {
        for (java.util.logging.Logger logger : QUIET_LOGGERS) {
            logger.setLevel(java.util.logging.Level.WARNING);
        }
        Launch launch = launch(args, System.getenv(), System.getProperties(), System.out, System.err);
        if (launch.server() == null) {
            System.exit(launch.exitCode());
            return;
        }
        RegistryServer server = launch.server();
        if (server.settings().logFormat() == ActivityLog.Format.JSON) {
            // The registry's other stderr lines (warnings, journal failures) in the same JSON Lines shape.
            System.setErr(new JsonStderr(System.err, System::currentTimeMillis));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            System.out.println("autoreg-registry stopped port=" + server.port());
                            System.out.flush();
                            stopped.countDown();
                        },
                        "autoreg-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Launch launch(String[] args, Map<String, String> env, Properties sys, PrintStream out, PrintStream err) {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                out.println(help());
                return new Launch(null, 0);
            }
            if (arg.equals("--version") || arg.equals("-V")) {
                out.println("autoreg-registry " + version());
                return new Launch(null, 0);
            }
        }
        RegistryServer server;
        try {
            server = fromArgs(args, env, sys).build();
        } catch (IllegalArgumentException e) {
            err.println("autoreg-registry: " + e.getMessage() + " (see --help)");
            return new Launch(null, USAGE);
        } catch (SettingsException e) {
            err.println("autoreg-registry: bad setting: " + e.getMessage());
            return new Launch(null, USAGE);
        }
        ServerSettings s = server.settings();
        if (s.logFormat() == ActivityLog.Format.JSON) {
            err = new JsonStderr(err, System::currentTimeMillis);
        }
        for (String warning : unknownVariables(env)) {
            err.println("autoreg-registry: warning: " + warning);
        }
        String dataProblem = dataDirProblem(s.dataDir());
        if (dataProblem != null) {
            err.println("autoreg-registry: " + dataProblem);
            return new Launch(null, START_FAILED);
        }
        try {
            server.start();
        } catch (RuntimeException e) {
            err.println("autoreg-registry: " + startFailure(e, s));
            server.close();
            return new Launch(null, START_FAILED);
        }
        out.println("autoreg-registry started bind=" + s.bind() + " port=" + server.port() + " data="
                + s.dataDir().toAbsolutePath() + " auth=" + s.authMode() + " url=" + server.baseUrl());
        if (s.open()) {
            out.println(
                    "WARNING: autoreg-registry is running OPEN: no users or tokens are configured, so any "
                            + "caller may read and write every tenant. Configure autoreg.server.users or autoreg.server.tokens.");
            if (!isLoopback(s.bind())) {
                out.println(
                        "WARNING: the open registry listens on " + s.bind() + ", beyond this machine. It answers "
                                + "only Host names that are loopback, its own address or listed in autoreg.server.allowed-hosts.");
            }
        }
        out.flush();
        return new Launch(server, 0);
    }

    /** The options that take a value ({@code --help} and {@code --version} are handled before these are parsed). */
    private static final List<String> OPTIONS = List.of("--port", "--bind", "--data", "--config", "--log-format");

    static RegistryServer.Builder fromArgs(String[] args, Map<String, String> env, Properties sys) {
        RegistryServer.Builder builder = RegistryServer.builder();
        Path config = null;
        Config flags = ConfigFactory.empty();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            if (!OPTIONS.contains(name)) {
                // named before its value is looked for: "--bogus" alone is an unknown option, not one missing a value
                String near = NearestName.among(name, OPTIONS, 2);
                throw new IllegalArgumentException(
                        "unknown option " + name + (near == null ? "" : " (did you mean " + near + "?)"));
            }
            String value;
            if (eq > 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("missing value for " + name);
            }
            // every name of OPTIONS has its case: anything else was refused above
            switch (name) {
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
                case "--log-format" ->
                    flags = flags.withValue(
                            "autoreg.server.log-format",
                            ConfigValueFactory.fromAnyRef(value, "command line option --log-format"));
                default -> throw new IllegalStateException(name + " is in OPTIONS without a case here");
            }
        }
        if (config == null && env.get("AUTOREG_SERVER_CONFIG") != null) {
            config = Path.of(env.get("AUTOREG_SERVER_CONFIG"));
        }
        if (config != null && !Files.isRegularFile(config)) {
            throw new IllegalArgumentException("--config file not found: " + config);
        }
        builder.configFile(config);
        return builder.settings(ServerSettings.load(config, flags.withFallback(environment(env, sys))));
    }

    /**
     * {@code AUTOREG_SERVER_<KEY>} for every scalar key {@link ServerSchema} declares (dots and dashes as
     * underscores: {@code AUTOREG_SERVER_DATA_DIR}, {@code AUTOREG_SERVER_QUOTAS_SERVICE}), each value
     * remembering its variable for error messages. A key also given as {@code -Dautoreg.server.*} is left
     * out, so system properties keep their place above the environment.
     */
    static Config environment(Map<String, String> env, Properties sys) {
        Config layer = ConfigFactory.empty();
        for (Setting setting : ServerSchema.SCHEMA) {
            for (String variable : setting.envNames()) {
                String value = env.get(variable);
                if (value != null && sys.getProperty(setting.path()) == null) {
                    layer = layer.withValue(
                            setting.path(), ConfigValueFactory.fromAnyRef(value, "environment variable " + variable));
                }
            }
        }
        return layer;
    }

    /**
     * The registry's own variables ({@code AUTOREG_SERVER_*}) that no server setting reads: a misspelt one
     * ({@code AUTOREG_SERVER_PROT}) would leave its default in force without a word. A warning, not a refusal as an
     * unknown key in the file is: a container's environment may hold another version's variables. The other
     * {@code AUTOREG_*} variables are the agent's and the sidecar's, not the registry's to judge.
     */
    static List<String> unknownVariables(Map<String, String> env) {
        List<String> own = new ArrayList<>();
        for (String name : env.keySet()) {
            if (name.startsWith("AUTOREG_SERVER_")) {
                own.add(name);
            }
        }
        return own.isEmpty() ? List.of() : UnknownVariables.warnings(own, ServerSchema.SCHEMA, "server");
    }

    /** Null when the data directory can be used; else why not, in one line. */
    static String dataDirProblem(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return "data directory " + dir.toAbsolutePath() + " is not a directory (--data or AUTOREG_SERVER_DATA_DIR)";
        }
        if (Files.isDirectory(dir) && (!Files.isReadable(dir) || !Files.isWritable(dir) || !Files.isExecutable(dir))) {
            return "data directory " + dir.toAbsolutePath() + " is not readable and writable by this user";
        }
        return null;
    }

    /** The root cause of a failed start, said the way an operator acts on it. */
    static String startFailure(Throwable e, ServerSettings s) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return "cannot listen on " + s.bind() + ":" + s.port() + ": " + cause.getMessage() + " ("
                        + bindHint(cause.getMessage(), s) + ")";
            }
            if (cause instanceof AccessDeniedException denied) {
                return "data directory " + s.dataDir().toAbsolutePath() + " is not usable: permission denied on "
                        + denied.getFile();
            }
            if (cause instanceof FileSystemException fs) {
                // NoSuchFileException and its kind carry no reason: their class is it
                String reason = fs.getReason() != null
                        ? fs.getReason()
                        : fs instanceof java.nio.file.NoSuchFileException
                                ? "no such file or directory"
                                : fs.getClass().getSimpleName();
                return "data directory " + s.dataDir().toAbsolutePath() + " is not usable: " + fs.getFile() + ": "
                        + reason;
            }
        }
        if (e instanceof java.io.UncheckedIOException) {
            // The store's refusals (damaged journal or snapshot, data dir in use, no room) already say it in one line.
            return e.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return "cannot start: " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /**
     * What to do about a listen that failed, by the kernel's reason as the JDK words it: the address is not this
     * machine's (EADDRNOTAVAIL), the port is privileged (EACCES), or — the usual — another process has it.
     */
    private static String bindHint(String message, ServerSettings s) {
        String reason = message == null ? "" : message;
        if (reason.contains("Cannot assign requested address")) {
            return s.bind() + " is not an address of this machine: choose one with --bind or AUTOREG_SERVER_BIND"
                    + " (0.0.0.0 for all of them)";
        }
        if (reason.contains("Permission denied")) {
            return "ports below 1024 need root or CAP_NET_BIND_SERVICE: choose another with --port or"
                    + " AUTOREG_SERVER_PORT";
        }
        return "another process has the port? choose one with --port or AUTOREG_SERVER_PORT";
    }

    static String version() {
        String version = RegistryMain.class.getPackage().getImplementationVersion();
        return version == null ? "unknown (not run from the jar)" : version;
    }

    private static String help() {
        return String.join(
                "\n",
                USAGE_LINE,
                "",
                "The autoreg registry server: the Service Registry API (/v1.0), its token endpoint (/v2.0/tokens), the",
                "Registro dialect, a dashboard at /, /healthz and /metrics.",
                "",
                "  --port N       listen port, 0 for any free one (default 8870; AUTOREG_SERVER_PORT)",
                "  --bind ADDR    listen address (default 127.0.0.1; AUTOREG_SERVER_BIND)",
                "  --data DIR     journal and snapshots (default ./autoreg-data; AUTOREG_SERVER_DATA_DIR)",
                "  --config FILE  HOCON file with autoreg.server { users, tokens, quotas, ... } (AUTOREG_SERVER_CONFIG)",
                "  --log-format F text (default) or json: JSON Lines with time, level, logger, message; one line per",
                "                 registration, deregistration, expiry and auth failure (AUTOREG_SERVER_LOG_FORMAT)",
                "  -h, --help     this text;  -V, --version  the version",
                "",
                "Every scalar key of autoreg.server has its variable: AUTOREG_SERVER_ and the key in upper case, dots and",
                "dashes as underscores (AUTOREG_SERVER_QUOTAS_SERVICE, AUTOREG_SERVER_EVENTS_RETENTION, ...).",
                "Precedence: flags > -Dautoreg.server.* > AUTOREG_SERVER_* > --config file > defaults.",
                "Exit: 0 after a clean stop (SIGTERM), 1 cannot start (port in use, data directory), 2 usage or bad setting.");
    }

    private static boolean isLoopback(String bind) {
        return bind.equals("localhost") || bind.startsWith("127.") || bind.equals("::1") || bind.equals("[::1]");
    }
}
