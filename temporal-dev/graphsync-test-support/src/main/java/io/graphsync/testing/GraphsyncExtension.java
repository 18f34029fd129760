package io.graphsync.testing;

import io.graphsync.dev.Neo4jServer;
import io.graphsync.dev.PostgresServer;
import io.graphsync.dev.TemporalDevServer;
import io.graphsync.workflows.mapping.GraphMapping;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.neo4j.driver.Driver;

/**
 * JUnit 5: {@code @ExtendWith(GraphsyncExtension.class)} injects into test methods, constructors and lifecycle
 * methods (also static {@code @BeforeAll}) what {@link GraphsyncStack} holds, by parameter type:
 * {@link DataSource} (migrated), {@link Sql} (on it), {@link GraphMapping} (the default mapping, validated),
 * {@link Driver} (constraints created), {@link WorkflowClient}, {@link WorkflowServiceStubs}, {@link TestWorkers}
 * (one per test class, stopped after it), the servers ({@link PostgresServer}, {@link Neo4jServer},
 * {@link TemporalDevServer}) and {@link GraphsyncStack} itself. A server starts when a test first needs it, once
 * per test JVM.
 */
public final class GraphsyncExtension implements ParameterResolver, AfterAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
      GraphsyncExtension.class);
  private static final Map<Class<?>, Function<GraphsyncStack, Object>> SHARED = Map.of(
      GraphsyncStack.class, stack -> stack,
      DataSource.class, GraphsyncStack::dataSource,
      Sql.class, GraphsyncStack::sql,
      GraphMapping.class, GraphsyncStack::mapping,
      Driver.class, GraphsyncStack::driver,
      WorkflowClient.class, GraphsyncStack::client,
      WorkflowServiceStubs.class, GraphsyncStack::serviceStubs,
      PostgresServer.class, GraphsyncStack::postgres,
      Neo4jServer.class, GraphsyncStack::neo4j,
      TemporalDevServer.class, GraphsyncStack::temporal);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestWorkers.class || SHARED.containsKey(type);
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == TestWorkers.class) {
      return classContext(context).getStore(NAMESPACE)
          .computeIfAbsent(TestWorkers.class, key -> GraphsyncStack.shared().workers(), TestWorkers.class);
    }
    return SHARED.get(type).apply(GraphsyncStack.shared());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    TestWorkers workers = context.getStore(NAMESPACE).remove(TestWorkers.class, TestWorkers.class);
    if (workers != null) {
      workers.close();
    }
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }
}
