package io.graphsync.app;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * graphsync's top-level settings ({@code graphsync.*}): the mapping and the migrations at start. Each feature package
 * has its own properties record ({@code graphsync.capture.*}, {@code graphsync.sync.*}, …).
 *
 * @param mappingLocation the mapping file: {@code classpath:…} or a file path
 * @param migrate whether worker-app runs graphsync's schema migrations at start
 * @param sampleSchema whether those migrations include the sample ContextNexus schema
 */
@ConfigurationProperties("graphsync")
public record GraphsyncProperties(
    @DefaultValue(GraphsyncProperties.DEFAULT_MAPPING_LOCATION) String mappingLocation,
    @DefaultValue("true") boolean migrate,
    @DefaultValue("true") boolean sampleSchema) {

  /** The sample ContextNexus mapping. */
  public static final String DEFAULT_MAPPING_LOCATION = "classpath:mapping/contextnexus.yml";

  public GraphsyncProperties {
    // GRAPHSYNC_MAPPING set to nothing (application.yml binds it with an empty fallback): the default mapping
    mappingLocation = mappingLocation == null || mappingLocation.isBlank() ? DEFAULT_MAPPING_LOCATION : mappingLocation;
  }
}
