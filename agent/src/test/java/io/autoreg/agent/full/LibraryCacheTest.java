package io.autoreg.agent.full;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nested libraries' copy on disk: one owner-only file per build, reused by the next JVM, never one per JVM;
 * a directory it cannot trust gets a private copy instead.
 */
class LibraryCacheTest {

    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path temp;

    private final AtomicInteger opened = new AtomicInteger();

    @Test
    void theFirstJvmWritesOneOwnerOnlyCopyInAnOwnerOnlyDirectory() throws IOException {
        byte[] build = bytes(100_000, 1);
        Path copy = obtain(build);

        Path directory = temp.resolve("autoreg-agent-" + USER);
        assertEquals(directory, copy.getParent());
        assertEquals(sharedName(build), name(copy));
        assertArrayEquals(build, Files.readAllBytes(copy));
        assertEquals("rwx------", permissions(directory));
        assertEquals("rw-------", permissions(copy));
        assertEquals(List.of(name(copy)), names(directory), "no partial file left behind");
    }

    @Test
    void theNextJvmReusesTheCopyWithoutWritingIt() throws IOException {
        byte[] build = bytes(100_000, 1);
        Path first = obtain(build);
        Object inode = Files.readAttributes(first, "unix:ino").get("ino");

        Path second = obtain(build);

        assertEquals(first, second);
        assertEquals(1, opened.get(), "the content is read once, by the first JVM");
        assertEquals(inode, Files.readAttributes(second, "unix:ino").get("ino"), "the same file, not a rewrite");
        assertEquals(1, names(first.getParent()).size());
    }

    @Test
    void aReusedCopyUnusedForDaysHasItsTimeRefreshed() throws IOException {
        byte[] build = bytes(1_000, 1);
        Path copy = obtain(build);
        FileTime old = FileTime.fromMillis(
                System.currentTimeMillis() - Duration.ofDays(3).toMillis());
        Files.setLastModifiedTime(copy, old);

        obtain(build);

        assertTrue(Files.getLastModifiedTime(copy).compareTo(old) > 0, "the time of last use is kept current");
    }

    @Test
    void aCopyOfTheWrongSizeIsReplacedByAWholeOne() throws IOException {
        byte[] build = bytes(50_000, 2);
        Path copy = obtain(build);
        Files.write(copy, new byte[10]); // truncated behind the cache's back

        Path again = obtain(build);

        assertArrayEquals(build, Files.readAllBytes(again));
        assertEquals("rw-------", permissions(again));
    }

    @Test
    void eachBuildHasItsOwnCopyAndLongUnusedOnesAreDeletedByTheNextWriter() throws IOException {
        Path recent = obtain(bytes(1_000, 1));
        Path stale = obtain(bytes(1_000, 2));
        Path directory = recent.getParent();
        Path leftPart = Files.createFile(directory.resolve("libraries-00000000-1.jar.123.part"));
        long now = System.currentTimeMillis();
        Files.setLastModifiedTime(stale, FileTime.fromMillis(now - LibraryCache.UNUSED_FOR.toMillis() - 60_000));
        Files.setLastModifiedTime(
                leftPart, FileTime.fromMillis(now - Duration.ofDays(2).toMillis()));
        Files.setLastModifiedTime(
                recent, FileTime.fromMillis(now - Duration.ofDays(29).toMillis()));

        Path current = obtain(bytes(1_000, 3));

        assertEquals(List.of(name(current), name(recent)).stream().sorted().toList(), names(directory));
    }

    @Test
    void jvmsStartingAtOnceAllGetTheWholeCopy() throws Exception {
        byte[] build = bytes(2_000_000, 4);
        ExecutorService jvms = Executors.newFixedThreadPool(4);
        try {
            Callable<Path> start = () -> obtain(build);
            List<Future<Path>> copies = jvms.invokeAll(List.of(start, start, start, start));
            for (Future<Path> copy : copies) {
                assertArrayEquals(build, Files.readAllBytes(copy.get()));
            }
            assertEquals(1, names(copies.get(0).get().getParent()).size(), "one copy, no parts left");
        } finally {
            jvms.shutdownNow();
        }
    }

    @Test
    void aDirectoryOthersCanWriteIsNotTrusted() throws IOException {
        Path directory = Files.createDirectory(temp.resolve("autoreg-agent-" + USER));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path planted = directory.resolve(sharedName(bytes(1_000, 5)));
        Files.write(planted, bytes(1_000, 6)); // right name and size, wrong content

        assertPrivateCopy(bytes(1_000, 5));
        assertArrayEquals(bytes(1_000, 6), Files.readAllBytes(planted), "left alone");
    }

    @Test
    void aLinkInPlaceOfTheDirectoryIsNotFollowed() throws IOException {
        Path elsewhere = Files.createDirectory(temp.resolve("elsewhere"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(temp.resolve("autoreg-agent-" + USER), elsewhere);

        assertPrivateCopy(bytes(1_000, 7));
        assertEquals(List.of(), names(elsewhere));
    }

    @Test
    void aTrustedDirectoryThatCannotTakeTheCopyFallsBackToAPrivateOne() throws IOException {
        byte[] build = bytes(1_000, 9);
        Path directory = Files.createDirectory(temp.resolve("autoreg-agent-" + USER));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        // a non-empty directory under the copy's name: the rename into place fails (as a read-only directory
        // would make it, for a user other than root)
        Path squatter = Files.createDirectory(directory.resolve(sharedName(build)));
        Files.createFile(squatter.resolve("inside"));

        assertPrivateCopy(build);
        assertEquals(List.of(name(squatter)), names(directory), "no partial file left behind");
        assertEquals(List.of("inside"), names(squatter), "left alone");
    }

    @Test
    void anUnknownUserGetsAPrivateCopy() throws IOException {
        byte[] build = bytes(1_000, 8);
        LibraryCache cache = new LibraryCache(temp, "no-such-user-" + System.nanoTime());

        Path copy = cache.obtain(crc(build), build.length, () -> new ByteArrayInputStream(build));

        assertEquals(temp, copy.getParent());
        assertArrayEquals(build, Files.readAllBytes(copy));
        assertFalse(Files.exists(cache.directory()));
    }

    @Test
    void aUserNameCannotLeadOutOfTheTempDirectory() {
        Path directory = new LibraryCache(temp, "../../etc/x y").directory();
        assertEquals(temp, directory.getParent());
        assertEquals("autoreg-agent-.._.._etc_x_y", name(directory));
    }

    private void assertPrivateCopy(byte[] build) throws IOException {
        Path copy = obtain(build);
        assertEquals(temp, copy.getParent(), "a file of its own beside the untrusted directory");
        assertTrue(name(copy).startsWith("autoreg-agent-libraries-"), name(copy));
        assertArrayEquals(build, Files.readAllBytes(copy));
        assertEquals("rw-------", permissions(copy));
        assertNotEquals(copy, obtain(build), "never shared");
    }

    private Path obtain(byte[] build) throws IOException {
        return new LibraryCache(temp, USER).obtain(crc(build), build.length, () -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(build);
        });
    }

    private static byte[] bytes(int size, int seed) {
        byte[] bytes = new byte[size];
        new java.util.Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The shared copy's name, spelt out here rather than taken from {@link LibraryCache}: the test pins it. */
    private static String sharedName(byte[] build) {
        return String.format("libraries-%08x-%d.jar", crc(build), build.length);
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static String name(Path path) {
        return path.getFileName().toString();
    }

    private static List<String> names(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.map(LibraryCacheTest::name).sorted().toList();
        }
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
