package io.ebdeploy.cli;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.bundle.BuildRunner;
import io.ebdeploy.bundle.Bundle;
import io.ebdeploy.bundle.Bundler;
import io.ebdeploy.bundle.SourceVersion;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eb-deploy bundle}: runs the build and writes the source bundle a deploy would upload, the
 * same bytes for the same commit (the version file is dated by the commit). Never touches AWS.
 */
@Command(
    name = "bundle",
    sortOptions = false,
    description = {
      "Builds the project and writes its source bundle, the zip a deploy uploads, without"
          + " touching AWS. The same commit gives the same bytes.",
      ""
    })
public final class BundleCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = {"-o", "--output-file"},
      paramLabel = "FILE",
      description = "Where to write the zip (default: LABEL.zip in the project directory).")
  private Path output;

  @Option(
      names = "--label",
      paramLabel = "LABEL",
      description = "The version label written into the bundle (default: from git).")
  private String label;

  @Option(
      names = "--staged",
      description = "Bundle the git index instead of HEAD and the working tree.")
  private boolean staged;

  @Mixin private GlobalOptions global;

  @Override
  public Integer call() {
    CliContext ctx = CliContext.of(spec);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = global.projectDir();
    DeployConfig config = Projects.config(global, ctx);
    if (staged) {
      DeployConfig.Bundle b = config.bundle();
      config =
          config.toBuilder()
              .bundle(new DeployConfig.Bundle(b.include(), b.exclude(), b.allowSecrets(), true))
              .build();
    }
    SourceVersion version = SourceVersion.resolve(dir, Optional.ofNullable(label));
    Path zip = (output != null ? output : dir.resolve(version.label() + ".zip")).toAbsolutePath();
    if (Files.isDirectory(zip)) {
      throw CliException.usage("-o " + zip + " is a directory: name the zip file");
    }
    if (zip.getParent() == null || !Files.isDirectory(zip.getParent())) {
      throw CliException.usage(
          "-o " + zip + ": the directory " + zip.getParent() + " does not exist; create it first");
    }
    Bundle bundle;
    try (ProgressRenderer progress =
            global.json()
                ? ProgressRenderer.plain(err, ctx.zone())
                : ProgressRenderer.of(out, Style.of(ctx), ctx.zone());
        Signals.Handle signals = Signals.interruptOnSignal(Thread.currentThread())) {
      BuildRunner.run(
          dir,
          config.build(),
          line -> progress.onEvent(new DeployEvent.BuildLine(Instant.now(), line)));
      Instant deployedAt = version.commitTime().orElseGet(Instant::now);
      bundle = Bundler.create(dir, config, version, deployedAt, Bundler.deployedBy(ctx.env()), zip);
    }
    if (global.json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", bundle.path().toString());
      m.put("label", version.label());
      m.put("commit", version.commit());
      m.put("sha256", bundle.sha256());
      m.put("size", bundle.size());
      m.put("fileCount", bundle.fileCount());
      m.put("files", bundle.entries());
      out.println(JsonOut.write(m));
    } else {
      out.println(
          "Wrote "
              + bundle.path()
              + ": "
              + version.label()
              + ", "
              + bundle.fileCount()
              + " files, "
              + Format.size(bundle.size())
              + ", sha256 "
              + bundle.sha256());
    }
    out.flush();
    return ExitCodes.OK;
  }
}
