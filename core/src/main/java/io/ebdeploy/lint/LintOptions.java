package io.ebdeploy.lint;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.Tier;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to lint: immutable, each setter returns a copy.
 *
 * <pre>{@code
 * LintOptions.defaults().config(ConfigLoader.load(dir, System.getenv())).strict(true)
 * }</pre>
 */
public final class LintOptions {
  private final DeployConfig config;
  private final boolean strict;
  private final List<Tier> group;

  private LintOptions(DeployConfig config, boolean strict, List<Tier> group) {
    this.config = config;
    this.strict = strict;
    this.group = group;
  }

  /** Default config, not strict, group unknown. */
  public static LintOptions defaults() {
    return new LintOptions(DeployConfig.defaults(), false, null);
  }

  /** The project's settings: what the bundle holds ({@code bundle.*}, the version file). */
  public LintOptions config(DeployConfig config) {
    return new LintOptions(Objects.requireNonNull(config, "config"), strict, group);
  }

  /** Strict: warnings block too. */
  public LintOptions strict(boolean strict) {
    return new LintOptions(config, strict, group);
  }

  /**
   * The tiers of the group the bundle goes to, one per environment. Known only to a deploy (after
   * discovery): it enables the rules that depend on the group (a cron.yaml without a worker) and
   * lowers a missing role guard to a warning in a group of one environment.
   */
  public LintOptions group(List<Tier> tiers) {
    return new LintOptions(config, strict, List.copyOf(tiers));
  }

  public DeployConfig config() {
    return config;
  }

  public boolean strict() {
    return strict;
  }

  /** The group's tiers, when known. */
  public Optional<List<Tier>> group() {
    return Optional.ofNullable(group);
  }
}
