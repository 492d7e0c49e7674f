package io.ebdeploy.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.text.Printable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourceVersionTest {
  @TempDir Path dir;

  private TestRepo repo() {
    return TestRepo.init(dir).write("app.py", "print(1)\n").commit("first");
  }

  @Test
  void resolve_taggedCommit_usesTheTag() {
    TestRepo repo = repo().tag("v1.2.0");

    SourceVersion version = SourceVersion.resolve(dir, Optional.empty());

    assertThat(version.label()).isEqualTo("v1.2.0");
    assertThat(version.commit()).isEqualTo(repo.git("rev-parse", "HEAD").strip()).hasSize(40);
    assertThat(version.shortCommit()).isEqualTo(repo.git("rev-parse", "--short", "HEAD").strip());
    assertThat(version.dirty()).isFalse();
    assertThat(version.commitTime()).isPresent();
  }

  @Test
  void resolve_commitsAfterTheTag_usesDescribe() {
    TestRepo repo = repo().tag("v1.2.0").write("b.py", "x").commit("second");

    SourceVersion version = SourceVersion.resolve(dir, Optional.empty());

    assertThat(version.label()).isEqualTo("v1.2.0-1-g" + version.shortCommit());
    assertThat(repo.git("describe", "--tags").strip()).isEqualTo(version.label());
  }

  @Test
  void resolve_onlyTagsNotMatchingVersionPattern_usesShortCommit() {
    repo().tag("release-1").tag("latest");

    SourceVersion version = SourceVersion.resolve(dir, Optional.empty());

    assertThat(version.label()).isEqualTo(version.shortCommit());
  }

  @Test
  void resolve_noTag_usesShortCommit() {
    repo();

    SourceVersion version = SourceVersion.resolve(dir, Optional.empty());

    assertThat(version.label()).isEqualTo(version.shortCommit()).hasSizeGreaterThanOrEqualTo(7);
  }

  @Test
  void resolve_trackedFileModified_appendsDirty() {
    repo().tag("v2.0.0").write("app.py", "print(2)\n");

    SourceVersion version = SourceVersion.resolve(dir, Optional.empty());

    assertThat(version.label()).isEqualTo("v2.0.0-dirty");
    assertThat(version.dirty()).isTrue();
  }

  @Test
  void resolve_stagedChange_appendsDirty() {
    repo().write("app.py", "print(2)\n").addAll();

    SourceVersion version = SourceVersion.resolve(dir, Optional.empty());

    assertThat(version.label()).isEqualTo(version.shortCommit() + "-dirty");
  }

  @Test
  void resolve_untrackedFileOnly_isClean() {
    repo().tag("v2.0.0").write("notes.txt", "scratch");

    SourceVersion version = SourceVersion.resolve(dir, Optional.empty());

    assertThat(version.label()).isEqualTo("v2.0.0");
    assertThat(version.dirty()).isFalse();
  }

  @Test
  void resolve_explicitLabel_usedAsGivenEvenWhenDirty() {
    repo().tag("v2.0.0").write("app.py", "changed");

    SourceVersion version = SourceVersion.resolve(dir, Optional.of("build-42"));

    assertThat(version.label()).isEqualTo("build-42");
    assertThat(version.dirty()).isTrue();
    assertThat(version.commit()).hasSize(40);
  }

  @Test
  void resolve_notAGitRepoWithoutLabel_failsSayingHowToFix() {
    assertThatThrownBy(() -> SourceVersion.resolve(dir, Optional.empty()))
        .isInstanceOfSatisfying(
            EbDeployException.class,
            e -> assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT))
        .hasMessageContaining(dir + " is not in a git repository")
        .hasMessageContaining("--label");
  }

  @Test
  void resolve_repoWithoutCommit_failsSayingSo() {
    TestRepo.init(dir);

    assertThatThrownBy(() -> SourceVersion.resolve(dir, Optional.empty()))
        .hasMessageContaining("without any commit");
  }

  @Test
  void resolve_notAGitRepoWithLabel_hasUnknownCommit() throws Exception {
    Files.writeString(dir.resolve("app.py"), "x");

    SourceVersion version = SourceVersion.resolve(dir, Optional.of("v9"));

    assertThat(version.label()).isEqualTo("v9");
    assertThat(version.commit()).isEqualTo("unknown");
    assertThat(version.shortCommit()).isEqualTo("unknown");
    assertThat(version.dirty()).isFalse();
    assertThat(version.commitTime()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"feature/x", "", " v1", "tab\there"})
  void resolve_invalidExplicitLabel_refused(String label) {
    repo();

    assertThatThrownBy(() -> SourceVersion.resolve(dir, Optional.of(label)))
        .isInstanceOf(EbDeployException.class)
        .hasMessageStartingWith("version label '" + Printable.of(label) + "' ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1\u202egnp.exe", "v1\nok", "v1\u2066x", "v1\u001b[2Jx"})
  void resolve_labelWithControlOrBidiCharacters_refusedAndShownEscaped(String label) {
    repo();

    assertThatThrownBy(() -> SourceVersion.resolve(dir, Optional.of(label)))
        .isInstanceOf(EbDeployException.class)
        .hasMessageContaining("contains a control or invisible formatting character")
        .hasMessageContaining("'" + Printable.of(label) + "'")
        .hasMessageNotContaining(label.substring(2, 3));
  }

  @Test
  void resolve_labelOver100Characters_refusedNamingTheLength() {
    repo();
    String label = "v" + "1".repeat(100);

    assertThatThrownBy(() -> SourceVersion.resolve(dir, Optional.of(label)))
        .hasMessageContaining("is 101 characters long; Beanstalk allows at most 100");
  }

  @Test
  void resolve_tagWithSlash_refusedSuggestingAFix() {
    repo().tag("v1/rc");

    assertThatThrownBy(() -> SourceVersion.resolve(dir, Optional.empty()))
        .hasMessageContaining("contains '/'")
        .hasMessageContaining("'v1-rc'");
  }
}
