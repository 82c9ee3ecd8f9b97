package io.autoreg.agent.attach;

import com.sun.tools.attach.VirtualMachine;
import io.autoreg.agent.AgentVersion;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code java -jar autoreg-agent.jar attach <pid> [key=value…]}: loads the agent into a running JVM,
 * which then registers the listeners it already has. Needs a JDK (the {@code jdk.attach} module) and
 * the same user as the target process. {@code java -jar autoreg-agent.jar --version} prints the release.
 */
public final class AttachMain {

    private AttachMain() {}

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            System.out.println(AgentVersion.line());
            return;
        }
        if (args.length < 2 || !args[0].equals("attach")) {
            System.err.println("usage: java -jar autoreg-agent.jar attach <pid> [key=value ...] | --version");
            System.exit(2);
            return;
        }
        String pid = args[1];
        String agentArguments = String.join(",", Arrays.asList(args).subList(2, args.length));
        try {
            String jar = new File(AttachMain.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .getPath();
            VirtualMachine vm = VirtualMachine.attach(pid);
            // loadAgent returns once agentmain has run: the JVM holds both jars open by then
            try (AttachLauncherJar launcher = AttachLauncherJar.beside(Path.of(jar))) {
                vm.loadAgent(launcher.path().toString(), agentArguments);
            } finally {
                vm.detach();
            }
            System.out.println("autoreg agent loaded into " + pid);
        } catch (URISyntaxException
                | RuntimeException
                | java.io.IOException
                | com.sun.tools.attach.AttachNotSupportedException
                | com.sun.tools.attach.AgentLoadException
                | com.sun.tools.attach.AgentInitializationException e) {
            System.err.println("autoreg: cannot attach to " + pid + ": " + e);
            System.exit(1);
        }
    }
}
