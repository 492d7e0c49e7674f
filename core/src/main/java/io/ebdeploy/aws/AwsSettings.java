package io.ebdeploy.aws;

import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.Sourced;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.InstanceProfileRegionProvider;

/**
 * INTERNAL: the region, profile and endpoints a run uses, resolved the way the AWS CLI and the AWS
 * SDKs resolve them, from an environment given as a map (the CLI passes its process environment),
 * and each with where it came from ({@link Sourced}). See docs/configuration.md, "Region,
 * credentials and endpoints".
 *
 * <p>Region, first found wins: the explicit setting ({@code --region}, {@code region:} in
 * eb-deploy.yml, {@code EB_DEPLOY_REGION}), {@code AWS_REGION}, {@code AWS_DEFAULT_REGION} (which
 * the AWS CLI and the EB CLI read and the Java SDK does not), the profile's {@code region}, and
 * only on an EC2 instance ({@link Ec2Host}) the instance metadata: off EC2 no network probe.
 *
 * <p>Endpoint of a service, first found wins: the explicit one ({@code --endpoint-url}, {@code
 * EbDeploy.endpoint}), {@code AWS_ENDPOINT_URL_<SERVICE>}, {@code AWS_ENDPOINT_URL}, the profile's
 * {@code [services NAME]} section, the profile's {@code endpoint_url}; none of the configured ones
 * (all but the explicit) with {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true} or the profile's
 * {@code ignore_configured_endpoint_urls = true}. The Java SDK 2.40.2 reads the same variables and
 * files by itself, but it cannot say where an endpoint came from, does not know the ignore switch,
 * and reads only the real process environment; resolving them here and handing the result to the
 * SDK as an endpoint override gives the same endpoint, with its source.
 *
 * <p>Resolves lazily: reading the files and asking the instance metadata happen at the first call
 * that needs them, once. Thread-safe.
 */
