package io.autoreg.registry.store;

import io.autoreg.registry.http.ApiError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How a failed journal write is answered (503 with the fault body) and logged (with a hint). */
final class StoreFailure {
    private StoreFailure() {}

    /** ENOSPC reads "No space left on device" on Linux; EDQUOT ("Disk quota exceeded") is the same to an operator. */
    static boolean diskFull(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("No space left") || message.contains("quota exceeded");
    }

    static ApiError refusal(IOException e, Path dir) {
        return new ApiError(
                503,
                "systemFailureError",
                "Service Unavailable",
                diskFull(e)
                        ? "The registry's disk is full: the change was not stored. Retry once space is freed."
                        : "The registry could not store the change (" + e.getMessage() + "). Retry later.");
    }

    static String hint(IOException e, Path dir, long goodOffset) {
        String free;
        try {
            free = Files.getFileStore(dir).getUsableSpace() + " bytes free";
        } catch (IOException unknown) {
            free = "free space unknown";
        }
        return (diskFull(e)
                        ? "the disk of " + dir.toAbsolutePath() + " is full (" + free + "): "
                        : "writing the journal in " + dir.toAbsolutePath() + " failed (" + e.getMessage() + ", " + free
                                + "): ")
                + "writes are refused with 503 and rolled back, the journal is cut back to its last good offset "
                + goodOffset
                + "; reads and heartbeats go on. Free space in that file system; writes are stored again as soon as it has room";
    }
}
