package io.ebdeploy.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ebdeploy.api.BundleInfo;
import io.ebdeploy.api.CallStats;
import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployOutcome;
import io.ebdeploy.api.DeployResult;
import io.ebdeploy.api.EnvironmentResult;
import io.ebdeploy.api.InterruptedDeploy;
import io.ebdeploy.api.Notification;
import io.ebdeploy.api.RollbackReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A deploy's result with the notifications sent about it: in {@link #toJson()} too. */
record NotifiedResult(DeployResult delegate, List<Notification> notifications)
    implements DeployResult {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  NotifiedResult {
    notifications = List.copyOf(notifications);
  }

  @Override
  public String group() {
    return delegate.group();
  }

  @Override
  public Optional<String> commit() {
    return delegate.commit();
  }

  @Override
  public String startedBy() {
    return delegate.startedBy();
  }

  @Override
  public String application() {
    return delegate.application();
  }

  @Override
  public String label() {
    return delegate.label();
  }

  @Override
  public BundleInfo bundle() {
    return delegate.bundle();
  }

  @Override
  public boolean versionReused() {
    return delegate.versionReused();
  }

  @Override
  public boolean uploadSkipped() {
    return delegate.uploadSkipped();
  }

  @Override
  public DeployConfig.MigrationPolicy policy() {
    return delegate.policy();
  }

  @Override
  public Optional<String> migrator() {
    return delegate.migrator();
  }

  @Override
  public List<EnvironmentResult> environments() {
    return delegate.environments();
  }

  @Override
  public boolean succeeded() {
    return delegate.succeeded();
  }

  @Override
  public Optional<String> failure() {
    return delegate.failure();
  }

  @Override
  public Instant startedAt() {
    return delegate.startedAt();
  }

  @Override
  public Instant finishedAt() {
    return delegate.finishedAt();
  }

  @Override
  public DeployOutcome outcome() {
    return delegate.outcome();
  }

  @Override
  public String command() {
    return delegate.command();
  }

  @Override
  public Map<String, String> previousLabels() {
    return delegate.previousLabels();
  }

  @Override
  public Optional<RollbackReport> rollback() {
    return delegate.rollback();
  }

  @Override
  public boolean schemaNotReverted() {
    return delegate.schemaNotReverted();
  }

  @Override
  public Optional<String> snapshot() {
    return delegate.snapshot();
  }

  @Override
  public Optional<String> interruption() {
    return delegate.interruption();
  }

  @Override
  public Optional<InterruptedDeploy> recovered() {
    return delegate.recovered();
  }

  @Override
  public CallStats calls() {
    return delegate.calls();
  }

  @Override
  public String toJson() {
    try {
      ObjectNode root = (ObjectNode) MAPPER.readTree(delegate.toJson());
      root.set(
          "notifications",
          MAPPER.valueToTree(notifications.stream().map(Notification::toMap).toList()));
      return MAPPER.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
