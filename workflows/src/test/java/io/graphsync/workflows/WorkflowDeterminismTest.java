package io.graphsync.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.workflows.sync.SyncChangeEventWorkflowImpl;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A stand-in for {@code temporal-workflowcheck} (not served by Maven Central here): every class this module compiles
 * is the contract or runs inside a workflow, so none of them may refer to a clock, randomness, threads, the
 * environment, {@code System.out} or I/O — {@code Workflow.currentTimeMillis()}, {@code Workflow.randomUUID()},
 * {@code Workflow.sideEffect} and {@code Workflow.getLogger} exist for that (STYLE.md, habit 1).
 *
 * <p>It reads the constant pool of each class file, so it sees every method, field and method reference the class
 * makes (also ones in lambdas), not whether the code is reached. It does not follow calls into other libraries; the
 * enforcer keeps this module's dependencies to temporal-sdk and jackson-annotations, and the replay tests catch the
 * rest.
 */
class WorkflowDeterminismTest {

  /**
   * Owner, then member ({@code *} = any). An owner is a class (binary name), a package ({@code java/net/}) or a
   * class-name prefix ({@code java/io/File*}: File, FileInputStream, FileWriter, ...).
   */
  private static final List<String[]> BANNED = List.of(
      new String[] {"java/lang/System", "currentTimeMillis"},
      new String[] {"java/lang/System", "nanoTime"},
      new String[] {"java/lang/System", "getenv"},
      new String[] {"java/lang/System", "getProperty"},
      new String[] {"java/lang/System", "getProperties"},
      new String[] {"java/lang/System", "out"},
      new String[] {"java/lang/System", "err"},
      new String[] {"java/lang/System", "in"},
      new String[] {"java/lang/System", "exit"},
      new String[] {"java/time/", "now"},
      new String[] {"java/time/Clock", "*"},
      new String[] {"java/util/UUID", "randomUUID"},
      new String[] {"java/lang/Math", "random"},
      new String[] {"java/lang/StrictMath", "random"},
      new String[] {"java/util/Random", "*"},
      new String[] {"java/security/SecureRandom", "*"},
      new String[] {"java/util/concurrent/ThreadLocalRandom", "*"},
      new String[] {"java/lang/Thread*", "*"},
      new String[] {"java/lang/Runtime", "*"},
      new String[] {"java/lang/ProcessBuilder", "*"},
      new String[] {"java/util/Timer", "*"},
      new String[] {"java/util/concurrent/Executor*", "*"},
      new String[] {"java/util/concurrent/CompletableFuture", "*"},
      new String[] {"java/util/concurrent/ForkJoinPool", "*"},
      new String[] {"java/io/File*", "*"},
      new String[] {"java/io/RandomAccessFile", "*"},
      new String[] {"java/nio/file/", "*"},
      new String[] {"java/net/", "*"},
      new String[] {"java/sql/", "*"},
      new String[] {"javax/sql/", "*"});

  @Test
  void givenTheCompiledWorkflowsModule_whenItsClassesAreScanned_itRefersToNoClockRandomnessThreadOrIo()
      throws Exception {
    Path classes = classesRoot(SyncChangeEventWorkflowImpl.class);
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          banned(in).forEach(ref -> found.add(classes.relativize(file) + " refers to " + ref));
        }
      }
    }

    assertThat(found).as("non-deterministic references in workflows (use Workflow.* instead)").isEmpty();
  }

  @Test
  void givenAClassThatReadsTheSystemClock_whenScanned_itIsReported() throws IOException {
    String name = ReadsTheClock.class.getName().replace('.', '/') + ".class";
    try (InputStream in = Objects.requireNonNull(ReadsTheClock.class.getClassLoader().getResourceAsStream(name))) {
      assertThat(banned(in)).containsExactly(
          "java/lang/System.currentTimeMillis", "java/lang/System.out", "java/util/UUID.randomUUID");
    }
  }

  /** What the scan must catch: direct calls, a field, and a method reference. */
  static final class ReadsTheClock {
    long startedAt() {
      System.out.println("started");
      java.util.function.Supplier<java.util.UUID> ids = java.util.UUID::randomUUID;
      return System.currentTimeMillis() + ids.get().hashCode();
    }
  }

  private static Path classesRoot(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** The banned {@code owner.member} references in one class file's constant pool, sorted. */
  static TreeSet<String> banned(InputStream classFile) throws IOException {
    TreeSet<String> result = new TreeSet<>();
    for (String ref : references(classFile.readAllBytes())) {
      int dot = ref.lastIndexOf('.');
      String owner = ref.substring(0, dot);
      String member = ref.substring(dot + 1);
      for (String[] rule : BANNED) {
        boolean ownerMatches = rule[0].endsWith("/") ? owner.startsWith(rule[0])
            : rule[0].endsWith("*") ? owner.startsWith(rule[0].substring(0, rule[0].length() - 1))
            : owner.equals(rule[0]);
        if (ownerMatches && (rule[1].equals("*") || rule[1].equals(member))) {
          result.add(ref);
        }
      }
    }
    return result;
  }

  /** Every field, method and interface-method reference of a class file as {@code owner.member} (JVMS 4.4). */
  private static List<String> references(byte[] bytes) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    int[] classNameIndex = new int[count];
    int[] refClass = new int[count];
    int[] refNameAndType = new int[count];
    int[] nameIndex = new int[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> classNameIndex[i] = in.readUnsignedShort();
        case 9, 10, 11 -> {
          refClass[i] = in.readUnsignedShort();
          refNameAndType[i] = in.readUnsignedShort();
        }
        case 12 -> {
          nameIndex[i] = in.readUnsignedShort();
          in.readUnsignedShort(); // descriptor
        }
        case 3, 4, 17, 18 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++; // takes two entries
        }
        case 8, 16, 19, 20 -> in.readUnsignedShort();
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        default -> throw new IOException("unknown constant pool tag " + tag + " at " + i);
      }
    }
    List<String> refs = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      if (refClass[i] != 0) {
        refs.add(utf8[classNameIndex[refClass[i]]] + "." + utf8[nameIndex[refNameAndType[i]]]);
      }
    }
    return refs;
  }
}
