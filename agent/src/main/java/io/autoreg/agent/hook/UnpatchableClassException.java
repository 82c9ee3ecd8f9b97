package io.autoreg.agent.hook;

/**
 * A class {@link ReturnHookPatcher} does not handle (an attribute inside {@code Code} it cannot fix, a branch
 * that would overflow, a method grown past 64 KiB, {@code jsr}/{@code ret}, malformed input): the caller then
 * rewrites it with ASM ({@link HookRewriter}) instead.
 */
final class UnpatchableClassException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UnpatchableClassException(String message) {
        super(message);
    }

    UnpatchableClassException(String message, Throwable cause) {
        super(message, cause);
    }
}
