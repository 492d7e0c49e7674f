package io.ebdeploy.bundle;

/**
 * One file of the bundle. Its content comes from exactly one place: the working tree ({@code file},
 * relative to the project), the git index ({@code blob}), or memory ({@code data}: the version file
 * and symlink targets).
 *
 * @param name the entry name, '/'-separated, relative to the project
 * @param mode the Unix mode with its file type, e.g. 0100755 or 0120777
 * @param size the content size in bytes
 */
record Entry(String name, int mode, long size, String file, String blob, byte[] data) {
  static final int REGULAR = 0100000;
  static final int SYMLINK = 0120000;
  static final int TYPE_MASK = 0170000;

  /** git keeps only the executable bit, so modes are normalised to 644/755: umask-proof. */
  static int fileMode(boolean executable) {
    return REGULAR | (executable ? 0755 : 0644);
  }

  static Entry workTreeFile(String name, boolean executable, long size) {
    return new Entry(name, fileMode(executable), size, name, null, null);
  }

  static Entry indexFile(String name, boolean executable, long size, String blob) {
    return new Entry(name, fileMode(executable), size, null, blob, null);
  }

  static Entry symlink(String name, byte[] target) {
    return new Entry(name, SYMLINK | 0777, target.length, null, null, target);
  }

  static Entry generated(String name, byte[] data) {
    return new Entry(name, fileMode(false), data.length, null, null, data);
  }

  boolean isSymlink() {
    return (mode & TYPE_MASK) == SYMLINK;
  }
}
