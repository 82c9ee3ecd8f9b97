package io.autoreg.agent.full;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;

/**
 * Where the nested libraries jar is put on disk for a class loader to read: one file per agent build, shared
 * by every JVM of the user, in an owner-only directory of the temp directory,
 * {@code <java.io.tmpdir>/autoreg-agent-<user>/libraries-<crc>-<size>.jar}.
 *
 * <p>Why shared and kept: a copy per JVM deleted at exit is left behind by every JVM that dies without a clean
 * exit (SIGKILL, OOM killer, a container stopped hard) — 14 MB each, days of restarts fill {@code /tmp}. The
 * name is the nested entry's CRC and size from the agent jar's central directory, so a new build gets a new
 * file and an old one is never read for it. A file is written under a temporary name and renamed into place,
 * so the name only ever holds a complete copy; two JVMs starting at once both write and the second rename
 * replaces an identical file.
 *
 * <p>Why trusted: the directory is used only when it is a real directory (not a link), owned by this user, and
 * writable by nobody else; otherwise (another user planted it, say) the JVM falls back to a private copy of its
 * own, owner-only and deleted at exit (so does a trusted directory that cannot take the copy). Files of other
 * builds unused for {@link #UNUSED_FOR} are deleted when a new copy is written (a reused file's time is refreshed,
 * at most daily).
 */
final class LibraryCache {

    /** How long a copy of another build may go unused before a new copy's writer deletes it. */
    static final Duration UNUSED_FOR = Duration.ofDays(30);

    private static final Duration REFRESH_AFTER = Duration.ofDays(1);
    private static final String PREFIX = "libraries-";
    private static final String PART = ".part";
    private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    /** Opens the content to copy; called only when a copy is written. */
    interface Content {
        InputStream open() throws IOException;
    }

    private final Path tempDirectory;
    private final String user;

    LibraryCache(Path tempDirectory, String user) {
        this.tempDirectory = tempDirectory;
        this.user = user;
    }

    static LibraryCache forThisJvm() {
        return new LibraryCache(Path.of(System.getProperty("java.io.tmpdir")), System.getProperty("user.name", ""));
    }

    /** The directory of this user's copies (it may not exist yet). */
    Path directory() {
        return tempDirectory.resolve("autoreg-agent-" + user.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /**
     * A file holding the content: the shared copy of this build (written first when missing), or a private copy
     * deleted at exit when the shared directory cannot be trusted.
     *
     * @param crc the content's CRC-32, from the jar's central directory
     * @param size the content's length in bytes
     */
    Path obtain(long crc, long size, Content content) throws IOException {
        UserPrincipal me = ownerOrNull();
        Path directory = me == null ? null : ownDirectory(me);
        if (directory == null) {
            return privateCopy(content);
        }
        String name = sharedName(crc, size);
        Path shared = directory.resolve(name);
        if (isComplete(shared, size, me)) {
            refreshTime(shared);
            return shared;
        }
        try {
            writeShared(content, shared);
        } catch (IOException notShared) {
            // the directory is ours but cannot take the copy (made read-only, a directory squatting the name, a
            // quota): the agent still starts, from a copy of its own
            return privateCopy(content);
        }
        deleteUnused(directory, name);
        return shared;
    }

    /** The shared copy's file name: the build is told by the nested jar's CRC-32 and length. */
    private static String sharedName(long crc, long size) {
        return PREFIX + String.format("%08x", crc) + "-" + size + ".jar";
    }

    /** Writes under a temporary name beside {@code shared} and renames it into place. */
    private static void writeShared(Content content, Path shared) throws IOException {
        Path part = Files.createTempFile(shared.getParent(), shared.getFileName() + ".", PART); // owner-only on POSIX
        try {
            write(content, part);
            Files.move(part, shared, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private UserPrincipal ownerOrNull() {
        try {
            return tempDirectory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
        } catch (IOException | UnsupportedOperationException unknownUser) {
            return null;
        }
    }

    /** This user's directory, created owner-only when missing; null when it is not private to the user. */
    private Path ownDirectory(UserPrincipal me) throws IOException {
        Path directory = directory();
        try {
            Files.createDirectory(
                    directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException existing) {
            // checked below, like a new one
        } catch (UnsupportedOperationException notPosix) {
            try {
                Files.createDirectory(directory); // private to the user by default there
            } catch (FileAlreadyExistsException existing) {
                // checked below
            }
        }
        Attributes attributes = Attributes.of(directory);
        boolean own = attributes.basic().isDirectory()
                && me.equals(attributes.owner())
                && Collections.disjoint(attributes.permissions(), WRITABLE_BY_OTHERS);
        return own ? directory : null;
    }

    /**
     * A file's type, size and owner, and its permissions where the file system has POSIX ones (none elsewhere): one
     * read on POSIX, where they come together. The path's last link is not followed.
     */
    private record Attributes(BasicFileAttributes basic, UserPrincipal owner, Set<PosixFilePermission> permissions) {
        static Attributes of(Path path) throws IOException {
            try {
                PosixFileAttributes posix =
                        Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                return new Attributes(posix, posix.owner(), posix.permissions());
            } catch (UnsupportedOperationException notPosix) {
                return new Attributes(
                        Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS),
                        Files.getFileAttributeView(path, FileOwnerAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                                .getOwner(),
                        Set.of());
            }
        }
    }

    private static boolean isComplete(Path shared, long size, UserPrincipal me) throws IOException {
        Attributes attributes;
        try {
            attributes = Attributes.of(shared);
        } catch (NoSuchFileException missing) {
            return false;
        }
        return attributes.basic().isRegularFile() && attributes.basic().size() == size && me.equals(attributes.owner());
    }

    private static void refreshTime(Path shared) {
        try {
            FileTime now = FileTime.fromMillis(System.currentTimeMillis());
            if (Files.getLastModifiedTime(shared).toMillis() < now.toMillis() - REFRESH_AFTER.toMillis()) {
                Files.setLastModifiedTime(shared, now);
            }
        } catch (IOException notRefreshed) {
            // at worst a later writer deletes it after UNUSED_FOR and the next start writes it again
        }
    }

    /** Deletes other builds' copies unused for {@link #UNUSED_FOR} and parts a writer left behind a day ago. */
    private static void deleteUnused(Path directory, String keep) {
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Duration unusedFor = name.endsWith(PART) ? REFRESH_AFTER : UNUSED_FOR;
                long modified = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS)
                        .toMillis();
                if (!name.equals(keep) && modified < now - unusedFor.toMillis()) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException notTidied) {
            // tidying is best effort: the copy just written is in place either way
        }
    }

    private Path privateCopy(Content content) throws IOException {
        Path copy = Files.createTempFile(tempDirectory, "autoreg-agent-libraries-", ".jar"); // owner-only on POSIX
        copy.toFile().deleteOnExit();
        write(content, copy);
        return copy;
    }

    /** Writes into the existing file, which keeps its owner-only permissions (a replace would not). */
    private static void write(Content content, Path target) throws IOException {
        try (InputStream in = content.open();
                OutputStream out = Files.newOutputStream(target)) {
            in.transferTo(out);
        }
    }
}
