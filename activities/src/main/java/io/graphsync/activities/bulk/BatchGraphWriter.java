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
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.Neo4jException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes many change events to Neo4j in one transaction: each event is planned by the graph writer's own
 * {@link MutationPlanner}; node upserts of one shape run as one {@link CypherStatements#batch} statement (every row
 * its own node, under exactly the per-entity guard of a single change), relationship and delete mutations one
 * statement per row, all in the same transaction. Used by backfill pages and sync batches.
 */
final class BatchGraphWriter {

  private static final Logger log = LoggerFactory.getLogger(BatchGraphWriter.class);

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

  /**
   * Node upserts judged stale while neither their node nor its tombstone holds a later position (a concurrent delete
   * removed the node while the statement waited to lock it): written again, one statement each, up to three times.
   */
  private void rewriteContradictedStale(Map<String, List<GraphMutation>> byShape, Map<String, List<String>> idsByShape,
      Map<String, String> applied, Map<String, Object> transactionMetadata) {
    for (int round = 0; round < 3; round++) {
      List<GraphMutation> stale = new ArrayList<>();
      List<String> staleIds = new ArrayList<>();
      byShape.forEach((shape, mutations) -> {
        for (int i = 0; i < mutations.size(); i++) {
          String id = idsByShape.get(shape).get(i);
          if (mutations.get(i) instanceof GraphMutation.UpsertNode && !applied.containsKey(id)) {
            stale.add(mutations.get(i));
            staleIds.add(id);
          }
        }
      });
      List<GraphMutation> contradicted = new ArrayList<>();
      List<String> contradictedIds = new ArrayList<>();
      for (int i = 0; i < stale.size(); i++) {
        if (graphHoldsOlderThan((GraphMutation.UpsertNode) stale.get(i))) {
          contradicted.add(stale.get(i));
          contradictedIds.add(staleIds.get(i));
        }
      }
      if (contradicted.isEmpty()) {
        return;
      }
      log.warn("{} node upserts of a batch were judged stale while the graph holds nothing newer (concurrent "
          + "deletes): writing them again", contradicted.size());
      try {
        applied.putAll(run(singles(contradicted, contradictedIds), transactionMetadata));
      } catch (Neo4jException e) {
        throw GraphFailures.classify(e);
      }
    }
  }

  private boolean graphHoldsOlderThan(GraphMutation.UpsertNode upsert) {
    CypherStatement read = CypherStatements.guardPositions(upsert);
    try (Session session = driver.session(sessionConfig)) {
      return CypherStatements.olderThan(
          session.executeRead(tx -> tx.run(read.text(), read.parameters()).single()), upsert);
    }
  }


  /** Every mutation as its own statement (a batch of one, so it returns the same {@code key} column). */
  private static List<CypherStatement> singles(List<GraphMutation> mutations, List<String> ids) {
    List<CypherStatement> statements = new ArrayList<>(mutations.size());
    for (int i = 0; i < mutations.size(); i++) {
      statements.add(CypherStatements.batch(List.of(mutations.get(i)), List.of(ids.get(i))));
    }
    return statements;
  }

  /** Runs the statements in one write transaction; event id → node element id of every row applied. */
  private Map<String, String> run(List<CypherStatement> statements, Map<String, Object> transactionMetadata) {
    Map<String, String> applied = new HashMap<>();
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
    }
    return applied;
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
      byShape.forEach((shape, mutations) -> {
        if (mutations.get(0) instanceof GraphMutation.UpsertNode) {
          statements.add(CypherStatements.batch(mutations, idsByShape.get(shape)));
        } else {
          // one statement per row: rows of these shapes share nodes (relationship endpoints, a deleted node's
          // neighbours), and a node one row creates only to lock it and then deletes must not be met again by a
          // later row of the same statement ("has been deleted in this transaction")
          statements.addAll(singles(mutations, idsByShape.get(shape)));
        }
      });
      try {
        applied.putAll(run(statements, transactionMetadata));
      } catch (ClientException e) {
        if (GraphFailures.classify(e) != e) {
          throw GraphFailures.classify(e); // a constraint of the graph rejects a row: InvalidData
        }
        // any other refusal of a batched statement: the same changes again, one statement per row, which is
        // exactly what each would do alone
        log.warn("a batched graph write was refused ({}); writing its {} changes one statement each", e.code(),
            idsByShape.values().stream().mapToInt(List::size).sum());
        List<CypherStatement> perRow = new ArrayList<>();
        byShape.forEach((shape, mutations) -> perRow.addAll(singles(mutations, idsByShape.get(shape))));
        try {
          applied.putAll(run(perRow, transactionMetadata));
        } catch (Neo4jException again) {
          throw GraphFailures.classify(again);
        }
      } catch (Neo4jException e) {
        throw GraphFailures.classify(e);
      }
    }
    rewriteContradictedStale(byShape, idsByShape, applied, transactionMetadata);
    return new Outcome(applied, invalid, invalidTypes);
  }
}
