package io.autoreg.agent.register;

import java.util.Locale;

/**
 * What the JVM runs, from {@code sun.java.command}: the main class or jar ({@code main} in the
 * metadata) and the service name derived from it when none is configured: {@code sample-app.jar} and
 * {@code io.autoreg.sample.SampleApp} both give {@code sample-app}.
 *
 * @param main        main class or jar file name
 * @param serviceName derived service name, kebab-case
 */
record MainIdentity(String main, String serviceName) {

    static MainIdentity ofThisJvm() {
        return of(System.getProperty("sun.java.command"), System.getProperty("jdk.module.main"));
    }

    static MainIdentity of(String command, String mainModule) {
        String first = command == null ? "" : command.trim().split("\\s+", 2)[0];
        if (first.isEmpty()) {
            return new MainIdentity(mainModule != null ? mainModule : "java", mainModule != null ? kebab(mainModule) : "java");
        }
        if (first.endsWith(".jar")) {
            String file = first.substring(Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\')) + 1);
            String base = file.substring(0, file.length() - ".jar".length())
                    .replaceFirst("-\\d+(\\.\\d+)*([.-][A-Za-z0-9]+)*$", "");
            return new MainIdentity(file, kebab(base));
        }
        String mainClass = first.contains("/") ? first.substring(first.indexOf('/') + 1) : first;
        String simple = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        return new MainIdentity(mainClass, kebab(simple.endsWith("Main") && simple.length() > 4
                ? simple.substring(0, simple.length() - 4) : simple));
    }

    /** {@code SampleApp} → {@code sample-app}; anything outside {@code [a-z0-9._-]} becomes {@code -}. */
    static String kebab(String name) {
        String dashed = name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return dashed.isEmpty() ? "java" : dashed;
    }
}