public final class AwsSettings {
  private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)+");

  private final Map<String, String> env;
  private final Optional<Sourced<String>> region;
  private final Optional<Sourced<String>> profile;
  private final Optional<Sourced<URI>> endpoint;
  private final Map<AwsService, Sourced<URI>> serviceEndpoints;
  private final Path root;
  private final Supplier<Region> instanceMetadataRegion;

  private SharedFiles files;
  private Sourced<Region> resolvedRegion;

  private AwsSettings(Builder b) {
    this.env = Map.copyOf(b.env);
    this.region = b.region;
    this.profile = b.profile;
    this.endpoint = b.endpoint;
    this.serviceEndpoints = new EnumMap<>(b.serviceEndpoints);
    this.root = b.root;
    this.instanceMetadataRegion = b.instanceMetadataRegion;
  }

  /** Settings read from {@code env} (AWS_REGION, AWS_PROFILE, AWS_CONFIG_FILE, HOME...). */
  public static Builder builder(Map<String, String> env) {
    return new Builder(env);
  }

  /**
   * The profile: the explicit one, else {@code AWS_PROFILE}, else {@code default}; its source is
   * empty for the implicit {@code default}.
   */
  public Sourced<String> profile() {
    return profile
        .or(() -> variable("AWS_PROFILE").map(p -> new Sourced<>(p, "AWS_PROFILE")))
        .orElseGet(() -> new Sourced<>("default", "the default profile"));
  }

  /** True when a profile was named explicitly (flag or eb-deploy.yml): its credentials only. */
  public boolean explicitProfile() {
    return profile.isPresent();
  }

  /** The shared config and credentials files ({@code AWS_CONFIG_FILE}...), merged. */
  public synchronized ProfileFile profileFile() {
    return files().merged;
  }

  /**
   * The region and where it came from.
   *
   * @throws EbDeployException INVALID_INPUT when no source names one, or one names a value that is
   *     not a region
   */
  public synchronized Sourced<Region> region() {
    if (resolvedRegion == null) {
      Sourced<String> found =
          region
              .or(() -> variable("AWS_REGION").map(r -> new Sourced<>(r, "AWS_REGION")))
              .or(
                  () ->
                      variable("AWS_DEFAULT_REGION")
                          .map(r -> new Sourced<>(r, "AWS_DEFAULT_REGION")))
              .or(() -> profileProperty("region"))
              .or(this::instanceMetadata)
              .orElseThrow(this::noRegion);
      String name = found.value().strip();
      if (!REGION.matcher(name).matches()) {
        throw EbDeployException.invalidInput(
            "the AWS region '"
                + found.value()
                + "' (from "
                + found.source()
                + ") is not a region name; use one such as eu-central-1 or us-east-1");
      }
      resolvedRegion = new Sourced<>(Region.of(name), found.source());
    }
    return resolvedRegion;
  }

  /** The endpoint that replaces AWS's for this service, and where it came from; empty for AWS. */
  public synchronized Optional<Sourced<URI>> endpoint(AwsService service) {
    Optional<Sourced<URI>> explicit =
        Optional.ofNullable(serviceEndpoints.get(service)).or(() -> endpoint);
    if (explicit.isPresent() || ignoresConfiguredEndpoints()) {
      return explicit;
    }
    return variable(service.endpointVariable())
        .map(u -> uri(u, service.endpointVariable()))
        .or(() -> variable("AWS_ENDPOINT_URL").map(u -> uri(u, "AWS_ENDPOINT_URL")))
        .or(() -> servicesSection(service))
        .or(() -> profileProperty("endpoint_url").map(s -> uri(s.value(), s.source())));
  }

  /**
   * True when the configured endpoints (variables, profile) are to be ignored: {@code
   * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS}, else the profile's {@code
   * ignore_configured_endpoint_urls}.
   */
  public synchronized boolean ignoresConfiguredEndpoints() {
    return variable("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .or(() -> profileProperty("ignore_configured_endpoint_urls").map(Sourced::value))
        .map(v -> v.strip().equalsIgnoreCase("true"))
        .orElse(false);
  }

  private Optional<Sourced<String>> instanceMetadata() {
    if (!Ec2Host.detected(env, root)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Sourced<>(instanceMetadataRegion.get().id(), "EC2 instance metadata"));
    } catch (SdkClientException e) {
      return Optional.empty();
    }
  }

  private EbDeployException noRegion() {
    Sourced<String> p = profile();
    return EbDeployException.invalidInput(
        "no AWS region: pass --region, set region: in eb-deploy.yml, export AWS_REGION or"
            + " AWS_DEFAULT_REGION, or give the profile '"
            + p.value()
            + "' a region (aws configure set region eu-central-1"
            + (p.value().equals("default") ? "" : " --profile " + p.value())
            + "); an endpoint URL does not imply one");
  }

  /** {@code [services NAME]}'s {@code <service>.endpoint_url}, NAME from the profile's services. */
  private Optional<Sourced<URI>> servicesSection(AwsService service) {
    SharedFiles f = files();
    String name = profile().value();
    return f.config
        .flatMap(pf -> pf.profile(name))
        .flatMap(pr -> pr.property("services"))
        .flatMap(
            section ->
                f.config
                    .flatMap(pf -> pf.getSection("services", section))
                    .flatMap(s -> s.property(service.configKey() + ".endpoint_url"))
                    .map(u -> uri(u, "[services " + section + "] in " + f.configPath)));
  }

  /** A property of the profile, from the credentials file first, then the config file. */
  private Optional<Sourced<String>> profileProperty(String key) {
    SharedFiles f = files();
    String name = profile().value();
    return property(f.credentials, name, key, f.credentialsPath)
        .or(() -> property(f.config, name, key, f.configPath));
  }

  private static Optional<Sourced<String>> property(
      Optional<ProfileFile> file, String profile, String key, Path path) {
    return file.flatMap(pf -> pf.profile(profile))
        .flatMap((Profile p) -> p.property(key))
        .filter(v -> !v.isBlank())
        .map(v -> new Sourced<>(v.strip(), "profile " + profile + " in " + path));
  }

  private Optional<String> variable(String name) {
    return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  private static Sourced<URI> uri(String value, String source) {
    try {
      URI u = new URI(value.strip());
      String scheme = u.getScheme();
      if (scheme != null
          && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          && u.getHost() != null) {
        return new Sourced<>(u, source);
      }
    } catch (URISyntaxException e) {
      // below
    }
    throw EbDeployException.invalidInput(
        "the endpoint URL '"
            + value
            + "' (from "
            + source
            + ") is not an http(s) URL with a host; write e.g. http://127.0.0.1:4599, or unset it");
  }

  private SharedFiles files() {
    if (files == null) {
      files = SharedFiles.read(env);
    }
    return files;
  }

  /** The shared config and credentials files, each read once; absent files are empty. */
  private record SharedFiles(
      Path configPath,
      Optional<ProfileFile> config,
      Path credentialsPath,
      Optional<ProfileFile> credentials,
      ProfileFile merged) {

    static SharedFiles read(Map<String, String> env) {
      Path home = home(env);
      Path config = path(env, "AWS_CONFIG_FILE", home, home.resolve(".aws").resolve("config"));
      Path credentials =
          path(
              env,
              "AWS_SHARED_CREDENTIALS_FILE",
              home,
              home.resolve(".aws").resolve("credentials"));
      Optional<ProfileFile> c = load(config, ProfileFile.Type.CONFIGURATION);
      Optional<ProfileFile> k = load(credentials, ProfileFile.Type.CREDENTIALS);
      ProfileFile.Aggregator all = ProfileFile.aggregator();
      // As the SDK merges them: the credentials file's values win.
      for (Optional<ProfileFile> f : List.of(k, c)) {
        f.ifPresent(all::addFile);
      }
      return new SharedFiles(config, c, credentials, k, all.build());
    }

    private static Optional<ProfileFile> load(Path file, ProfileFile.Type type) {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      try {
        return Optional.of(ProfileFile.builder().content(file).type(type).build());
      } catch (RuntimeException e) {
        throw EbDeployException.invalidInput(
            "the AWS shared "
                + (type == ProfileFile.Type.CONFIGURATION ? "config" : "credentials")
                + " file "
                + file
                + " cannot be read: "
                + e.getMessage());
      }
    }

    private static Path home(Map<String, String> env) {
      for (String name : List.of("HOME", "USERPROFILE")) {
        String v = env.get(name);
        if (v != null && !v.isBlank()) {
          return Path.of(v.strip());
        }
      }
      return Path.of(System.getProperty("user.home", "."));
    }

    private static Path path(Map<String, String> env, String variable, Path home, Path fallback) {
      String v = env.get(variable);
      if (v == null || v.isBlank()) {
        return fallback;
      }
      v = v.strip();
      if (v.equals("~") || v.startsWith("~/")) {
        return home.resolve(v.substring(Math.min(2, v.length())));
      }
      return Path.of(v);
    }
  }

  /** Builds {@link AwsSettings}; unset means "from the environment". */
  public static final class Builder {
    private final Map<String, String> env;
    private Optional<Sourced<String>> region = Optional.empty();
    private Optional<Sourced<String>> profile = Optional.empty();
    private Optional<Sourced<URI>> endpoint = Optional.empty();
    private final Map<AwsService, Sourced<URI>> serviceEndpoints = new EnumMap<>(AwsService.class);
    private Path root = Path.of("/");
    private Supplier<Region> instanceMetadataRegion =
        () -> new InstanceProfileRegionProvider().getRegion();

    private Builder(Map<String, String> env) {
      this.env = Objects.requireNonNull(env, "env");
    }

    /** The region named by the user (flag, eb-deploy.yml): wins over every variable. */
    public Builder region(Optional<Sourced<String>> region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /** The profile named by the user (flag, eb-deploy.yml): wins over AWS_PROFILE. */
    public Builder profile(Optional<Sourced<String>> profile) {
      this.profile = Objects.requireNonNull(profile, "profile");
      return this;
    }

    /** One endpoint for every service ({@code --endpoint-url}): wins over every variable. */
    public Builder endpoint(Optional<Sourced<URI>> endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** One service's endpoint, winning over {@link #endpoint}. */
    public Builder endpoint(AwsService service, Optional<Sourced<URI>> endpoint) {
      endpoint.ifPresentOrElse(
          e -> serviceEndpoints.put(service, e), () -> serviceEndpoints.remove(service));
      return this;
    }

    /** Where {@code /sys} is looked for (EC2 detection); tests point it at a fake tree. */
    Builder root(Path root) {
      this.root = root;
      return this;
    }

    /** How the instance metadata is asked for the region; tests count the calls. */
    Builder instanceMetadataRegion(Supplier<Region> instanceMetadataRegion) {
      this.instanceMetadataRegion = instanceMetadataRegion;
      return this;
    }

    public AwsSettings build() {
      return new AwsSettings(this);
    }
  }
}
