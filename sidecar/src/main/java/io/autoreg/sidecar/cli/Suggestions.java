package io.autoreg.sidecar.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * "Did you mean" for a mistyped command or option. picocli ranks commands by similarity but offers for an
 * option only the names sharing its first two letters ({@code --frmat} would get nothing); this ranks both
 * by edit distance, so one dropped, added, changed or swapped letter still finds the name.
 */
final class Suggestions {
    private Suggestions() {}

    static void print(ParameterException e, PrintWriter err) {
        if (!(e instanceof UnmatchedArgumentException unmatched)
                || unmatched.getUnmatched().isEmpty()) {
            return;
        }
        String typed = unmatched.getUnmatched().get(0);
        int eq = typed.indexOf('=');
        if (typed.startsWith("-") && eq > 0) {
            typed = typed.substring(0, eq);
        }
        CommandSpec spec = e.getCommandLine().getCommandSpec();
        boolean option = typed.startsWith("-");
        // an option of a verb put before it (events --follow): exactly that, before an own option one letter away
        if (option && printVerbsTaking(spec, List.of(typed), err)) {
            return;
        }
        String setting = option ? flagOfSetting(typed, candidates(spec, true)) : null;
        if (setting != null) {
            err.println("did you mean: " + setting + "?");
            return;
        }
        List<String> close = closest(typed, candidates(spec, option));
        if (!close.isEmpty()) {
            err.println("did you mean: " + String.join(" or ", close) + "?");
        } else if (!option || !printVerbsTaking(spec, closestOfVerbs(spec, typed), err)) {
            UnmatchedArgumentException.printSuggestions(e, err);
        }
    }

    /**
     * For an option put before its verb, which the group itself does not know: the first of these names that a verb
     * of the group takes, with the verb ({@code did you mean: autoreg-sidecar events list --follow?}), or with the
     * verbs that take it. False when no verb takes any of them.
     */
    private static boolean printVerbsTaking(CommandSpec group, List<String> names, PrintWriter err) {
        for (String name : names) {
            List<String> verbs = verbsTaking(group, name);
            if (verbs.size() == 1) {
                err.println("did you mean: " + group.qualifiedName() + " " + verbs.get(0) + " " + name + "?");
                return true;
            }
            if (!verbs.isEmpty()) {
                err.println("did you mean: " + group.qualifiedName() + " COMMAND " + name + "? (COMMAND: "
                        + String.join(", ", verbs.subList(0, verbs.size() - 1)) + " or " + verbs.get(verbs.size() - 1)
                        + ")");
                return true;
            }
        }
        return false;
    }

    /** The verbs of a group (their names) that take this option. */
    private static List<String> verbsTaking(CommandSpec group, String option) {
        List<String> verbs = new ArrayList<>();
        for (CommandLine verb : new LinkedHashSet<>(group.subcommands().values())) {
            OptionSpec taken = verb.getCommandSpec().findOption(option);
            if (taken != null && !taken.hidden()) {
                verbs.add(verb.getCommandSpec().name());
            }
        }
        return verbs;
    }

    /** A mistyped option before the verb ({@code events --folow}): the verbs' options it is close to, nearest first. */
    private static List<String> closestOfVerbs(CommandSpec group, String typed) {
        Set<String> names = new LinkedHashSet<>();
        for (CommandLine verb : new LinkedHashSet<>(group.subcommands().values())) {
            names.addAll(candidates(verb.getCommandSpec(), true));
        }
        return closest(typed, new ArrayList<>(names));
    }

    private static List<String> candidates(CommandSpec spec, boolean option) {
        List<String> names = new ArrayList<>();
        if (option) {
            for (OptionSpec o : spec.options()) {
                if (!o.hidden()) {
                    names.addAll(List.of(o.names()));
                }
            }
        } else {
            names.addAll(spec.subcommands().keySet());
        }
        return names;
    }

    /**
     * The flag of a setting written by its path ({@code --check-path}, {@code --check.interval},
     * {@code --heartbeat.timeout}, {@code --service-name}): the path with dashes if that is a flag, else its shortest
     * tail that is one ({@code --path} for {@code autoreg.sidecar.check.path}); null when neither is.
     */
    private static String flagOfSetting(String typed, List<String> flags) {
        String path = typed.replaceFirst("^-+", "");
        String dashed = "--" + path.replace('.', '-');
        if (!dashed.equals(typed) && flags.contains(dashed)) {
            return dashed;
        }
        String[] words = path.split("[.-]");
        for (int first = 1; first < words.length; first++) {
            String tail = "--" + String.join("-", Arrays.asList(words).subList(first, words.length));
            if (flags.contains(tail)) {
                return tail;
            }
        }
        return null;
    }

    /** The names within an edit distance of a third of the typed word (at least 1, at most 3), nearest first. */
    static List<String> closest(String typed, List<String> names) {
        int bound = Math.max(1, Math.min(3, typed.replaceFirst("^-+", "").length() / 3));
        Map<Integer, List<String>> byDistance = new TreeMap<>();
        for (String name : names) {
            int distance = distance(typed, name);
            if (distance <= bound) {
                byDistance.computeIfAbsent(distance, d -> new ArrayList<>()).add(name);
            }
        }
        List<String> out = new ArrayList<>();
        byDistance
                .values()
                .forEach(list -> list.stream().sorted(Comparator.naturalOrder()).forEach(out::add));
        return out.size() > 3 ? out.subList(0, 3) : out;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
