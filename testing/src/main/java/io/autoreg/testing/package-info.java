/**
 * The test support every autoreg module shares (issue 13, "one test-support module"; OkHttp's
 * {@code okhttp-testing-support} is the model): a plain jar taken with {@code <scope>test</scope>}.
 *
 * <p>{@link io.autoreg.testing.Await} and {@link io.autoreg.testing.Http} are the one copy of what six and three
 * modules had; their overloads keep every name and argument order of the old copies, so that
 * {@code scripts/dev/use-autoreg-testing.sh} moves a test by rewriting its imports only.
 *
 * <p>{@link io.autoreg.testing.AnswerDroppingProxy} is a loopback TCP proxy that loses the answer to one chosen
 * request after the server applied it (the core client's and the agent's light client's tests of a lost heartbeat
 * answer).
 *
 * <p>The child-process helpers differ in how they launch, and each test depends on that, so they stay apart
 * (moved here unchanged, launch behaviour included):
 * <ul>
 *   <li>{@link io.autoreg.testing.ChildJvm}: a JVM (usually under {@code -javaagent}) with {@code -Xshare:auto},
 *       stdout and stderr read line by line through pipes, stdin an open pipe, {@code AUTOREG_*} and
 *       {@code JAVA_TOOL_OPTIONS} removed from the environment; {@code close()} is SIGKILL.</li>
 *   <li>{@link io.autoreg.testing.Child}: any command with stdout and stderr in two files and stdin from
 *       {@code /dev/null}, {@code AUTOREG_*} removed; {@code java(…)} runs the JVM through
 *       {@code env --default-signal=HUP}; {@code close()} kills the descendants too.</li>
 *   <li>{@link io.autoreg.testing.ChildProcess}: any command with stdout and stderr appended to one log file, the
 *       environment inherited as it is; {@code close()} is SIGTERM, then SIGKILL after 10 s.
 *       {@link io.autoreg.testing.LoggedChild} is the base of a child owning such a log (deleted on close).</li>
 * </ul>
 */
package io.autoreg.testing;
