package io.graphsync.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.app.backfill.BackfillProperties;
import io.graphsync.app.backflow.BackflowProperties;
import io.graphsync.app.encryption.PayloadEncryptionProperties;
import io.graphsync.app.neo4j.Neo4jTargetProperties;
import io.graphsync.app.postgres.PostgresRoleProperties;
import io.graphsync.app.reconcile.ReconciliationProperties;
import io.graphsync.app.resolve.ResolveProperties;
import io.graphsync.app.retention.RetentionProperties;
import io.graphsync.app.sync.CaptureProperties;
import io.graphsync.app.sync.SyncWorkflowProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.unit.DataSize;

/**
 * application.yml and the properties records: every default in one place (the records), and the documented
 * {@code GRAPHSYNC_*} environment variables still reaching their properties.
 */
class ApplicationPropertiesTest {

  private static final List<Class<?>> RECORDS = List.of(GraphsyncProperties.class, SyncWorkflowProperties.class,
      BackfillProperties.class, BackflowProperties.class, ReconciliationProperties.class, ResolveProperties.class,
      RetentionProperties.class, PayloadEncryptionProperties.class, Neo4jTargetProperties.class);

  @Test
  void givenNoEnvironment_whenApplicationYmlIsBound_itKeepsEveryRecordsDefault() throws IOException {
    Binder yml = binder(Map.of());
    Binder nothing = new Binder();

    // an environment variable bound with an empty fallback leaves a String empty: the same as unset
    BiPredicate<String, String> sameText = (a, b) -> Objects.equals(a == null ? "" : a, b == null ? "" : b);
    for (Class<?> type : RECORDS) {
      assertThat(bind(yml, type)).as(type.getSimpleName()).usingRecursiveComparison()
          .withEqualsForType(sameText, String.class).isEqualTo(bind(nothing, type));
    }
    CaptureProperties capture = bind(yml, CaptureProperties.class);
    assertThat(capture).usingRecursiveComparison().ignoringFields("lanes")
        .isEqualTo(bind(nothing, CaptureProperties.class));
    assertThat(capture.lanes()).singleElement().satisfies(lane -> {
      assertThat(lane.taskQueue()).isEqualTo("sync-critical");
      assertThat(lane.tables()).containsExactly("tenants");
    });
    assertThat(bind(yml, PostgresRoleProperties.class)).usingRecursiveComparison()
        .withEqualsForType(sameText, String.class).isEqualTo(bind(nothing, PostgresRoleProperties.class));
    assertThat(bind(yml, GraphsyncProperties.class).mappingLocation()).isEqualTo("classpath:mapping/contextnexus.yml");
    assertThat(bind(yml, PayloadEncryptionProperties.class).enabled()).isTrue();
    assertThat(bind(yml, SyncWorkflowProperties.class).retryWindow()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void givenTheDocumentedEnvironmentVariables_whenBound_theyReachTheirProperties() throws IOException {
    Binder binder = binder(Map.ofEntries(
        Map.entry("GRAPHSYNC_MAPPING", "file:/etc/graphsync/mapping.yml"),
        Map.entry("GRAPHSYNC_SAMPLE_SCHEMA", "false"),
        Map.entry("GRAPHSYNC_CAPTURE_ENABLED", "false"),
        Map.entry("GRAPHSYNC_CAPTURE_SLOT_NAME", "other_slot"),
        Map.entry("GRAPHSYNC_CAPTURE_MAX_PAYLOAD_BYTES", "64KB"),
        Map.entry("GRAPHSYNC_CAPTURE_GROUPING", "false"),
        Map.entry("GRAPHSYNC_CAPTURE_MAX_IN_FLIGHT", "100"),
        Map.entry("GRAPHSYNC_CAPTURE_STALL_TIMEOUT", "2m"),
        Map.entry("GRAPHSYNC_CAPTURE_RETAINED_WAL_WARNING", "2GB"),
        Map.entry("GRAPHSYNC_CRITICAL_TABLES", "users"),
        Map.entry("GRAPHSYNC_SYNC_RETRY_WINDOW", "5m"),
        Map.entry("GRAPHSYNC_SYNC_DECISION_TIMEOUT", "1d"),
        Map.entry("GRAPHSYNC_SYNC_SUPERSEDED_CHECK", "30s"),
        Map.entry("GRAPHSYNC_RECONCILIATION_INTERVAL", "2h"),
        Map.entry("GRAPHSYNC_RECONCILIATION_PAUSED", "true"),
        Map.entry("GRAPHSYNC_RECONCILIATION_SCHEDULE_ENABLED", "false"),
        Map.entry("GRAPHSYNC_RECONCILIATION_TENANT_ID", "t-1"),
        Map.entry("GRAPHSYNC_RETENTION_INTERVAL", "12h"),
        Map.entry("GRAPHSYNC_RETENTION_FINDINGS", "0"),
        Map.entry("GRAPHSYNC_RETENTION_REJECTS", "7d"),
        Map.entry("GRAPHSYNC_RETENTION_CONFLICT_AUDIT", "730d"),
        Map.entry("GRAPHSYNC_BACKFLOW_POLLER_ENABLED", "false"),
        Map.entry("GRAPHSYNC_BACKFLOW_POLL_INTERVAL", "1s"),
        Map.entry("GRAPHSYNC_BACKFILL_PAGE_SIZE", "250"),
        Map.entry("GRAPHSYNC_RESOLVE_REMIND_AFTER", "1h"),
        Map.entry("GRAPHSYNC_PAYLOAD_ENCRYPTION", "false"),
        Map.entry("GRAPHSYNC_PAYLOAD_KEYS", "/k/a,/k/b"),
        Map.entry("GRAPHSYNC_PAYLOAD_ACTIVE_KEY", "b"),
        Map.entry("GRAPHSYNC_PG_MIGRATION_USER", "migrator"),
        Map.entry("GRAPHSYNC_PG_CAPTURE_USER", "capturer"),
        Map.entry("GRAPHSYNC_PG_RUNTIME_WRITABLE_TABLES", ""),
        Map.entry("GRAPHSYNC_NEO4J_DATABASE", "graph")));

    GraphsyncProperties graphsync = bind(binder, GraphsyncProperties.class);
    assertThat(graphsync.mappingLocation()).isEqualTo("file:/etc/graphsync/mapping.yml");
    assertThat(graphsync.sampleSchema()).isFalse();
    CaptureProperties capture = bind(binder, CaptureProperties.class);
    assertThat(capture.enabled()).isFalse();
    assertThat(capture.slotName()).isEqualTo("other_slot");
    assertThat(capture.maxPayloadBytes()).isEqualTo(DataSize.ofKilobytes(64));
    assertThat(capture.grouping().enabled()).isFalse();
    assertThat(capture.grouping().maxInFlight()).isEqualTo(100);
    assertThat(capture.stallTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(capture.retainedWalWarning()).isEqualTo(DataSize.ofGigabytes(2));
    assertThat(capture.lanes()).singleElement().extracting(CaptureProperties.Lane::tables).asList()
        .containsExactly("users");
    assertThat(bind(binder, SyncWorkflowProperties.class)).isEqualTo(new SyncWorkflowProperties(Duration.ofMinutes(5),
        Duration.ofDays(1), Duration.ofSeconds(30)));
    ReconciliationProperties reconciliation = bind(binder, ReconciliationProperties.class);
    assertThat(reconciliation.interval()).isEqualTo(Duration.ofHours(2));
    assertThat(reconciliation.paused()).isTrue();
    assertThat(reconciliation.scheduleEnabled()).isFalse();
    assertThat(reconciliation.tenantId()).isEqualTo("t-1");
    RetentionProperties retention = bind(binder, RetentionProperties.class);
    assertThat(retention.interval()).isEqualTo(Duration.ofHours(12));
    assertThat(retention.findings()).isZero();
    assertThat(retention.rejects()).isEqualTo(Duration.ofDays(7));
    assertThat(retention.conflictAudit()).isEqualTo(Duration.ofDays(730));
    assertThat(bind(binder, BackflowProperties.class))
        .isEqualTo(new BackflowProperties(false, Duration.ofSeconds(1), Map.of()));
    assertThat(bind(binder, BackfillProperties.class).pageSize()).isEqualTo(250);
    assertThat(bind(binder, ResolveProperties.class).remindAfter()).isEqualTo(Duration.ofHours(1));
    PayloadEncryptionProperties encryption = bind(binder, PayloadEncryptionProperties.class);
    assertThat(encryption.enabled()).isFalse();
    assertThat(encryption.keyFiles()).extracting(Object::toString).containsExactly("/k/a", "/k/b");
    assertThat(encryption.activeKeyId()).isEqualTo("b");
    PostgresRoleProperties roles = bind(binder, PostgresRoleProperties.class);
    assertThat(roles.migration().username()).isEqualTo("migrator");
    assertThat(roles.capture().username()).isEqualTo("capturer");
    assertThat(roles.runtimeWritableTables()).isEmpty();
    assertThat(bind(binder, Neo4jTargetProperties.class).database()).isEqualTo("graph");
  }

  private static Binder binder(Map<String, Object> environmentVariables) throws IOException {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environmentVariables));
    new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
        .forEach(environment.getPropertySources()::addLast);
    return new Binder(ConfigurationPropertySources.get(environment),
        new PropertySourcesPlaceholdersResolver(environment));
  }

  private static <T> T bind(Binder binder, Class<T> type) {
    String prefix = type.getAnnotation(ConfigurationProperties.class).value();
    return binder.bindOrCreate(prefix, Bindable.of(type));
  }
}
