package io.graphsync.activities.bulk;

import io.graphsync.activities.neo4j.CypherStatement;
import io.graphsync.activities.neo4j.CypherStatements;
import io.graphsync.activities.neo4j.GraphFailures;
import io.graphsync.activities.neo4j.GraphMutation;
import io.graphsync.activities.neo4j.MutationPlanner;
import io.graphsync.workflows.sync.ChangeEvent;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.exceptions.Neo4jException;

/**
 * Writes many change events to Neo4j in one transaction: each event is planned by the graph writer's own
 * {@link MutationPlanner}, and the mutations of one shape run as one {@link CypherStatements#batch} statement, every
 * row under exactly the per-entity guard of a single change. Used by backfill pages and sync batches.
 */
final class BatchGraphWriter {

  /**
   * The outcome of one write.
   *
   * @param applied event id → the node's element id (null for deletes and relationships) of every event written;
   *     an event not in it was stale
   * @param invalid event id → why the event could not be planned (bad data); nothing was written for it
   * @param invalidTypes event id → the failure type of an invalid event ({@code InvalidData}, {@code UnmappedTable})
   */
  record Outcome(Map<String, String> applied, Map<String, String> invalid, Map<String, String> invalidTypes) {}

  private final Driver driver;
  private final SessionConfig sessionConfig;
  private final MutationPlanner planner;

  BatchGraphWriter(Driver driver, SessionConfig sessionConfig, MutationPlanner planner) {
    this.driver = driver;
    this.sessionConfig = sessionConfig;
    this.planner = planner;
  }

  /** Plans and writes the events in one transaction ({@code executeWrite}: transient errors retried). */
  Outcome write(List<ChangeEvent> events, Map<String, Object> transactionMetadata) {
    Map<String, List<GraphMutation>> byShape = new LinkedHashMap<>();
    Map<String, List<String>> idsByShape = new HashMap<>();
    Map<String, String> invalid = new LinkedHashMap<>();
    Map<String, String> invalidTypes = new HashMap<>();
    for (ChangeEvent event : events) {
      GraphMutation mutation;
      try {
        mutation = planner.plan(event);
      } catch (ApplicationFailure badData) {
        invalid.put(event.eventId(), badData.getOriginalMessage());
        invalidTypes.put(event.eventId(), badData.getType());
        continue;
      }
      String shape = CypherStatements.of(mutation).text();
      byShape.computeIfAbsent(shape, s -> new ArrayList<>()).add(mutation);
      idsByShape.computeIfAbsent(shape, s -> new ArrayList<>()).add(event.eventId());
    }
    Map<String, String> applied = new HashMap<>();
    if (!byShape.isEmpty()) {
      List<CypherStatement> statements = new ArrayList<>();
      byShape.forEach((shape, mutations) -> statements.add(CypherStatements.batch(mutations, idsByShape.get(shape))));
      try (Session session = driver.session(sessionConfig)) {
        session.executeWrite(tx -> {
          applied.clear();
          for (CypherStatement statement : statements) {
            for (Record record : tx.run(statement.text(), statement.parameters()).list()) {
              applied.put(record.get("key").asString(),
                  record.get("nodeId").isNull() ? null : record.get("nodeId").asString());
            }
          }
          return null;
        }, TransactionConfig.builder().withMetadata(transactionMetadata).build());
      } catch (Neo4jException e) {
        // a constraint of the graph rejects a row: the batch fails for good and its changes go to their own syncs
        throw GraphFailures.classify(e);
      }
    }
    return new Outcome(applied, invalid, invalidTypes);
  }
}
