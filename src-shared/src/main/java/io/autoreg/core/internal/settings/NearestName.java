package io.autoreg.core.internal.settings;

import java.util.Collection;

/**
 * The "did you mean" of a mistyped name: the known name fewest single-character edits away (Levenshtein), if it is
 * near enough to be the one meant. Used for settings keys and the registry's command-line options.
 */
public final class NearestName {

    private NearestName() {}

    /**
     * @param maxEdits how many insertions, deletions or substitutions still count as a typo of a name
     * @return the nearest of {@code known} within {@code maxEdits} of {@code typed} (the first of equals), or null
     */
    public static String among(String typed, Collection<String> known, int maxEdits) {
        String best = null;
        int bestDistance = maxEdits + 1;
        for (String candidate : known) {
            int d = distance(typed, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
