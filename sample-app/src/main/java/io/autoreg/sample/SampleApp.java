package io.autoreg.sample;
public final class SampleApp { public static void main(String[] a) {} }
