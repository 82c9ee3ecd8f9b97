package io.autoreg.eurekafixture;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Spring Security as a protected Eureka server runs it (Spring Cloud's documented set-up: HTTP basic on every
 * path, CSRF off, since Eureka's clients send no CSRF token). Off unless {@code --fixture.basic-auth=true}; the
 * user then comes from Spring Boot's {@code --spring.security.user.name} / {@code .password}.
 */
@Configuration
public class FixtureSecurity {

    @Bean
    SecurityFilterChain eurekaSecurity(HttpSecurity http, @Value("${fixture.basic-auth:false}") boolean basicAuth)
            throws Exception {
        http.csrf(csrf -> csrf.disable());
        if (basicAuth) {
            http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .httpBasic(Customizer.withDefaults());
        } else {
            http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        }
        return http.build();
    }
}
