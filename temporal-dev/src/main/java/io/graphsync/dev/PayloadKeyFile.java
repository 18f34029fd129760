package io.graphsync.dev;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * The payload key file of the local stack and the tests: one AES-256 key, {@code <key-id>=<base64 of 32 random
 * bytes>}, the format worker-app's {@code graphsync.security.payload-encryption.key-files} reads. Created once,
 * owner read/write only (0600), never overwritten: payloads in the stack's Temporal database need it.
 */
public final class PayloadKeyFile {

  private PayloadKeyFile() {}

  /** The local stack's key file under the data folder. */
  public static Path localStack(ProjectLayout layout) {
    return layout.dataDir().resolve("secrets/payload-keys");
  }

  /**
   * The tests' key file ({@code target/payload-keys-<pid>}, key id {@code test-1}): created on first use in this JVM,
   * deleted when it exits. worker-app refuses to start without a key, and a test's own clients need the same one.
   */
  public static synchronized Path forTests() {
    Path file = Path.of("target", "payload-keys-" + ProcessHandle.current().pid()).toAbsolutePath();
    if (createIfAbsent(file, "test-1")) {
      file.toFile().deleteOnExit();
    }
    return file;
  }

  /**
   * Creates {@code file} with one new key named {@code local-<yyyyMMdd>} unless it exists.
   *
   * @return true when it was created now
   */
  public static boolean createIfAbsent(Path file) {
    return createIfAbsent(file, "local-" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE));
  }

  /** Creates {@code file} with one new key of this id unless it exists; true when it was created now. */
  public static boolean createIfAbsent(Path file, String keyId) {
    if (Files.exists(file)) {
      return false;
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String content = "# graphsync payload keys: <key-id>=<base64 AES-256 key>; keep every key payloads still use\n"
        + keyId + "=" + Base64.getEncoder().encodeToString(key) + "\n";
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, ".payload-keys", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, content);
      try {
        Files.move(temp, file);
      } catch (FileAlreadyExistsException raced) {
        Files.delete(temp);
        return false;
      }
      return true;
    } catch (IOException e) {
      throw new DevStackException("cannot create the payload key file " + file + ": " + e.getMessage(), e);
    }
  }
}
