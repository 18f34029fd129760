package io.graphsync.activities.backflow;

import static io.graphsync.activities.mapping.Identifiers.quote;

import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.workflows.mapping.BackflowCase;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.sync.ChangeEvent;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.EventType;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

/**
 * What the guards of the PostgreSQL → Neo4j writes ({@link PendingEditGuard}, {@link PendingEditBatchGuard}) ask the
 * graph: whether a back-flow node has a graph edit that has not flowed back yet ({@code neo4jVersion} ahead of
 * {@code backflowVersion}, with a {@code neo4jModifiedAt}), and the open conflict it is held for
 * ({@code backflowHold}). Only changes that can overwrite such a node are asked about: not deletes (a row deleted in
 * PostgreSQL wins), not the back-flow's own echoes ({@code source = NEO4J}), not labels without a back-flow case.
 */
final class PendingEdits {

  /** A node's state for the guards: a graph edit waits for the back-flow, and/or the conflict it is held for. */
  record State(boolean pending, String hold) {

    boolean guarded() {
      return pending || hold != null;
    }
  }

  private final Neo4jTarget neo4j;
  private final GraphMapping mapping;
  private final Set<String> guardedLabels;

  PendingEdits(Neo4jTarget neo4j, GraphMapping mapping) {
    this.neo4j = neo4j;
    this.mapping = mapping;
    this.guardedLabels = mapping.backflow().stream().filter(c -> !c.relationship()).map(BackflowCase::label)
        .collect(Collectors.toUnmodifiableSet());
  }

  /** Whether {@code event} could overwrite a graph edit (so the node's {@link State} must be read first). */
  boolean concerns(ChangeEvent event) {
    return event.source() != EventSource.NEO4J && event.eventType() != EventType.DELETE
        && guardedLabels.contains(event.entityType()) && mapping.table(event.table()).isPresent();
  }

  /** The state of each node of {@code label} among {@code ids} that is pending or held (one indexed read). */
  Map<String, State> guarded(String label, Collection<String> ids) {
    List<Record> records;
    try (Session session = neo4j.session()) {
      records = session.executeRead(tx -> tx.run(query(label), Map.of("ids", List.copyOf(ids))).list());
    }
    Map<String, State> states = new HashMap<>();
    for (Record record : records) {
      State state = new State(record.get("pending").asBoolean(false),
          record.get("hold").isNull() ? null : String.valueOf(record.get("hold").asObject()));
      if (state.guarded()) {
        states.put(String.valueOf(record.get("id").asObject()), state);
      }
    }
    return states;
  }

  static String query(String label) {
    return "UNWIND $ids AS id\n"
        + "MATCH (n:" + quote(label) + " {id: id})\n"
        + "RETURN n.id AS id,"
        + " n.neo4jModifiedAt IS NOT NULL AND coalesce(n.neo4jVersion, 0) > coalesce(n.backflowVersion, 0) AS pending,"
        + " n." + GraphStampActivitiesImpl.HOLD + " AS hold";
  }
}
