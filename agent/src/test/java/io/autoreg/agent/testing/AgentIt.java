package io.autoreg.agent.testing;

import io.autoreg.testing.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The set-up the agent ITs repeat, as a JUnit 5 extension: the real registry on a free loopback port for the
 * whole class, and child JVMs under {@code -javaagent} pointed at it. Register it on a static field:
 * <pre>{@code @RegisterExtension static final AgentIt AGENT = new AgentIt();}</pre>
 * A child started through {@link #start(ChildJvm.Builder)} or {@link #sampleApp(String)} that a test left running
 * is killed after that test; the registry is stopped after the class.
 *
 * <p>It lives with the agent's tests, not in autoreg-testing: it needs the registry server, and the registry's
 * own tests take autoreg-testing, so the module cannot depend on the registry.
 */
public final class AgentIt implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private final List<ChildJvm> children = new CopyOnWriteArrayList<>();
    private volatile RegistryFixture registry;

    @Override
    public void beforeAll(ExtensionContext context) {
        registry = RegistryFixture.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (ChildJvm child : children) {
            child.close();
        }
        children.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        afterEach(context);
        if (registry != null) {
            registry.close();
            registry = null;
        }
    }

    /** The registry, running from before the class's first test to after its last. */
    public RegistryFixture registry() {
        if (registry == null) {
            throw new IllegalStateException(
                    "AgentIt runs only when registered on a static field with @RegisterExtension");
        }
        return registry;
    }

    /** {@link AgentApps#underAgent}: {@code -javaagent:…=registry.url=…,service.name=NAME[,extra]}, 3 s heartbeat timeout. */
    public ChildJvm.Builder underAgent(Path javaHome, String name, String extraArguments) {
        return AgentApps.underAgent(javaHome, registry(), name, extraArguments);
    }

    /** The same on the JDK running the tests. */
    public ChildJvm.Builder underAgent(String name, String extraArguments) {
        return underAgent(AgentApps.jdk17(), name, extraArguments);
    }

    /** Starts the child, to be killed after the test if the test leaves it running. */
    public ChildJvm start(ChildJvm.Builder builder) {
        ChildJvm child = builder.start();
        children.add(child);
        return child;
    }

    /** The sample app on port 0 under the agent, as service NAME. */
    public ChildJvm sampleApp(String name) {
        return start(underAgent(name, "").jar(Artifacts.sampleAppJar(), "--port", "0"));
    }
}
