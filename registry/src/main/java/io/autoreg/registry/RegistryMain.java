package io.autoreg.registry; public final class RegistryMain { public static void main(String[] a) {} }
