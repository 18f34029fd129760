package io.graphsync.starters.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys payloads are encrypted with, by key id, and the one new payloads are encrypted with (the
 * active key). All keys decrypt, so a payload written under an older key still reads after a new key became
 * active.
 *
 * <p>Keys come from files, never from the repository. A path is either
 * <ul>
 *   <li>a <b>key file</b>: one key per line, {@code <key-id>=<base64 of 32 random bytes>}; blank lines and lines
 *       starting with {@code #} are ignored; or</li>
 *   <li>a <b>directory</b> (e.g. a mounted Kubernetes secret): each regular file whose name does not start with
 *       {@code .} is one key, the file name its id and the content its base64.</li>
 * </ul>
 * A key id is 1–64 characters of {@code A-Z a-z 0-9 . _ -}; it travels in clear in every payload's metadata.
 *
 * @param keys the keys by id, in the order they were read
 * @param activeKeyId the key new payloads are encrypted with; empty: this process only decrypts
 */
public record PayloadKeys(Map<String, SecretKey> keys, Optional<String> activeKeyId) {

  /** AES-256: 32 bytes. */
  public static final int KEY_BYTES = 32;

  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public PayloadKeys {
    keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    if (activeKeyId.isPresent() && !keys.containsKey(activeKeyId.get())) {
      throw new PayloadKeyException("the active payload key '" + activeKeyId.get()
          + "' is not among the configured keys " + keys.keySet());
    }
  }

  /**
   * Reads every key of the given files and directories.
   *
   * @param paths key files or directories (see the class comment)
   * @param activeKeyId the key to encrypt with; blank or null: the only key when exactly one is configured
   * @param encrypt false: decrypt only (no active key is chosen)
   * @throws PayloadKeyException when a path is missing or unreadable, a key is malformed, an id is given twice, or
   *     the active key cannot be determined
   */
  public static PayloadKeys load(Collection<Path> paths, String activeKeyId, boolean encrypt) {
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        readDirectory(path, keys);
      } else if (Files.isRegularFile(path)) {
        readKeyFile(path, keys);
      } else {
        throw new PayloadKeyException("payload key file " + path + " does not exist");
      }
    }
    if (!encrypt) {
      return new PayloadKeys(keys, Optional.empty());
    }
    if (activeKeyId != null && !activeKeyId.isBlank()) {
      return new PayloadKeys(keys, Optional.of(activeKeyId.strip()));
    }
    if (keys.size() == 1) {
      return new PayloadKeys(keys, Optional.of(keys.keySet().iterator().next()));
    }
    throw new PayloadKeyException(keys.isEmpty()
        ? "payload encryption is enabled but no key is configured in " + paths
        : "several payload keys are configured " + keys.keySet() + ": name the one to encrypt with "
            + "(graphsync.security.payload-encryption.active-key-id, GRAPHSYNC_PAYLOAD_ACTIVE_KEY)");
  }

  /** The key of this id, if configured. */
  public Optional<SecretKey> key(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }

  /** A new random key in the key-file format's base64. */
  public static String newKeyBase64() {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** Parses one key; {@code source} names where it came from for error messages (never the key itself). */
  static SecretKey parseKey(String keyId, String base64, String source) {
    if (!KEY_ID.matcher(keyId).matches()) {
      throw new PayloadKeyException(source + ": key id '" + keyId + "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new PayloadKeyException(source + ": key '" + keyId + "' is not valid base64");
    }
    if (bytes.length != KEY_BYTES) {
      throw new PayloadKeyException(source + ": key '" + keyId + "' has " + bytes.length + " bytes; AES-256 needs "
          + KEY_BYTES + " (e.g. head -c 32 /dev/urandom | base64)");
    }
    return new SecretKeySpec(bytes, "AES");
  }

  private static void put(Map<String, SecretKey> keys, String keyId, SecretKey key, String source) {
    if (keys.putIfAbsent(keyId, key) != null) {
      throw new PayloadKeyException(source + ": key id '" + keyId + "' is configured more than once");
    }
  }

  private static void readKeyFile(Path file, Map<String, SecretKey> keys) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PayloadKeyException("cannot read payload key file " + file + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String source = file + " line " + (i + 1);
      int equals = line.indexOf('=');
      String keyId = equals <= 0 ? "" : line.substring(0, equals).strip();
      // a bare key ends in its base64 padding '=', with nothing after it: that is no key id
      if (!KEY_ID.matcher(keyId).matches() || line.substring(equals + 1).isBlank()) {
        // never echo the line: it may be a bare key (whose base64 padding is an '=')
        throw new PayloadKeyException(source + ": expected <key-id>=<base64 key>, the key id 1-64 characters of "
            + "A-Z a-z 0-9 . _ -");
      }
      put(keys, keyId, parseKey(keyId, line.substring(equals + 1), source), source);
    }
  }

  private static void readDirectory(Path directory, Map<String, SecretKey> keys) {
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.sorted().toList()) {
        String keyId = file.getFileName().toString();
        if (keyId.startsWith(".") || !Files.isRegularFile(file)) {
          continue;
        }
        put(keys, keyId, parseKey(keyId, Files.readString(file, StandardCharsets.UTF_8), file.toString()),
            file.toString());
      }
    } catch (IOException e) {
      throw new PayloadKeyException("cannot read payload key directory " + directory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "PayloadKeys" + keys.keySet() + activeKeyId.map(id -> " active " + id).orElse(" decrypt-only");
  }
}
