package io.ebdeploy.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every AWS-facing command shares ({@code deploy}, {@code status}, {@code plan}, {@code
 * bundle}): add it to a command with {@code @Mixin GlobalOptions global;}. Each option can also
 * come from an {@code EB_DEPLOY_*} environment variable; a flag on the command line wins. Unset
 * options are empty: the caller falls back to {@code eb-deploy.yml}, then to the AWS SDK's own
 * chains (region, credentials).
 */
public final class GlobalOptions {
  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  private Path projectDir;
  private URI endpointUrl;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      defaultValue = "${env:EB_DEPLOY_REGION}",
      description =
          "AWS region, e.g. eu-central-1 (env EB_DEPLOY_REGION; default: eb-deploy.yml, then"
              + " AWS_REGION, AWS_DEFAULT_REGION, the profile's region, and on EC2 the instance"
              + " metadata).")
  private String region;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      defaultValue = "${env:EB_DEPLOY_PROFILE}",
      description =
          "AWS profile for credentials, region and endpoints (env EB_DEPLOY_PROFILE; default:"
              + " eb-deploy.yml, then the AWS chain: AWS_ACCESS_KEY_ID..., AWS_PROFILE, default).")
  private String profile;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      defaultValue = "${env:EB_DEPLOY_OUTPUT:-text}",
      description = "text or json (env EB_DEPLOY_OUTPUT; default: ${DEFAULT-VALUE}).")
  private OutputFormat output = OutputFormat.text;

  @Mixin private VerbosityOption verbosity = new VerbosityOption();

  @Option(
      names = "--project-dir",
      paramLabel = "DIR",
      defaultValue = "${env:EB_DEPLOY_PROJECT_DIR}",
      description =
          "The project to deploy, holding eb-deploy.yml (env EB_DEPLOY_PROJECT_DIR; default: the"
              + " current directory).")
  void setProjectDir(Path dir) {
    this.projectDir = dir;
  }

  @Option(
      names = "--endpoint-url",
      paramLabel = "URL",
      defaultValue = "${env:EB_DEPLOY_ENDPOINT_URL}",
      description =
          "Send every AWS call to this endpoint instead of AWS, e.g. a sandbox:"
              + " http://127.0.0.1:4599 (env EB_DEPLOY_ENDPOINT_URL; default: AWS_ENDPOINT_URL_<SERVICE>,"
              + " AWS_ENDPOINT_URL, the profile's endpoint_url, else AWS).")
  void setEndpointUrl(String url) {
    if (url == null || url.isEmpty()) {
      this.endpointUrl = null;
      return;
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      throw invalid("--endpoint-url '" + url + "' is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      throw invalid(
          "--endpoint-url '"
              + url
              + "' must be an http(s) URL with a host, e.g."
              + " http://127.0.0.1:4599");
    }
    this.endpointUrl = uri;
  }

  private ParameterException invalid(String message) {
    return new ParameterException(mixee.commandLine(), message);
  }

  /** The project directory, absolute and normalized; the current directory when not given. */
  public Path projectDir() {
    Path dir = projectDir == null ? Path.of("") : projectDir;
    return dir.toAbsolutePath().normalize();
  }

  /** The endpoint that replaces AWS's for every service (a sandbox, a proxy), when given. */
  public Optional<URI> endpointUrl() {
    return Optional.ofNullable(endpointUrl);
  }

  public Optional<String> region() {
    return Optional.ofNullable(region).filter(s -> !s.isBlank());
  }

  /**
   * What set an option, for {@code -v} and {@code plan}: the option when it was on the command
   * line, else the variable it defaults from.
   */
  String source(String option, String variable) {
    return mixee.commandLine().getParseResult().hasMatchedOption(option) ? option : variable;
  }

  public Optional<String> profile() {
    return Optional.ofNullable(profile).filter(s -> !s.isBlank());
  }

  public OutputFormat output() {
    return output;
  }

  /** True for {@code --output json}: print one JSON document on stdout and nothing else there. */
  public boolean json() {
    return output == OutputFormat.json;
  }

  /** How many times -v was given. */
  public int verbosity() {
    return verbosity.verbosity();
  }

  public boolean isVerbose() {
    return verbosity.isVerbose();
  }
}
