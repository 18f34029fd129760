package io.graphsync.activities.resolve;

import io.graphsync.activities.neo4j.Neo4jTarget;
import io.graphsync.workflows.mapping.GraphMapping;
import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.resolve.ConflictDecision;
import io.graphsync.workflows.resolve.ResolutionActivities;
import io.graphsync.workflows.resolve.RowUpdateResult;
import io.graphsync.workflows.sync.ChangeEvent;
import javax.sql.DataSource;

/**
 * The effects of a decision about a conflict, on the real stores; one class per decision behind this façade:
 * {@link KeepPostgres} (the change that rewrites the node from its row), {@link KeepNeo4j} (the guarded update of the
 * row from its node, recorded in the same transaction) and {@link DecisionAudit} (the record of KEEP_POSTGRES and
 * DISMISS in {@code graphsync.conflict_audit}).
 *
 * <p>Failures: a value PostgreSQL refuses (SQLState class 22, a constraint of class 23) and a node property graphsync
 * cannot write back are non-retryable {@code InvalidData}, a missing privilege {@code PermissionDenied}; other
 * database errors are retried by Temporal ({@link io.graphsync.activities.postgres.PostgresFailures}).
 */
public class ResolutionActivitiesImpl implements ResolutionActivities {

  private final KeepPostgres keepPostgres;
  private final KeepNeo4j keepNeo4j;
  private final DecisionAudit audit;

  /**
   * @param mapping the mapping resolved by {@link io.graphsync.activities.mapping.MappingValidator}
   * @param neo4j the graph: driver and database
   */
  public ResolutionActivitiesImpl(DataSource dataSource, Neo4jTarget neo4j, GraphMapping mapping) {
    this.keepPostgres = new KeepPostgres(dataSource, mapping);
    this.keepNeo4j = new KeepNeo4j(dataSource, neo4j.driver(), neo4j.sessionConfig(), mapping);
    this.audit = new DecisionAudit(dataSource);
  }

  @Override
  public ChangeEvent rewriteEventFromPostgres(Conflict conflict) {
    return keepPostgres.rewriteEventFromPostgres(conflict);
  }

  @Override
  public RowUpdateResult keepNeo4jValues(ConflictDecision decision) {
    return keepNeo4j.keepNeo4jValues(decision);
  }

  @Override
  public void recordConflictDecision(ConflictDecision decision) {
    audit.record(decision);
  }
}
