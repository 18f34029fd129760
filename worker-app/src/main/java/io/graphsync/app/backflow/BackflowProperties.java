package io.graphsync.app.backflow;

import io.graphsync.workflows.mapping.BackflowCase;
import io.graphsync.workflows.mapping.ConflictPolicy;
import io.graphsync.workflows.mapping.GraphMapping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The flow from Neo4j back to PostgreSQL ({@code graphsync.backflow.*}), for the cases the mapping declares under
 * {@code backflow:} (none: nothing runs).
 *
 * @param pollerEnabled start the poller workflow at start-up (idempotent: a running poller is left as it is)
 * @param pollInterval the pause between polls that found nothing more; fixed in the poller's state when it starts
 * @param policies conflict policies that replace the mapping file's, by case name (label or relationship type, e.g.
 *     {@code graphsync.backflow.policies.Concept=MANUAL}): one deployment can decide differently from the shared
 *     mapping file. A name that is not a declared case refuses the start; the result is validated like the file
 */
@ConfigurationProperties("graphsync.backflow")
public record BackflowProperties(
    @DefaultValue("true") boolean pollerEnabled,
    @DefaultValue("5s") Duration pollInterval,
    Map<String, ConflictPolicy> policies) {

  public BackflowProperties {
    policies = policies == null ? Map.of() : Map.copyOf(policies);
  }

  /** The mapping with {@link #policies} applied to its back-flow cases. */
  public GraphMapping withPolicies(GraphMapping mapping) {
    if (policies.isEmpty()) {
      return mapping;
    }
    TreeSet<String> unknown = new TreeSet<>(policies.keySet());
    List<BackflowCase> cases = new ArrayList<>();
    for (BackflowCase declared : mapping.backflow()) {
      ConflictPolicy policy = policies.get(declared.name());
      unknown.remove(declared.name());
      cases.add(policy == null ? declared
          : new BackflowCase(declared.label(), declared.type(), policy, declared.properties()));
    }
    if (!unknown.isEmpty()) {
      throw new IllegalStateException("graphsync.backflow.policies names " + unknown + ", which the mapping does not "
          + "declare as back-flow cases (declared: " + mapping.backflow().stream().map(BackflowCase::name).toList()
          + ")");
    }
    return new GraphMapping(mapping.tables(), mapping.joinTables(), cases);
  }
}
