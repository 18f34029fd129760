package io.graphsync.activities.neo4j;

import static io.graphsync.activities.mapping.Identifiers.quote;

import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.mapping.TableMapping;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;

/**
 * Creates, idempotently, the uniqueness constraints the graph writes rely on: {@code id} of every mapped label (a
 * node per key, and {@code MERGE} safe under concurrency) and {@code key} of {@code GraphsyncTombstone}. Run it at
 * start-up, before the first write.
 */
public final class GraphSchemaInitializer {

  private final Driver driver;
  private final SessionConfig sessionConfig;

  /** @param neo4j the graph: driver and database */
  public GraphSchemaInitializer(Neo4jTarget neo4j) {
    this.driver = neo4j.driver();
    this.sessionConfig = neo4j.sessionConfig();
  }

  /** Creates what is missing, waits until the backing indexes are online, and returns the statements run. */
  public List<String> initialize(GraphMapping mapping) {
    List<String> statements = statements(mapping);
    try (Session session = driver.session(sessionConfig)) {
      for (String statement : statements) {
        session.run(statement).consume();
      }
      session.run("CALL db.awaitIndexes(300)").consume();
    }
    return statements;
  }

  /** The constraint statements of a mapping. */
  static List<String> statements(GraphMapping mapping) {
    Set<String> labels = new LinkedHashSet<>();
    for (TableMapping table : mapping.tables()) {
      labels.add(table.label());
    }
    List<String> statements = new ArrayList<>();
    for (String label : labels) {
      statements.add("CREATE CONSTRAINT " + quote("graphsync_" + label + "_id") + " IF NOT EXISTS FOR (n:"
          + quote(label) + ") REQUIRE n.id IS UNIQUE");
    }
    statements.add("CREATE CONSTRAINT graphsync_tombstone_key IF NOT EXISTS FOR (t:"
        + CypherStatements.TOMBSTONE_LABEL + ") REQUIRE t.key IS UNIQUE");
    return statements;
  }
}
