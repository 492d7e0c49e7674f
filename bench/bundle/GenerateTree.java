import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;

/**
 * Writes the benchmark tree: FILES files (default 10,000) of ~10 KiB on average (~100 MB), one
 * in ten incompressible (random bytes), the rest text that deflates like source code. Seeded, so
 * every run writes the same bytes; a few executable hooks so modes matter.
 *
 * <p>Usage: {@code java GenerateTree.java DIR [FILES]}
 */
public final class GenerateTree {
  private static final String[] WORDS = {
    "def", "return", "self", "import", "class", "for", "in", "if", "else", "None", "True",
    "request", "response", "queryset", "model", "field", "value", "instance", "context",
    "serializer", "template", "static", "org_unit", "form", "submission", "geometry", "project",
    "(", ")", ":", "=", "==", ".", ",", "[", "]", "{", "}", "\"", "'", "0", "1", "42"
  };

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    int files = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    Random random = new Random(20_251_122L);
    long total = 0;
    for (int i = 0; i < files; i++) {
      // 25 files per directory, 20 directories per parent: a realistic depth of 3-4.
      Path dir = root.resolve("app/m" + (i / 500) + "/d" + (i / 25 % 20));
      Files.createDirectories(dir);
      // Sizes from 1 to ~19 KiB, mean ~10 KiB: total ~100 MB for 10,000 files.
      int size = 1024 + random.nextInt(18 * 1024);
      boolean incompressible = i % 10 == 9;
      Path file = dir.resolve("f" + i + (incompressible ? ".bin" : ".py"));
      try (OutputStream out = Files.newOutputStream(file)) {
        if (incompressible) {
          byte[] bytes = new byte[size];
          random.nextBytes(bytes);
          out.write(bytes);
        } else {
          out.write(text(random, size));
        }
      }
      total += size;
    }
    Path hooks = Files.createDirectories(root.resolve(".platform/hooks/predeploy"));
    for (int i = 0; i < 3; i++) {
      Path hook = hooks.resolve("0" + i + "_hook.sh");
      Files.writeString(hook, "#!/bin/sh\necho hook " + i + "\n");
      Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    System.out.printf("%d files, %,d bytes in %s%n", files + 3, total, root);
  }

  private static byte[] text(Random random, int size) {
    StringBuilder b = new StringBuilder(size + 16);
    int column = 0;
    while (b.length() < size) {
      String word = WORDS[random.nextInt(WORDS.length)];
      b.append(word);
      column += word.length();
      if (column > 70 || random.nextInt(12) == 0) {
        b.append('\n');
        column = 0;
        for (int indent = random.nextInt(4); indent > 0; indent--) {
          b.append("    ");
        }
      } else {
        b.append(' ');
      }
    }
    b.setLength(size);
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
