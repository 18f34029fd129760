package io.graphsync.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.app.webui.HeadlessChromium;
import io.graphsync.app.webui.TemporalWebUi;
import io.graphsync.dev.Neo4jServer;
import io.graphsync.testing.Await;
import io.graphsync.testing.GraphsyncStack;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.graphsync.workflows.sync.SyncChangeEventWorkflow;
import io.graphsync.workflows.sync.SyncOutcome;
import io.graphsync.workflows.sync.SyncState;
import io.graphsync.workflows.sync.SyncStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.neo4j.driver.Driver;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The failure path on the real stack, as an operator meets it: a row the graph refuses (a user whose email another
 * user already has, under a uniqueness constraint of the graph) fails only its own sync, is FAILED in PostgreSQL
 * and found by {@code SyncStatus="FAILED"} in visibility; a fix in PostgreSQL plus {@code retry}, a {@code skip},
 * a newer change and the documented batch command each resolve it.
 */
class FailedSyncOperationsIT extends StackIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension
  static final HeadlessChromium chromium = new HeadlessChromium();

  @Autowired
  Driver driver;

  @Autowired
  WorkflowClient workflowClient;

  @Test
  void givenABadRowAmongGoodOnes_whenSynced_onlyItFailsAndItIsFailedInPostgresAndInVisibility() throws Exception {
    UUID tenant = tenant();
    poisonable(tenant);
    UUID good1 = UUID.randomUUID();
    UUID bad = UUID.randomUUID();
    UUID good2 = UUID.randomUUID();
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      insertUser(connection, good1, tenant, "admin");
      insertUser(connection, bad, tenant, POISON);
      insertUser(connection, good2, tenant, "editor");
      connection.commit();
    }

    String failed = awaitFailedWorkflow(bad);

    Await.until("the good rows of the same transaction are SUCCESS", TIMEOUT, () ->
        count("SELECT count(*) FROM users WHERE id IN (?, ?) AND sync_status = 'SUCCESS'", good1, good2) == 2);
    assertThat(userNodes(tenant)).contains(good1.toString(), good2.toString()).doesNotContain(bad.toString());
    Map<String, Object> row = userRow(bad);
    assertThat(row).containsEntry("sync_status", "FAILED").containsEntry("sync_attempts", 1);
    assertThat((String) row.get("last_sync_error")).startsWith("InvalidData: ").contains("email")
        .contains("ConstraintValidationFailed");
    SyncState state = workflow(failed).state();
    assertThat(state.status()).isEqualTo(SyncStatus.FAILED);
    assertThat(state.decisionDeadline()).isAfter(Instant.now().plus(Duration.ofDays(6)));

    // the runbook's first step, in the real Web UI: the tenant's failed syncs, and only those
    TemporalWebUi ui = chromium.temporalWebUi(GraphsyncStack.shared().temporal());
    ui.openWorkflowList("WorkflowType=\"SyncChangeEventWorkflow\" AND SyncStatus=\"FAILED\" AND TenantId=\""
        + tenant + "\"");
    assertThat(ui.awaitWorkflowIdsShown(ids -> ids.contains(failed), Duration.ofSeconds(30)))
        .containsExactly(failed);
    chromium.screenshot("failed-syncs-of-a-tenant");
    ui.openWorkflow(failed);
    assertThat(ui.workflowStatusShown()).isEqualTo("Running");
    chromium.screenshot("failed-sync-waiting-for-an-operator");
  }

  @Test
  void givenAFailedSync_whenTheRowIsFixedAndRetrySignalled_itSucceedsWithTheFixedData() throws Exception {
    UUID tenant = tenant();
    poisonable(tenant);
    UUID user = UUID.randomUUID();
    insertUser(user, tenant, POISON);
    String failed = awaitFailedWorkflow(user);

    fixEmail(user);
    workflow(failed).retry();

    SyncOutcome outcome = workflowClient.newUntypedWorkflowStub(failed).getResult(
        TIMEOUT.toSeconds(), TimeUnit.SECONDS, SyncOutcome.class);
    assertThat(outcome.status()).isEqualTo(SyncStatus.SUCCESS);
    assertThat(workflow(failed).state().operatorRetries()).isEqualTo(1);
    assertThat(syncStatusOf(failed)).isEqualTo("SUCCESS");
    Await.until("the fixed row is SUCCESS", TIMEOUT, () -> "SUCCESS".equals(userRow(user).get("sync_status")));
    assertThat(email(user)).isEqualTo(user + "@fixed.example.com");
  }

  @Test
  void givenAFailedSync_whenSkipped_theRowIsSkippedWithTheReason() throws Exception {
    UUID tenant = tenant();
    poisonable(tenant);
    UUID user = UUID.randomUUID();
    insertUser(user, tenant, POISON);
    String failed = awaitFailedWorkflow(user);

    workflow(failed).skip("imported by mistake, ticket OPS-42");

    SyncOutcome outcome = workflowClient.newUntypedWorkflowStub(failed).getResult(
        TIMEOUT.toSeconds(), TimeUnit.SECONDS, SyncOutcome.class);
    assertThat(outcome.status()).isEqualTo(SyncStatus.SKIPPED);
    assertThat(userRow(user)).containsEntry("sync_status", "SKIPPED")
        .containsEntry("last_sync_error", "imported by mistake, ticket OPS-42");
    assertThat(syncStatusOf(failed)).isEqualTo("SKIPPED");
    assertThat(userNodes(tenant)).doesNotContain(user.toString());
  }

  @Test
  void givenAFailedSync_whenANewerChangeOfTheEntitySucceeds_theFailedOneClosesByItself() throws Exception {
    UUID tenant = tenant();
    poisonable(tenant);
    UUID user = UUID.randomUUID();
    insertUser(user, tenant, POISON);
    String failed = awaitFailedWorkflow(user);

    fixEmail(user);

    SyncOutcome outcome = workflowClient.newUntypedWorkflowStub(failed).getResult(
        Duration.ofSeconds(30).plus(TIMEOUT).toSeconds(), TimeUnit.SECONDS, SyncOutcome.class);
    assertThat(outcome.status()).isEqualTo(SyncStatus.SKIPPED);
    assertThat(outcome.detail()).startsWith("superseded");
    assertThat(syncStatusOf(failed)).isEqualTo("SKIPPED");
    assertThat(userRow(user)).containsEntry("sync_status", "SUCCESS").containsEntry("pg_version", 2L);
    assertThat(email(user)).isEqualTo(user + "@fixed.example.com");
  }

  @Test
  void givenSeveralFailedSyncsOfATenant_whenTheDocumentedBatchCommandRetriesThem_theyAllSucceed() throws Exception {
    UUID tenant = tenant();
    poisonable(tenant);
    List<UUID> users = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    List<String> failed = new ArrayList<>();
    for (UUID user : users) {
      insertUser(user, tenant, POISON);
    }
    for (UUID user : users) {
      failed.add(awaitFailedWorkflow(user));
    }
    String query = "WorkflowType=\"SyncChangeEventWorkflow\" AND SyncStatus=\"FAILED\" AND TenantId=\"" + tenant + "\"";
    Await.until("visibility lists the tenant's three FAILED syncs", TIMEOUT, () -> countWorkflows(query) == 3);
    for (UUID user : users) {
      fixEmail(user);
    }

    // docs/runbook.md, "Retry many": temporal workflow signal --query '<query>' --name retry --reason ... --yes
    String output = temporalCli("workflow", "signal", "--query", query, "--name", "retry",
        "--reason", "fixed emails of tenant " + tenant, "--yes");

    assertThat(output).containsIgnoringCase("batch");
    for (String id : failed) {
      SyncOutcome outcome = workflowClient.newUntypedWorkflowStub(id).getResult(
          TIMEOUT.toSeconds(), TimeUnit.SECONDS, SyncOutcome.class);
      assertThat(outcome.status()).as(id).isEqualTo(SyncStatus.SUCCESS);
      assertThat(workflow(id).state().operatorRetries()).as(id).isEqualTo(1);
    }
    Await.until("no FAILED sync left for the tenant", TIMEOUT, () -> countWorkflows(query) == 0);
  }

  @Test
  void givenNeo4jDownForAWhile_whenRowsChange_theySyncWhenItIsBackAndNoneIsEverFailed() throws Exception {
    UUID tenant = tenant();
    List<UUID> users = List.of(UUID.randomUUID(), UUID.randomUUID());
    Neo4jServer neo4j = GraphsyncStack.shared().neo4j();
    neo4j.close();
    Instant down = Instant.now();
    try {
      for (UUID user : users) {
        insertUser(user, tenant, "admin");
      }
      Await.staysTrue("rows wait, none FAILED, while Neo4j is down", Duration.ofSeconds(15), () ->
          count("SELECT count(*) FROM users WHERE tenant_id = ? AND sync_status = 'PENDING'", tenant) == 2);
      assertThat(countWorkflows("TenantId=\"" + tenant + "\" AND EntityType=\"User\" AND SyncStatus=\"RUNNING\""))
          .isEqualTo(2);
    } finally {
      neo4j.start(false, Duration.ofSeconds(120));
    }

    Await.until("both rows are SUCCESS once Neo4j is back", TIMEOUT, () ->
        count("SELECT count(*) FROM users WHERE tenant_id = ? AND sync_status = 'SUCCESS'", tenant) == 2);
    // written once Neo4j was back: the writes waited out the outage (the driver's own retries within an attempt,
    // then Temporal's backoff between attempts), and no row was ever marked FAILED on the way
    assertThat(count("SELECT count(*) FROM users WHERE tenant_id = ? AND last_sync_timestamp > ?", tenant,
        java.sql.Timestamp.from(down.plusSeconds(15)))).isEqualTo(2);
    assertThat(userNodes(tenant)).hasSize(2);
  }

  // --- the operator's view -------------------------------------------------------------------------------------

  /** Finds the entity's failed sync the way the runbook does: by search attributes. */
  private String awaitFailedWorkflow(UUID entity) throws Exception {
    String query = "WorkflowType=\"SyncChangeEventWorkflow\" AND SyncStatus=\"FAILED\" AND EntityId=\"" + entity
        + "\"";
    List<String> ids = new ArrayList<>();
    Await.until("visibility lists a FAILED sync of " + entity, TIMEOUT, () -> {
      ids.clear();
      workflowClient.listExecutions(query).map(WorkflowExecutionMetadata::getExecution)
          .forEach(execution -> ids.add(execution.getWorkflowId()));
      return !ids.isEmpty();
    });
    assertThat(ids).hasSize(1);
    return ids.get(0);
  }

  private SyncChangeEventWorkflow workflow(String workflowId) {
    return workflowClient.newWorkflowStub(SyncChangeEventWorkflow.class, workflowId);
  }

  private String syncStatusOf(String workflowId) {
    return workflowClient.newUntypedWorkflowStub(workflowId).describe().getTypedSearchAttributes()
        .get(SyncSearchAttributes.SYNC_STATUS);
  }

  private long countWorkflows(String query) {
    return workflowClient.countWorkflows(query).getCount();
  }

  /** The {@code temporal} CLI against the test server, exactly as the docs run it. */
  private static String temporalCli(String... args) {
    return GraphsyncStack.shared().temporal().cli(args);
  }

  // --- the data -----------------------------------------------------------------------------------------------

  private UUID tenant() throws SQLException {
    UUID tenant = UUID.randomUUID();
    execute("INSERT INTO tenants (id, name) VALUES (?, ?)", tenant, "tenant " + tenant);
    return tenant;
  }

  private void insertUser(UUID id, UUID tenant, String... roles) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      insertUser(connection, id, tenant, roles);
    }
  }

  /**
   * A poison row: a user whose email another user of the graph already has, while a uniqueness constraint of the graph
   * (one a graph team added to {@code User}) says emails are unique. PostgreSQL takes the row; the graph refuses it,
   * which no retry heals until the row is fixed.
   */
  private static final String[] POISON = {};

  private static void insertUser(Connection connection, UUID id, UUID tenant, String... roles) throws SQLException {
    boolean poison = roles == POISON;
    try (PreparedStatement statement = connection.prepareStatement(
        "INSERT INTO users (id, tenant_id, email, roles) VALUES (?, ?, ?, ?)")) {
      statement.setObject(1, id);
      statement.setObject(2, tenant);
      statement.setString(3, poison ? takenEmail(tenant) : id + "@example.com");
      statement.setArray(4, connection.createArrayOf("text", poison ? new String[] {"admin"} : roles));
      statement.executeUpdate();
    }
  }

  /** The email the tenant's first user holds in the graph (see {@link #poisonable}). */
  private static String takenEmail(UUID tenant) {
    return "taken-" + tenant + "@example.com";
  }

  /**
   * Makes poison possible for the tenant: the graph's uniqueness constraint on {@code User.email}, and a user of the
   * tenant that holds {@link #takenEmail} in the graph.
   */
  private void poisonable(UUID tenant) throws Exception {
    driver.executableQuery("CREATE CONSTRAINT graphsync_it_user_email IF NOT EXISTS FOR (u:User) "
        + "REQUIRE u.email IS UNIQUE").execute();
    UUID owner = UUID.randomUUID();
    execute("INSERT INTO users (id, tenant_id, email) VALUES (?, ?, ?)", owner, tenant, takenEmail(tenant));
    Await.until("the email's owner is in the graph", TIMEOUT, () -> !driver.executableQuery(
        "MATCH (u:User {id: $id}) RETURN u.id").withParameters(Map.of("id", owner.toString())).execute()
        .records().isEmpty());
  }

  /** The constraint is this class's alone: the shared graph goes back to graphsync's own constraints. */
  @AfterEach
  void dropEmailConstraint() {
    driver.executableQuery("DROP CONSTRAINT graphsync_it_user_email IF EXISTS").execute();
  }

  /** Fixes a poison row: its own email. */
  private void fixEmail(UUID user) throws SQLException {
    execute("UPDATE users SET email = ? WHERE id = ?", user + "@fixed.example.com", user);
  }

  private void execute(String statement, Object... args) throws SQLException {
    sql.execute(statement, args);
  }

  private long count(String query, Object... args) throws SQLException {
    return sql.count(query, args);
  }

  private Map<String, Object> userRow(UUID user) throws SQLException {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement(
             "SELECT sync_status, sync_attempts, last_sync_error, pg_version FROM users WHERE id = ?")) {
      statement.setObject(1, user);
      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next()).as("row " + user).isTrue();
        Map<String, Object> row = new java.util.HashMap<>();
        row.put("sync_status", rows.getString(1));
        row.put("sync_attempts", rows.getInt(2));
        row.put("last_sync_error", rows.getString(3));
        row.put("pg_version", rows.getLong(4));
        return row;
      }
    }
  }

  private List<String> userNodes(UUID tenant) {
    return driver.executableQuery("MATCH (u:User {tenantId: $tenant}) WHERE u.placeholder IS NULL RETURN u.id AS id")
        .withParameters(Map.of("tenant", tenant.toString())).execute().records().stream()
        .map(r -> r.get("id").asString()).toList();
  }

  private String email(UUID user) throws Exception {
    List<String> found = new ArrayList<>();
    Await.until("the graph holds user " + user, TIMEOUT, () -> {
      found.clear();
      driver.executableQuery("MATCH (u:User {id: $id}) RETURN u.email AS email")
          .withParameters(Map.of("id", user.toString())).execute().records()
          .forEach(r -> found.add(r.get("email").asString()));
      return !found.isEmpty();
    });
    return found.get(0);
  }
}
