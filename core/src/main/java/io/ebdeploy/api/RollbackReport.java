package io.ebdeploy.api;

import java.util.List;
import java.util.Optional;

/**
 * What the paired rollback did: every environment not on its previous label was returned to it in
 * one polling loop, then the group was verified. Present in a result whenever a deploy failed or
 * was interrupted after its first change.
 *
 * @param reason why the group was rolled back (the deploy's failure, or the interruption)
 * @param succeeded true when every environment ended on its previous label, Ready
 * @param environments one per environment of the group, in deploy order
 * @param instructions when it failed: the exact commands to run next, one per line; else empty
 */
public record RollbackReport(
    String reason, boolean succeeded, List<Step> environments, List<String> instructions) {

  public RollbackReport {
    environments = List.copyOf(environments);
    instructions = List.copyOf(instructions);
  }

  /** What happened to one environment. */
  public enum StepOutcome {
    /** An UpdateEnvironment returned it to its previous label, verified. */
    RETURNED("returned"),
    /** It was on its previous label already (never updated, reverted or aborted): nothing sent. */
    ALREADY_THERE("already-there"),
    /** The rollback of it failed: it runs {@link Step#labelNow()}. */
    FAILED("failed"),
    /**
     * It ran no version before the deploy: there is nothing to return it to by label, so it was
     * left on {@link Step#labelNow()}; counted as a failed rollback.
     */
    NO_PREVIOUS_VERSION("no-previous-version");

    private final String wireName;

    StepOutcome(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /**
   * @param environment its name
   * @param previousLabel where it had to return (empty string: it ran no version)
   * @param labelBefore the label it ran when the rollback began
   * @param labelNow the label it runs after the rollback
   * @param outcome what happened
   * @param reason why it failed; empty otherwise
   */
  public record Step(
      String environment,
      String previousLabel,
      String labelBefore,
      String labelNow,
      StepOutcome outcome,
      Optional<String> reason) {}
}
