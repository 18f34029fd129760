package io.graphsync.activities.mapping;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.graphsync.workflows.mapping.GraphMapping;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a YAML mapping file into a {@link GraphMapping}. Strict: an unknown field, a duplicate key, an unknown enum
 * value or a value of the wrong shape is an error naming the file and the line. The result is not yet checked
 * against the database: pass it to {@link MappingValidator}.
 */
public final class MappingLoader {

  /** Prefix of a location on the classpath, e.g. {@code classpath:mapping/contextnexus.yml}. */
  public static final String CLASSPATH_PREFIX = "classpath:";
  /** Prefix of a location in the file system, e.g. {@code file:/etc/graphsync/mapping.yml}. */
  public static final String FILE_PREFIX = "file:";
  /** The mapping of the sample ContextNexus schema, shipped with graphsync. */
  public static final String DEFAULT_LOCATION = CLASSPATH_PREFIX + "mapping/contextnexus.yml";

  private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private MappingLoader() {}

  /** Loads from {@code classpath:…}, {@code file:…} or a plain file path. */
  public static GraphMapping load(String location) {
    if (location.startsWith(CLASSPATH_PREFIX)) {
      return loadResource(location.substring(CLASSPATH_PREFIX.length()));
    }
    if (location.startsWith(FILE_PREFIX)) {
      String path = location.substring(FILE_PREFIX.length());
      return load(path.startsWith("//") ? Path.of(URI.create(location)) : Path.of(path));
    }
    return load(Path.of(location));
  }

  /** Loads a file. */
  public static GraphMapping load(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(reader, file.toString());
    } catch (IOException e) {
      throw new MappingException("cannot read mapping file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Loads a classpath resource, e.g. {@code mapping/contextnexus.yml}. */
  public static GraphMapping loadResource(String resource) {
    String name = resource.startsWith("/") ? resource.substring(1) : resource;
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = MappingLoader.class.getClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new MappingException(List.of("mapping resource not found on the classpath: " + name));
      }
      return parse(new InputStreamReader(in, StandardCharsets.UTF_8), CLASSPATH_PREFIX + name);
    } catch (IOException e) {
      throw new MappingException("cannot read mapping resource " + name + ": " + e.getMessage(), e);
    }
  }

  /** Parses YAML text; {@code source} names it in error messages. */
  public static GraphMapping parse(String yaml, String source) {
    try (Reader reader = new StringReader(yaml)) {
      return parse(reader, source);
    } catch (IOException e) {
      throw new MappingException("cannot read mapping " + source + ": " + e.getMessage(), e);
    }
  }

  private static GraphMapping parse(Reader reader, String source) throws IOException {
    GraphMapping mapping;
    try {
      mapping = YAML.readValue(reader, GraphMapping.class);
    } catch (JsonProcessingException e) {
      throw new MappingException(source + ": " + pathOf(e) + e.getOriginalMessage() + locationOf(e), e);
    }
    if (mapping == null) {
      throw new MappingException(List.of(source + ": the mapping is empty"));
    }
    return mapping;
  }

  /** Where in the mapping, e.g. {@code at tables[2].relationships[0]: }. */
  private static String pathOf(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
      return "";
    }
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : mapping.getPath()) {
      if (reference.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return "at " + path + ": ";
  }

  private static String locationOf(JsonProcessingException e) {
    if (e.getLocation() == null || e.getLocation().getLineNr() < 0) {
      return "";
    }
    return " (near line " + e.getLocation().getLineNr() + ")";
  }
}
