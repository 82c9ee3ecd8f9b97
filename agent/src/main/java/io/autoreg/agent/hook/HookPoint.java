package io.autoreg.agent.hook;

/**
 * One method whose normal exit reports a listener event.
 *
 * @param classMatch internal class name ({@code sun/nio/ch/ServerSocketChannelImpl}), or, when
 *                   {@code suffix}, the tail that any (shaded) copy's name ends with
 * @param suffix     whether {@code classMatch} is a name suffix (Netty and its shaded copies)
 * @param method     method name
 * @param descriptor method descriptor
 * @param kind       what the exit means
 */
record HookPoint(String classMatch, boolean suffix, String method, String descriptor, EventKind kind) {

    boolean matchesClass(String internalName) {
        return suffix ? internalName.endsWith(classMatch) : internalName.equals(classMatch);
    }

    boolean matchesMethod(String name, String desc) {
        return method.equals(name) && descriptor.equals(desc);
    }
}
