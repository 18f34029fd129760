package io.graphsync.app;

import io.graphsync.dev.Neo4jServer;
import io.graphsync.dev.PayloadKeyFile;
import io.graphsync.dev.PostgresServer;
import io.graphsync.dev.TemporalDevServer;
import io.graphsync.testing.GraphsyncStack;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points worker-app at the shared real servers of the test harness (a {@code @DynamicPropertySource} is static:
 * it takes them from {@link GraphsyncStack#shared()}, the instance the extension injects from). Every Spring test uses
 * exactly these properties, so they share one application context and one capture (one replication slot, one lease).
 */
final class StackTestSupport {

  /** The one tenant scheduled reconciliation looks at in the tests. */
  static final String RECONCILED_TENANT = "5c4ed01e-0000-4000-8000-000000000001";

  private StackTestSupport() {}

  static void register(DynamicPropertyRegistry registry) {
    GraphsyncStack stack = GraphsyncStack.shared();
    PostgresServer postgres = stack.postgres();
    Neo4jServer neo4j = stack.neo4j();
    TemporalDevServer temporal = stack.temporal();
    registry.add("spring.datasource.url", postgres::jdbcUrl);
    registry.add("spring.datasource.username", () -> postgres.settings().user());
    registry.add("spring.datasource.password", () -> postgres.settings().password());
    registry.add("spring.neo4j.uri", neo4j::boltUri);
    registry.add("spring.neo4j.authentication.password", neo4j::password);
    registry.add("spring.temporal.connection.target", temporal::address);
    registry.add("graphsync.security.payload-encryption.key-files", () -> PayloadKeyFile.forTests().toString());
    // a FAILED sync looks for a newer change of its entity after 30 s instead of a minute: the supersession test
    // waits for it, and the operator tests act well within it
    registry.add("graphsync.sync.superseded-check", () -> "30s");
    // scheduled reconciliation runs only over the tenant that ReconciliationEndToEndIT owns, with a short grace:
    // other tests' rows (in flight, or FAILED on purpose) are not its business
    registry.add("graphsync.reconciliation.tenant-id", () -> RECONCILED_TENANT);
    registry.add("graphsync.reconciliation.grace", () -> "3s");
    TestCredentials.register(registry);
    // the back-flow's poller looks every second (BackflowEndToEndIT waits for it)
    registry.add("graphsync.backflow.poll-interval", () -> "1s");
  }
}
