package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class GlobalOptionsTest {
  @Command(name = "probe")
  static final class Probe implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @Override
    public Integer call() {
      return 0;
    }
  }

  private Probe probe;
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    probe = new Probe();
    CommandLine cl = EbDeployCommand.commandLine(probe);
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "probe";
    System.arraycopy(args, 0, all, 1, args.length);
    return cl.execute(all);
  }

  @Test
  void mixin_everyOption_readThroughGetters() {
    int code =
        run(
            "--project-dir",
            "/tmp/app/../app",
            "--endpoint-url",
            "http://127.0.0.1:4599",
            "--region",
            "eu-central-1",
            "--profile",
            "ci",
            "--output",
            "JSON",
            "-vv");

    assertThat(code).as(err.toString()).isZero();
    GlobalOptions g = probe.global;
    assertThat(g.projectDir()).isEqualTo(Path.of("/tmp/app"));
    assertThat(g.endpointUrl()).contains(URI.create("http://127.0.0.1:4599"));
    assertThat(g.region()).contains("eu-central-1");
    assertThat(g.profile()).contains("ci");
    assertThat(g.output()).isEqualTo(OutputFormat.json);
    assertThat(g.json()).isTrue();
    assertThat(g.verbosity()).isEqualTo(2);
    assertThat(g.isVerbose()).isTrue();
  }

  @Test
  void mixin_noOptions_defaultsToCurrentDirectoryAndText() {
    assertThat(run()).isZero();

    GlobalOptions g = probe.global;
    assertThat(g.projectDir()).isEqualTo(Path.of("").toAbsolutePath());
    if (System.getenv("EB_DEPLOY_OUTPUT") == null) {
      assertThat(g.output()).isEqualTo(OutputFormat.text);
    }
    if (System.getenv("EB_DEPLOY_ENDPOINT_URL") == null) {
      assertThat(g.endpointUrl()).isEmpty();
    }
    assertThat(g.verbosity()).isZero();
  }

  @Test
  void mixin_unknownOutputFormat_exitsUsageWithChoices() {
    assertThat(run("--output", "yaml")).isEqualTo(ExitCodes.USAGE);

    assertThat(err.toString()).contains("--output", "yaml", "text", "json");
  }

  @Test
  void mixin_endpointWithoutHttp_exitsUsageWithExample() {
    assertThat(run("--endpoint-url", "ftp://example.com")).isEqualTo(ExitCodes.USAGE);

    assertThat(err.toString())
        .contains("--endpoint-url 'ftp://example.com' must be an http(s) URL")
        .contains("http://127.0.0.1:4599");
  }
}
