package io.batchyard.launcher.embedded;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The local DLCS stand-in plays an external system: {@code manifestUpdateJob} calls it
 * the way it calls the real DLCS (a bearer JWT the stand-in checks itself, no dashboard
 * session), so it sits outside the dashboard's and the API's authentication. It exists
 * only in the embedded profile's web server: a command-line run has neither a web server
 * nor the {@code HttpSecurity} this chain is built from.
 */
@Profile("embedded")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Configuration(proxyBeanMethods = false)
class LocalDlcsSecurity {

	@Bean
	@Order(0)
	SecurityFilterChain localDlcsFilterChain(HttpSecurity http) throws Exception {
		http.securityMatcher("/local-dlcs/**")
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

}
