package io.graphsync.activities.backflow;

import static io.graphsync.activities.mapping.Identifiers.quote;

import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.workflows.mapping.BackflowCase;
import io.graphsync.workflows.mapping.GraphMapping;
import java.util.ArrayList;
import java.util.List;
import org.neo4j.driver.Session;

/**
 * Creates, idempotently, the range index of each back-flow case on {@code neo4jModifiedAt} (of its label's nodes, or
 * of its type's relationships), so a poll reads only what changed since its watermark: a seek, not a scan of a million
 * nodes.
 */
public final class BackflowSchema {

  private BackflowSchema() {}

  /** Creates what is missing and waits until the indexes are online; returns the statements run. */
  public static List<String> initialize(Neo4jTarget neo4j, GraphMapping mapping) {
    List<String> statements = statements(mapping);
    if (statements.isEmpty()) {
      return statements;
    }
    try (Session session = neo4j.session()) {
      for (String statement : statements) {
        session.run(statement).consume();
      }
      session.run("CALL db.awaitIndexes(300)").consume();
    }
    return statements;
  }

  static List<String> statements(GraphMapping mapping) {
    List<String> statements = new ArrayList<>();
    for (BackflowCase backflowCase : mapping.backflow()) {
      String name = quote("graphsync_backflow_" + backflowCase.name() + "_modified");
      statements.add(backflowCase.relationship()
          ? "CREATE INDEX " + name + " IF NOT EXISTS FOR ()-[r:" + quote(backflowCase.type())
              + "]-() ON (r.neo4jModifiedAt)"
          : "CREATE INDEX " + name + " IF NOT EXISTS FOR (n:" + quote(backflowCase.label())
              + ") ON (n.neo4jModifiedAt)");
    }
    return statements;
  }
}
