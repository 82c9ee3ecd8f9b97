package io.autoreg.agent.register;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.jar.Manifest;

/**
 * What the JVM runs, from {@code sun.java.command}: the main class or jar ({@code main} in the
 * metadata) and the service name derived from it when none is configured: {@code sample-app.jar} and
 * {@code io.autoreg.sample.SampleApp} both give {@code sample-app}; a main class whose name says nothing of the service
 * ({@code Main}, {@code Application}, {@code Server}, …) gives the last segment of its module or package
 * ({@code com.acme.orders.Main} → {@code orders}).
 *
 * @param main        main class or jar file name
 * @param serviceName derived service name, kebab-case
 */
record MainIdentity(String main, String serviceName) {

    /**
     * Spring Boot's launchers ({@code org.springframework.boot.loader.launch.JarLauncher}, the main class of an
     * unpacked, layered image: {@code java org.springframework.boot.loader.launch.JarLauncher}) say nothing of the
     * application: every Spring Boot service of such a fleet would be {@code jar-launcher}. The application's class is
     * the {@code Start-Class} of the manifest the launcher itself reads.
     */
    private static final String SPRING_BOOT_LOADER = "org.springframework.boot.loader.";

    static MainIdentity ofThisJvm() {
        MainIdentity identity = of(System.getProperty("sun.java.command"), System.getProperty("jdk.module.main"));
        return identity.main().startsWith(SPRING_BOOT_LOADER) ? ofSpringBootLauncher(identity, startClass()) : identity;
    }

    static MainIdentity ofSpringBootLauncher(MainIdentity launcher, String startClass) {
        return startClass == null || startClass.isBlank() ? launcher : of(startClass.trim(), null);
    }

    /**
     * The first {@code Start-Class} among the class path's manifests (the unpacked application's; the launcher's
     * class path is that one directory), or null. Not the first manifest: the boot class path's come first, and the
     * agent's own jar is on it.
     */
    private static String startClass() {
        try {
            Enumeration<URL> manifests = ClassLoader.getSystemClassLoader().getResources("META-INF/MANIFEST.MF");
            while (manifests.hasMoreElements()) {
                try (InputStream in = manifests.nextElement().openStream()) {
                    String startClass = new Manifest(in).getMainAttributes().getValue("Start-Class");
                    if (startClass != null) {
                        return startClass;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no name from it: the launcher's own stands
        }
        return null;
    }

    static MainIdentity of(String command, String mainModule) {
        String trimmed = command == null ? "" : command.trim();
        int space = trimmed.indexOf(' ');
        String first = space < 0 ? trimmed : trimmed.substring(0, space);
        if (first.isEmpty()) {
            return new MainIdentity(
                    mainModule != null ? mainModule : "java", mainModule != null ? kebab(mainModule) : "java");
        }
        if (first.endsWith(".jar")) {
            String file = first.substring(Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\')) + 1);
            return new MainIdentity(file, kebab(withoutVersion(file.substring(0, file.length() - ".jar".length()))));
        }
        String mainClass = first.contains("/") ? first.substring(first.indexOf('/') + 1) : first;
        String simple = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        if (isGeneric(simple)) {
            // com.acme.orders.Main names the service by its package (or module), not "main": every such service of a
            // fleet would otherwise be one service "main" to its consumers
            String module = first.contains("/") ? first.substring(0, first.indexOf('/')) : mainModule;
            String owner = module != null && !module.isEmpty() ? module : packageOf(mainClass);
            if (owner != null) {
                return new MainIdentity(mainClass, kebab(owner.substring(owner.lastIndexOf('.') + 1)));
            }
        }
        return new MainIdentity(
                mainClass,
                kebab(
                        simple.endsWith("Main") && simple.length() > 4
                                ? simple.substring(0, simple.length() - 4)
                                : simple));
    }

    /** Main class names that say nothing of the service: a fleet has many of each. */
    private static boolean isGeneric(String simpleName) {
        switch (simpleName) {
            case "Main":
            case "App":
            case "Application":
            case "Server":
            case "Launcher":
            case "Bootstrap":
            case "Boot":
            case "Starter":
            case "Runner":
                return true;
            default:
                return false;
        }
    }

    private static String packageOf(String mainClass) {
        int dot = mainClass.lastIndexOf('.');
        return dot <= 0 ? null : mainClass.substring(0, dot);
    }

    /** {@code orders-1.4.2-SNAPSHOT} → {@code orders}: cut at the first {@code -} followed by a digit. */
    static String withoutVersion(String base) {
        for (int i = 1; i + 1 < base.length(); i++) {
            if (base.charAt(i) == '-' && Character.isDigit(base.charAt(i + 1))) {
                return base.substring(0, i);
            }
        }
        return base;
    }

    /**
     * {@code SampleApp} → {@code sample-app}; runs of anything outside {@code [a-z0-9._-]} become one
     * {@code -}. Plain loops: the regex engine is 40 classes the host app may never load otherwise.
     */
    static String kebab(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        boolean pendingDash = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean plain = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
            if (!plain) {
                pendingDash = out.length() > 0;
                continue;
            }
            if (Character.isUpperCase(c) && i > 0 && out.length() > 0) {
                char previous = name.charAt(i - 1);
                if (Character.isLowerCase(previous) || Character.isDigit(previous)) {
                    pendingDash = true;
                }
            }
            if (pendingDash && out.charAt(out.length() - 1) != '-') {
                out.append('-');
            }
            pendingDash = false;
            out.append(Character.toLowerCase(c));
        }
        int start = 0;
        int end = out.length();
        while (start < end && out.charAt(start) == '-') {
            start++;
        }
        while (end > start && out.charAt(end - 1) == '-') {
            end--;
        }
        return start == end ? "java" : out.substring(start, end);
    }
}
