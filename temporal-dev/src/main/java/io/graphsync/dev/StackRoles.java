package io.graphsync.dev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * graphsync's least-privilege PostgreSQL roles in the stack's database (docs/security.md): {@code graphsync_migrate},
 * {@code graphsync_capture}, {@code graphsync_runtime}, made by the project's roles script
 * ({@code activities/src/main/resources/db/roles/graphsync-roles.sql}) as the cluster's superuser. Their passwords
 * are generated on the first {@code up} and kept in {@code .data/credentials/postgres-roles.env} (mode 600), which
 * {@code temporal-dev/bin/run} reads into worker-app's environment. Every {@code up} runs the script and sets the
 * passwords again (idempotent), so a cluster made afresh gets the same ones.
 */
final class StackRoles {

  static final String SCRIPT = "activities/src/main/resources/db/roles/graphsync-roles.sql";
  static final String ROLES = "graphsync_migrate, graphsync_capture, graphsync_runtime";

  /**
   * A stack made before the roles existed was migrated by the superuser: its objects (graphsync's schema, the sample
   * tables, the migration history, the publication) go to the migrating role, which owns them from then on. Only
   * objects the superuser owns in schemas public and graphsync, in the stack's own database.
   */
  static final String ADOPT = """
      DO $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname IN ('public', 'graphsync') AND c.relkind IN ('r', 'p', 'v', 'm')
                   AND c.relowner = current_user::regrole LOOP
          EXECUTE format('ALTER TABLE %I.%I OWNER TO graphsync_migrate', r.nspname, r.relname);
        END LOOP;
        FOR r IN SELECT p.oid::regprocedure AS f FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = 'graphsync' AND p.proowner = current_user::regrole LOOP
          EXECUTE format('ALTER FUNCTION %s OWNER TO graphsync_migrate', r.f);
        END LOOP;
        IF EXISTS (SELECT FROM pg_namespace WHERE nspname = 'graphsync' AND nspowner = current_user::regrole) THEN
          ALTER SCHEMA graphsync OWNER TO graphsync_migrate;
        END IF;
        FOR r IN SELECT pubname FROM pg_publication WHERE pubowner = current_user::regrole AND NOT puballtables LOOP
          EXECUTE format('ALTER PUBLICATION %I OWNER TO graphsync_migrate', r.pubname);
        END LOOP;
      END
      $$;
      """;

  private final ProjectLayout layout;
  private final PostgresServer postgres;

  StackRoles(ProjectLayout layout, PostgresServer postgres) {
    this.layout = layout;
    this.postgres = postgres;
  }

  Path credentialsFile() {
    return layout.dataDir().resolve("credentials/postgres-roles.env");
  }

  /** Creates or updates the roles and their passwords; returns the credentials file. */
  Path ensure() {
    Map<String, String> credentials = loadOrGenerate();
    psqlFile(layout.root().resolve(SCRIPT), "the roles script " + SCRIPT);
    StringBuilder passwords = new StringBuilder();
    passwords.append(ADOPT);
    passwords.append("ALTER ROLE graphsync_migrate PASSWORD '")
        .append(credentials.get("GRAPHSYNC_PG_MIGRATION_PASSWORD")).append("';\n");
    passwords.append("ALTER ROLE graphsync_capture PASSWORD '")
        .append(credentials.get("GRAPHSYNC_PG_CAPTURE_PASSWORD")).append("';\n");
    passwords.append("ALTER ROLE graphsync_runtime PASSWORD '")
        .append(credentials.get("SPRING_DATASOURCE_PASSWORD")).append("';\n");
    Path sql = secretFile(layout.dataDir().resolve("credentials/.set-passwords.sql"), passwords.toString());
    try {
      psqlFile(sql, "setting the roles' passwords (and handing a pre-roles stack's objects to graphsync_migrate)");
    } finally {
      try {
        Files.deleteIfExists(sql);
      } catch (IOException ignored) {
        // inside .data/credentials, mode 600
      }
    }
    return credentialsFile();
  }

  private Map<String, String> loadOrGenerate() {
    Path file = credentialsFile();
    if (Files.isRegularFile(file)) {
      Properties existing = new Properties();
      try (var reader = Files.newBufferedReader(file)) {
        existing.load(reader);
      } catch (IOException e) {
        throw new DevStackException("cannot read " + file + ": " + e.getMessage(), e);
      }
      Map<String, String> credentials = new LinkedHashMap<>();
      existing.stringPropertyNames().forEach(name -> credentials.put(name, existing.getProperty(name)));
      if (credentials.keySet().containsAll(List.of("SPRING_DATASOURCE_PASSWORD", "GRAPHSYNC_PG_MIGRATION_PASSWORD",
          "GRAPHSYNC_PG_CAPTURE_PASSWORD"))) {
        return credentials;
      }
    }
    Map<String, String> credentials = new LinkedHashMap<>();
    credentials.put("SPRING_DATASOURCE_USERNAME", "graphsync_runtime");
    credentials.put("SPRING_DATASOURCE_PASSWORD", generate());
    credentials.put("GRAPHSYNC_PG_MIGRATION_USER", "graphsync_migrate");
    credentials.put("GRAPHSYNC_PG_MIGRATION_PASSWORD", generate());
    credentials.put("GRAPHSYNC_PG_CAPTURE_USER", "graphsync_capture");
    credentials.put("GRAPHSYNC_PG_CAPTURE_PASSWORD", generate());
    credentials.put("GRAPHSYNC_PG_PUBLICATION_ROLE", "graphsync_migrate");
    StringBuilder env = new StringBuilder("# graphsync's PostgreSQL roles in the local stack, generated by "
        + "'temporal-dev/bin/stack up'; temporal-dev/bin/run passes them to worker-app (docs/security.md)\n");
    credentials.forEach((name, value) -> env.append(name).append('=').append(value).append('\n'));
    secretFile(file, env.toString());
    return credentials;
  }

  private static String generate() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static Path secretFile(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, content, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new DevStackException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private void psqlFile(Path sql, String what) {
    PostgresServer.Settings settings = postgres.settings();
    Processes.runOrFail(List.of(PostgresServer.findBinDir().resolve("psql").toString(),
            "-h", "127.0.0.1", "-p", Integer.toString(settings.port()), "-U", settings.user(),
            "-d", settings.database(), "-v", "ON_ERROR_STOP=1", "-q", "-f", sql.toString()),
        Map.of("PGPASSWORD", settings.password()), Duration.ofSeconds(60), what);
  }
}
