package io.autoreg.sidecar.run;

import io.autoreg.core.internal.log.Log;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the command; exit 0 passes. It gets {@code AUTOREG_CHECK_HOST} and {@code AUTOREG_CHECK_PORT} so
 * one script can serve several checks. Output is discarded (a chatty check must not fill a pipe and
 * hang); a command that outlives the timeout is killed with its descendants and counts as a failure.
 */
final class ExecHealthCheck implements HealthCheck {
    private final List<String> command;
    private final CheckSettings check;

    ExecHealthCheck(CheckSettings check) {
        this.command = check.command();
        this.check = check;
    }

    @Override
    public Result probe() {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("AUTOREG_CHECK_HOST", check.host());
        builder.environment().put("AUTOREG_CHECK_PORT", String.valueOf(check.port()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return Result.fail("cannot start " + command.get(0) + ": " + Log.describe(e));
        }
        try {
            if (!process.waitFor(check.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                return Result.fail("timed out after " + check.timeout().toMillis() + " ms");
            }
            int code = process.exitValue();
            return code == 0 ? Result.pass("exit 0") : Result.fail("exit " + code);
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            return Result.fail("interrupted");
        }
    }

    /** SIGKILL to the command and its descendants, then a short wait so it is reaped, not left as a zombie. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
