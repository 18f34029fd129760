package io.graphsync.testing;

import io.graphsync.workflows.mapping.GraphMapping;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import javax.sql.DataSource;
import org.neo4j.driver.Driver;

/**
 * The calls the harness makes into the activities module, by name: this module cannot depend on activities,
 * whose own tests use it (Maven refuses the cycle). Every module that uses the harness has activities on its test
 * classpath; a renamed method fails here, in the first integration test of every module.
 */
final class ActivitiesCalls {

  private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();

  private ActivitiesCalls() {}

  /** {@code SchemaMigrations.migrate(dataSource, true)}: core and sample migrations, as worker-app runs them. */
  static int migrate(DataSource dataSource) {
    return (int) invoke(staticMethod("schema.SchemaMigrations", "migrate",
        MethodType.methodType(int.class, DataSource.class, boolean.class)), dataSource, true);
  }

  /** {@code MappingLoader.load(location)}, not validated. */
  static GraphMapping load(String location) {
    return (GraphMapping) invoke(staticMethod("mapping.MappingLoader", "load",
        MethodType.methodType(GraphMapping.class, String.class)), location);
  }

  /** {@code MappingLoader.parse(yaml, source)}, not validated. */
  static GraphMapping parse(String yaml, String source) {
    return (GraphMapping) invoke(staticMethod("mapping.MappingLoader", "parse",
        MethodType.methodType(GraphMapping.class, String.class, String.class)), yaml, source);
  }

  /** {@code new MappingValidator(dataSource).validate(mapping)}: resolved against the live schema. */
  static GraphMapping validate(DataSource dataSource, GraphMapping mapping) {
    Object validator = invoke(constructor("mapping.MappingValidator", DataSource.class), dataSource);
    return (GraphMapping) invoke(virtualMethod("mapping.MappingValidator", "validate",
        MethodType.methodType(GraphMapping.class, GraphMapping.class)), validator, mapping);
  }

  /**
   * {@code new GraphSchemaInitializer(Neo4jTarget.of(driver)).initialize(mapping)}: the uniqueness constraints, in the
   * server's default database.
   */
  static void createConstraints(Driver driver, GraphMapping mapping) {
    Class<?> target = type("neo4j.Neo4jTarget");
    Object neo4j = invoke(staticMethod("neo4j.Neo4jTarget", "of", MethodType.methodType(target, Driver.class)), driver);
    Object initializer = invoke(constructor("neo4j.GraphSchemaInitializer", target), neo4j);
    invoke(virtualMethod("neo4j.GraphSchemaInitializer", "initialize",
        MethodType.methodType(java.util.List.class, GraphMapping.class)), initializer, mapping);
  }

  private static MethodHandle staticMethod(String type, String name, MethodType signature) {
    try {
      return LOOKUP.findStatic(activitiesClass(type), name, signature);
    } catch (ReflectiveOperationException e) {
      throw missing(type + "." + name + signature, e);
    }
  }

  private static MethodHandle virtualMethod(String type, String name, MethodType signature) {
    try {
      return LOOKUP.findVirtual(activitiesClass(type), name, signature);
    } catch (ReflectiveOperationException e) {
      throw missing(type + "." + name + signature, e);
    }
  }

  private static MethodHandle constructor(String type, Class<?>... parameters) {
    try {
      return LOOKUP.findConstructor(activitiesClass(type), MethodType.methodType(void.class, parameters));
    } catch (ReflectiveOperationException e) {
      throw missing("new " + type, e);
    }
  }

  private static Class<?> type(String type) {
    try {
      return activitiesClass(type);
    } catch (ClassNotFoundException e) {
      throw missing(type, e);
    }
  }

  private static Class<?> activitiesClass(String type) throws ClassNotFoundException {
    return Class.forName("io.graphsync.activities." + type, true, ActivitiesCalls.class.getClassLoader());
  }

  private static IllegalStateException missing(String what, Exception cause) {
    return new IllegalStateException("the test harness needs io.graphsync.activities." + what
        + " on the test classpath (a test-scoped dependency on graphsync-activities)", cause);
  }

  private static Object invoke(MethodHandle handle, Object... arguments) {
    try {
      return handle.invokeWithArguments(arguments);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }
}
