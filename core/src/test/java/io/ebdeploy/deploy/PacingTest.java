package io.ebdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PacingTest {
  final Pacing pacing =
      new Pacing(
          Duration.ofSeconds(2), Duration.ofSeconds(15), Duration.ofMinutes(2), Pacing.REAL_SLEEP);

  @Test
  void next_quietTicks_growToCap() {
    Duration d = pacing.initial();
    for (int i = 0; i < 20; i++) {
      d = pacing.next(d, false);
    }
    assertThat(d).isEqualTo(Duration.ofSeconds(15));
    assertThat(pacing.next(Duration.ofSeconds(2), false)).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void next_change_backToInitial() {
    assertThat(pacing.next(Duration.ofSeconds(15), true)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void backoff_throttled_jitteredWithinDoubleAndCapped() {
    for (int i = 0; i < 100; i++) {
      Duration b = pacing.backoff(Duration.ofSeconds(4));
      assertThat(b).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
      assertThat(pacing.backoff(Duration.ofMinutes(10)))
          .isLessThanOrEqualTo(Duration.ofSeconds(60));
    }
  }
}
