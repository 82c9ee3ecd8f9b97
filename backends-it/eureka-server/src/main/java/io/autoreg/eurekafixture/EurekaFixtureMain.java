package io.autoreg.eurekafixture;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.netflix.eureka.server.EnableEurekaServer;

/** A stand-alone Eureka server on loopback; the port comes from {@code --server.port}. */
@SpringBootApplication
@EnableEurekaServer
public class EurekaFixtureMain {
    public static void main(String[] args) {
        SpringApplication.run(EurekaFixtureMain.class, args);
    }
}
