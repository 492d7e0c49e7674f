import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.bundle.Bundle;
import io.ebdeploy.bundle.Bundler;
import io.ebdeploy.bundle.SourceVersion;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * One bundling run, as the deploy pipeline does it: resolve the version, select, check, zip.
 * Prints "millis sha256 size files" on one line for run.sh.
 *
 * <p>Usage: {@code java -Xmx256m -cp core.jar:deps BundleBench.java TREE ZIP}
 */
public final class BundleBench {
  public static void main(String[] args) {
    Path tree = Path.of(args[0]);
    Path zip = Path.of(args[1]);
    long start = System.nanoTime();
    SourceVersion version = SourceVersion.resolve(tree, Optional.of("bench"));
    Bundle bundle =
        Bundler.create(
            tree,
            DeployConfig.defaults(),
            version,
            Instant.parse("2025-01-01T00:00:00Z"),
            "bench",
            zip);
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println(millis + " " + bundle.sha256() + " " + bundle.size() + " " + bundle.fileCount());
  }
}
