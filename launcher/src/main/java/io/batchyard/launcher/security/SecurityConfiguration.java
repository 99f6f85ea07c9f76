package io.batchyard.launcher.security;

import io.batchyard.launcher.enhancements.RobotAuthenticationFilter;
import io.batchyard.launcher.enhancements.RobotNonces;
import io.batchyard.launcher.enhancements.RobotsProperties;
import io.batchyard.launcher.production.MissingSettingException;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.launcher.security.SecurityProperties.Role;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.ExceptionMappingAuthenticationFailureHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Access control: form login with CSRF for the dashboard; HTTP Basic or a bearer token,
 * without sessions, for {@code /api} and the actuator. {@code VIEWER} reads,
 * {@code OPERATOR} acts (and reads: the role hierarchy). Only in a web application: the
 * command line has no users and needs none.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SecurityConfiguration {

	private static final Log logger = LogFactory.getLog(SecurityConfiguration.class);

	static final String EMBEDDED_USER = "admin";

	@Bean
	static RoleHierarchy roleHierarchy() {
		return RoleHierarchyImpl.withDefaultRolePrefix().role(Role.OPERATOR.name()).implies(Role.VIEWER.name()).build();
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	UserDetailsService userDetailsService(SecurityProperties properties, PasswordEncoder encoder,
			Environment environment) {
		List<UserDetails> users = new ArrayList<>();
		properties.users().forEach((name, user) -> {
			if (user.password() == null || user.password().isBlank()) {
				throw new IllegalStateException("batchyard.security.users." + name + ".password is empty: set an"
						+ " encoded password such as {bcrypt}$2a$10$...");
			}
			users.add(User.withUsername(name)
				.password(user.password())
				.roles(user.roles().stream().map(Role::name).toArray(String[]::new))
				.build());
		});
		if (users.isEmpty() && properties.tokens().isEmpty()) {
			if (!environment.acceptsProfiles(Profiles.of("embedded"))) {
				throw new MissingSettingException("batchyard.security.users.<name>.password",
						"No users configured: set batchyard.security.users.<name>.password"
								+ " (an encoded password such as {bcrypt}$2a$10$...) and .roles (VIEWER or OPERATOR)."
								+ " Only the embedded default generates a password.",
						"Configure a user (or a bearer token, batchyard.security.tokens.<name>.sha256); see"
								+ " docs/dashboard-and-security.md for hashing a password.");
			}
			String password = generatedPassword();
			// Printed once, on the console of the embedded default only, like Spring
			// Boot's own generated password; it is never stored.
			logger.warn(String.format(
					"%n%nDashboard login for the embedded default: user '%s', generated password:"
							+ " %s%nConfigure batchyard.security.users.* to choose your own.%n",
					EMBEDDED_USER, password));
			users.add(User.withUsername(EMBEDDED_USER)
				.password(encoder.encode(password))
				.roles(Role.OPERATOR.name())
				.build());
		}
		return new InMemoryUserDetailsManager(users);
	}

	@Bean
	LoginThrottle loginThrottle(LoginThrottleProperties properties, Clock clock) {
		return new LoginThrottle(properties, clock);
	}

	@Bean
	PasswordLogins passwordLogins(UserDetailsService userDetailsService, PasswordEncoder passwordEncoder,
			LoginThrottle loginThrottle, BasicAuthCacheProperties basicAuthCache, MeterRegistry meterRegistry,
			Clock clock) {
		return new PasswordLogins(userDetailsService, passwordEncoder, loginThrottle, basicAuthCache, meterRegistry,
				clock);
	}

	/**
	 * The API and the actuator: every request carries its credentials (Basic or bearer)
	 * and no session or cookie is created or honoured. CSRF exploits a browser sending a
	 * session cookie by itself; a request that must carry its own Authorization header
	 * cannot be forged that way, so CSRF protection does not apply here.
	 */
	@Bean
	@Order(1)
	SecurityFilterChain apiSecurity(HttpSecurity http, SecurityProperties properties, PasswordLogins passwordLogins)
			throws Exception {
		AuthenticationEntryPoint entryPoint = (request, response, ex) -> {
			if (ex instanceof LoginThrottledException throttled) {
				response.setHeader("Retry-After", String.valueOf(throttled.getRetryAfterSeconds()));
				json(response, 429, throttled.getMessage());
				return;
			}
			response.setHeader("WWW-Authenticate", "Basic realm=\"batchyard\"");
			json(response, HttpServletResponse.SC_UNAUTHORIZED,
					"Authentication required: use HTTP Basic or a bearer token");
		};
		AccessDeniedHandler denied = (request, response, ex) -> json(response, HttpServletResponse.SC_FORBIDDEN,
				"Forbidden: this needs the OPERATOR role");
		http.securityMatcher("/api/**", "/actuator/**", "/enhancement-requests", "/enhancement-requests/**")
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/actuator/health", "/actuator/health/**")
				.permitAll()
				.requestMatchers("/actuator/**")
				.hasRole(Role.OPERATOR.name())
				.requestMatchers(HttpMethod.GET, "/api/**", "/enhancement-requests/**")
				.hasRole(Role.VIEWER.name())
				.anyRequest()
				.hasRole(Role.OPERATOR.name()))
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable())
			.authenticationManager(passwordLogins.api())
			.httpBasic((basic) -> basic.authenticationEntryPoint(entryPoint))
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(entryPoint).accessDeniedHandler(denied))
			.addFilterBefore(new BearerTokenFilter(properties.tokens(), entryPoint), BasicAuthenticationFilter.class);
		return http.build();
	}

	/**
	 * The robot API: every request signed by one robot with its own secret
	 * ({@link RobotAuthenticationFilter}); no session, no CSRF (nothing a browser sends
	 * by itself authenticates here).
	 */
	@Bean
	@Order(0)
	SecurityFilterChain robotSecurity(HttpSecurity http, RobotsProperties robots, RobotNonces robotNonces)
			throws Exception {
		http.securityMatcher("/robot-enhancement-batches", "/robot-enhancement-batches/**")
			.authorizeHttpRequests((requests) -> requests.anyRequest().hasRole("ROBOT"))
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable())
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint((request, response,
					ex) -> json(response, HttpServletResponse.SC_UNAUTHORIZED, "Robot authentication required")))
			.addFilterBefore(new RobotAuthenticationFilter(robots, robotNonces, java.time.Clock.systemUTC()),
					BasicAuthenticationFilter.class);
		return http.build();
	}

	/**
	 * The local blob directory's signed URLs: the signature in the URL is the credential,
	 * checked by the controller, as S3 checks a presigned URL.
	 */
	@Bean
	@Order(0)
	SecurityFilterChain signedBlobSecurity(HttpSecurity http) throws Exception {
		http.securityMatcher("/blobs/**")
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	/**
	 * The dashboard: form login, a session, and a CSRF token in every state-changing
	 * form. A throttled login goes back to the form with its own message.
	 */
	@Bean
	@Order(2)
	SecurityFilterChain dashboardSecurity(HttpSecurity http, PasswordLogins passwordLogins) throws Exception {
		ExceptionMappingAuthenticationFailureHandler failures = new ExceptionMappingAuthenticationFailureHandler();
		failures.setDefaultFailureUrl("/login?error");
		failures.setExceptionMappings(Map.of(LoginThrottledException.class.getName(), "/login?throttled"));
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers("/login", "/error", "/dashboard.css", "/dashboard.js", "/favicon.ico")
			.permitAll()
			.requestMatchers(HttpMethod.GET, "/**")
			.hasRole(Role.VIEWER.name())
			.anyRequest()
			.hasRole(Role.OPERATOR.name()))
			.authenticationManager(passwordLogins.dashboard())
			.formLogin((form) -> form.loginPage("/login").failureHandler(failures).permitAll())
			.logout((logout) -> logout.logoutSuccessUrl("/login?logout"));
		return http.build();
	}

	private static void json(HttpServletResponse response, int status, String message) throws IOException {
		response.setStatus(status);
		response.setContentType("application/json");
		response.getWriter().write("{\"error\":\"" + message + "\",\"status\":" + status + "}");
	}

	private static String generatedPassword() {
		byte[] bytes = new byte[18];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
