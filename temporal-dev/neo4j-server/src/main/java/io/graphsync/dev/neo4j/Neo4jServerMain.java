package io.graphsync.dev.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Runs a Neo4j 5 community DBMS (embedded API) with only the Bolt connector, bound to 127.0.0.1.
 *
 * <pre>
 * --bolt-port N       (required) Bolt port on 127.0.0.1
 * --data-dir DIR      (required) Neo4j home; the database lives in DIR/data and survives restarts
 * --password P        (required, min 8 chars) password for user neo4j, set on every start
 * --page-cache SIZE   page cache size, e.g. 64m, 1g (default 128m)
 * --watch-stdin       shut down when stdin reaches EOF (dies with the parent process)
 * </pre>
 *
 * <p>Stdout carries exactly one line, {@code NEO4J READY bolt://127.0.0.1:N}, once Bolt accepts
 * connections. Failures print one {@code NEO4J FAILED: ...} line to stderr and exit non-zero
 * (2 for bad arguments, 1 for startup failures). Neo4j's own logs go to DIR/logs.
 */
public final class Neo4jServerMain {

    private static final String HOST = "127.0.0.1";
    private static final int MIN_PASSWORD_LENGTH = 8;
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

    private static final String USAGE = "usage: Neo4jServerMain --bolt-port N --data-dir DIR --password P"
            + " [--page-cache SIZE (default 128m)] [--watch-stdin]";

    /** Guards {@link #service}; the shutdown hook waits on it so a SIGTERM during startup still shuts down cleanly. */
    private static final Object LIFECYCLE_LOCK = new Object();
    private static DatabaseManagementService service;
    private static volatile boolean shuttingDown;
    private static final CountDownLatch STOPPED = new CountDownLatch(1);

    private Neo4jServerMain() {
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("NEO4J FAILED: invalid arguments: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }

        try {
            run(options);
        } catch (Throwable t) {
            if (shuttingDown) {
                // SIGTERM / stdin EOF arrived while starting: the failure is just the consequence.
                return;
            }
            fail(options, t);
        }
    }

    private static void run(Options options) throws Exception {
        long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
        Path home = options.dataDir.toAbsolutePath().normalize();
        Files.createDirectories(home);

        // Fail fast with a clear message instead of waiting for the whole DBMS to start and then fail.
        // (Neo4j's own bind failure below is still handled: this check is only best effort.)
        ensurePortFree(options.boltPort);

        Runtime.getRuntime().addShutdownHook(new Thread(Neo4jServerMain::shutdown, "neo4j-server-shutdown"));
        if (options.watchStdin) {
            // Started before the DBMS so that a parent dying during startup also stops us.
            Thread watcher = new Thread(Neo4jServerMain::watchStdin, "neo4j-server-stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }

        long buildStart = System.currentTimeMillis();

        synchronized (LIFECYCLE_LOCK) {
            if (shuttingDown) {
                return;
            }
            service = newBuilder(home, options).build();
        }

        GraphDatabaseService system = service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        GraphDatabaseService neo4j = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        awaitAvailable(system);
        awaitAvailable(neo4j);
        long passwordStart = System.currentTimeMillis();

        setPassword(system, options.password);
        awaitBoltAccepting(options.boltPort);
        long readyAt = System.currentTimeMillis();

        System.out.println("NEO4J READY bolt://" + HOST + ":" + options.boltPort);
        System.out.flush();
        System.err.println("neo4j-server: ready " + (readyAt - jvmStartMillis) + " ms after JVM start (JVM+setup "
                + (buildStart - jvmStartMillis) + " ms, DBMS start " + (passwordStart - buildStart)
                + " ms, password/Cypher warm-up " + (readyAt - passwordStart) + " ms); logs in "
                + home.resolve("logs"));
        // Keep the main thread alive until the shutdown hook has stopped the DBMS.
        STOPPED.await();
    }

    private static DatabaseManagementServiceBuilder newBuilder(Path home, Options options) {
        return new DatabaseManagementServiceBuilder(home)
                // Network: Bolt only, loopback only, plain text (dev/test use).
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(HOST))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, options.boltPort))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, options.boltPort))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                // Server-side routing connector would open a second port (default 7688); not needed.
                .setConfig(GraphDatabaseSettings.routing_enabled, false)
                // Security: real authentication, but no lock-out so "wrong password" tests
                // cannot lock the neo4j user out for the following connections.
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.auth_minimum_password_length, MIN_PASSWORD_LENGTH)
                .setConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
                // Small footprint.
                .setConfig(GraphDatabaseSettings.pagecache_memory, options.pageCacheBytes)
                .setConfig(GraphDatabaseSettings.pagecache_warmup_enabled, false)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "1 files")
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(16))
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.query_cache_size, 100)
                .setConfig(GraphDatabaseSettings.filewatcher_enabled, false)
                // Closed network: nothing may phone home.
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Make SIGTERM fast: don't wait long for open transactions, and don't let the Bolt
                // server idle for its default 5s grace period (internal settings, no public equivalent).
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(2))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1));
    }

    private static void awaitAvailable(GraphDatabaseService db) {
        if (!db.isAvailable(STARTUP_TIMEOUT.toMillis())) {
            throw new IllegalStateException("database '" + db.databaseName() + "' did not become available within "
                    + STARTUP_TIMEOUT.toSeconds() + "s");
        }
    }

    /**
     * Sets the password of the built-in {@code neo4j} user on every start, so it works both on a fresh
     * data dir (where the user still has the default password with "change required") and on a restart,
     * possibly with a different password. Embedded transactions run with full privileges, so admin
     * commands on the system database need no login.
     */
    private static void setPassword(GraphDatabaseService system, String password) {
        system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
        try {
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD $password", Map.of("password", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to its current value: that means it is already set.
            if (!isSamePasswordError(e)) {
                throw e;
            }
        }
    }

    private static boolean isSamePasswordError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String message = c.getMessage();
            if (message != null && message.contains("Old password and new password cannot be the same")) {
                return true;
            }
        }
        return false;
    }

    private static void ensurePortFree(int port) throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (IOException e) {
            throw new IOException("Bolt port " + HOST + ":" + port + " is not available (" + e.getMessage() + ")", e);
        }
    }

    private static void awaitBoltAccepting(int port) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getByName(HOST), port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("Bolt connector is not accepting connections on " + HOST + ":" + port, e);
                }
                Thread.sleep(50);
            }
        }
    }

    private static void watchStdin() {
        try {
            InputStream in = System.in;
            byte[] buffer = new byte[256];
            while (in.read(buffer) >= 0) {
                // discard; only EOF matters
            }
        } catch (IOException ignored) {
            // a broken stdin counts as EOF
        }
        System.err.println("neo4j-server: stdin closed, shutting down");
        System.exit(0);
    }

    private static void shutdown() {
        synchronized (LIFECYCLE_LOCK) {
            shuttingDown = true;
            DatabaseManagementService s = service;
            service = null;
            if (s != null) {
                long start = System.nanoTime();
                try {
                    s.shutdown();
                    System.err.println("neo4j-server: stopped in "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
                } catch (Throwable t) {
                    System.err.println("neo4j-server: error during shutdown: " + t);
                }
            }
        }
        STOPPED.countDown();
    }

    private static void fail(Options options, Throwable t) {
        String detail = describe(t);
        Path report = writeFailureReport(options, t);
        System.err.println("NEO4J FAILED: " + detail + (report != null ? " (stack trace: " + report + ")" : ""));
        System.err.flush();
        // The shutdown hook (if registered) stops anything that was partially started.
        System.exit(1);
    }

    /** One line: the outermost message plus the root cause, which usually names the real problem. */
    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String outer = t.getClass().getSimpleName() + ": " + t.getMessage();
        String line = root == t ? outer
                : outer + " | caused by " + root.getClass().getSimpleName() + ": " + root.getMessage();
        return line.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    private static Path writeFailureReport(Options options, Throwable t) {
        try {
            Path dir = options.dataDir.toAbsolutePath().normalize().resolve("logs");
            Files.createDirectories(dir);
            Path file = dir.resolve("neo4j-server-startup-failure.log");
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            Files.writeString(file, trace.toString(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Hand-parsed command line. */
    static final class Options {
        int boltPort = -1;
        Path dataDir;
        String password;
        long pageCacheBytes = ByteUnit.mebiBytes(128);
        boolean watchStdin;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--bolt-port" -> o.boltPort = parsePort(value(args, ++i, arg));
                    case "--data-dir" -> o.dataDir = Path.of(value(args, ++i, arg));
                    case "--password" -> o.password = value(args, ++i, arg);
                    case "--page-cache" -> o.pageCacheBytes = parseSize(value(args, ++i, arg));
                    case "--watch-stdin" -> o.watchStdin = true;
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
            }
            if (o.boltPort < 0) {
                throw new IllegalArgumentException("--bolt-port is required");
            }
            if (o.dataDir == null) {
                throw new IllegalArgumentException("--data-dir is required");
            }
            if (o.password == null) {
                throw new IllegalArgumentException("--password is required");
            }
            if (o.password.length() < MIN_PASSWORD_LENGTH) {
                throw new IllegalArgumentException(
                        "--password must be at least " + MIN_PASSWORD_LENGTH + " characters");
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int parsePort(String s) {
            try {
                int port = Integer.parseInt(s);
                if (port >= 1 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException ignored) {
                // fall through
            }
            throw new IllegalArgumentException("--bolt-port must be a number in 1..65535, got '" + s + "'");
        }

        private static long parseSize(String s) {
            long bytes;
            try {
                bytes = ByteUnit.parse(s);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--page-cache must be a size like 64m or 1g, got '" + s + "'");
            }
            if (bytes < ByteUnit.mebiBytes(1)) {
                throw new IllegalArgumentException("--page-cache must be at least 1m, got '" + s + "'");
            }
            return bytes;
        }
    }
}
