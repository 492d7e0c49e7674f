package io.ebdeploy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code eb-deploy init [DIR]}: writes {@code eb-deploy.yml} and the chosen templates into a
 * project, never overwriting a file. The templates are the repository's {@code ebextensions/} and
 * {@code platform/} folders, copied into the jar at build time (cli/pom.xml), so what init writes
 * is what the repository documents and tests.
 */
@Command(
    name = "init",
    sortOptions = false,
    description = {
      "Writes eb-deploy.yml (every key at its default, commented) and Elastic Beanstalk"
          + " templates into a project: .ebextensions (migrations run once per group), the"
          + " .platform nginx settings, the maintenance toggle and hooks. Never overwrites a file;"
          + " exits 2 when every file exists already.",
      ""
    })
public final class InitCommand implements Callable<Integer> {
  /** Where the templates are in the jar. */
  static final String RESOURCES = "/io/ebdeploy/cli/templates/";

  /** The .ebextensions template. */
  enum Template {
    django,
    generic
  }

  /**
   * One file init writes.
   *
   * @param resource the template, under {@link #RESOURCES}
   * @param target where it goes in the project
   */
  record File(String resource, String target) {
    boolean executable() {
      return target.endsWith(".sh");
    }
  }

  static final File CONFIG = new File("eb-deploy.yml", "eb-deploy.yml");

  static final List<File> DJANGO =
      List.of(
          ebextension("django/01-django.config"), ebextension("django/02-django-options.config"));

  static final List<File> GENERIC = List.of(ebextension("generic/01-app.config"));

  static final List<File> WORKER = List.of(new File("ebextensions/worker/cron.yaml", "cron.yaml"));

  static final List<File> PLATFORM =
      List.of(
          platform("nginx/conf.d/10-proxy.conf"),
          platform("nginx/conf.d/elasticbeanstalk/50-maintenance.conf"),
          platform("hooks/predeploy/50-maintenance.sh"),
          platform("confighooks/predeploy/50-maintenance.sh"),
          platform("hooks/postdeploy/90-health-check.sh"));

  static final List<File> GZIP = List.of(platform("nginx/nginx.conf"));

  @Spec private CommandSpec spec;

  @Mixin private VerbosityOption verbosity;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DIR",
      description = "The project (default: the current directory); it must exist.")
  private Path dir;

  @Option(
      names = "--template",
      paramLabel = "NAME",
      defaultValue = "generic",
      description =
          "django (manage.py commands, WSGIPath, /static) or generic (any platform; a placeholder"
              + " migration). Default: ${DEFAULT-VALUE}.")
  private Template template;

  @Option(names = "--worker", description = "Also write cron.yaml, for a worker environment.")
  private boolean worker;

  @Option(
      names = "--gzip",
      description =
          "Also write .platform/nginx/nginx.conf: the platform's nginx.conf with gzip on (it can"
              + " only be turned on by replacing that file; see platform/README.md).")
  private boolean gzip;

  private static File ebextension(String path) {
    return new File(
        "ebextensions/" + path, ".ebextensions/" + path.substring(path.indexOf('/') + 1));
  }

  private static File platform(String path) {
    return new File("platform/" + path, ".platform/" + path);
  }

  /** The files for these choices, eb-deploy.yml first. */
  static List<File> files(Template template, boolean worker, boolean gzip) {
    List<File> files = new ArrayList<>();
    files.add(CONFIG);
    files.addAll(template == Template.django ? DJANGO : GENERIC);
    if (worker) {
      files.addAll(WORKER);
    }
    files.addAll(PLATFORM);
    if (gzip) {
      files.addAll(GZIP);
    }
    return files;
  }

  @Override
  public Integer call() {
    Path project = (dir == null ? Path.of("") : dir).toAbsolutePath().normalize();
    if (!Files.isDirectory(project)) {
      throw CliException.usage(
          project
              + (Files.exists(project) ? " is not a directory" : " does not exist")
              + ": run init in the project's folder, or create it first");
    }
    PrintWriter out = spec.commandLine().getOut();
    List<String> kept = new ArrayList<>();
    int written = 0;
    out.println("eb-deploy init: " + template + " template in " + project);
    for (File f : files(template, worker, gzip)) {
      if (write(project, f)) {
        written++;
        out.println("  wrote  " + f.target());
      } else {
        kept.add(f.target());
        out.println("  kept   " + f.target() + " (exists; init never overwrites)");
      }
    }
    out.flush();
    if (written == 0) {
      throw CliException.usage(
          "nothing written: every file exists already in "
              + project
              + " ("
              + String.join(", ", kept)
              + "); init never overwrites, delete a file to get the template's version");
    }
    out.println();
    if (template == Template.django) {
      out.println(
          "Next: set your project's package in place of mysite (DJANGO_SETTINGS_MODULE in"
              + " .ebextensions/01-django.config, WSGIPath in .ebextensions/02-django-options.config),");
    } else {
      out.println(
          "Next: put your migration command in .ebextensions/01-app.config (or remove 01_migrate),");
    }
    out.println(
        "commit the files (git keeps the hooks' executable bit), then check them with: eb-deploy"
            + " lint");
    out.flush();
    return ExitCodes.OK;
  }

  /** Writes one file unless something exists at its path; true when written. */
  private static boolean write(Path project, File f) {
    Path target = project.resolve(f.target());
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    byte[] content = resource(f.resource());
    try {
      Files.createDirectories(target.getParent());
      Files.write(target, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      if (f.executable()) {
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      return true;
    } catch (FileAlreadyExistsException e) {
      return false; // created meanwhile: still never overwritten
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, "cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  static byte[] resource(String path) {
    try (InputStream in = InitCommand.class.getResourceAsStream(RESOURCES + path)) {
      if (in == null) {
        throw new IllegalStateException(
            "template " + path + " is missing from the jar: rebuild it (mvn package)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
