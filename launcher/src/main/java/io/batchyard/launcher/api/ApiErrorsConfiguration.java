package io.batchyard.launcher.api;

import java.io.IOException;
import java.util.UUID;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Makes the refusals that never reach a controller answer {@link ApiError} JSON on the
 * API paths ({@link ApiErrors#isApiPath}), at each of the three places they happen:
 * <ol>
 * <li>Tomcat's connector, for a path it will not decode ({@link ApiErrorReportValve});
 * <li>Spring Security's firewall, for a path it will not pass (a {@code ;}, {@code //},
 * an encoded {@code .} or {@code %}, a control character);
 * <li>the servlet error dispatch, for every {@code sendError} and exception that leaves
 * Spring MVC (no handler for a path or method, a 406 decided before a controller ran),
 * which Spring Boot would otherwise answer with its own error shape.
 * </ol>
 * The dashboard's paths keep their HTML error pages.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ApiErrorsConfiguration {

	private static final Log logger = LogFactory.getLog(ApiErrorsConfiguration.class);

	@Bean
	@ConditionalOnClass(name = "org.apache.catalina.startup.Tomcat")
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> apiErrorReportValveCustomizer() {
		return new ApiErrorReportValveCustomizer();
	}

	@Bean
	RequestRejectedHandler apiRequestRejectedHandler() {
		HttpStatusRequestRejectedHandler dashboard = new HttpStatusRequestRejectedHandler();
		return (request, response, ex) -> {
			if (!ApiErrors.isApiPath(request.getRequestURI())) {
				dashboard.handle(request, response, ex);
				return;
			}
			logger.debug("Rejected " + request.getMethod() + " " + ApiErrors.abbreviated(request.getRequestURI()) + ": "
					+ ex.getMessage());
			ApiErrors.write(response, HttpServletResponse.SC_BAD_REQUEST,
					"Request rejected: " + ApiErrors.abbreviated(ex.getMessage()));
		};
	}

	@Bean
	FilterRegistrationBean<ApiErrorDispatchFilter> apiErrorDispatchFilter() {
		FilterRegistrationBean<ApiErrorDispatchFilter> registration = new FilterRegistrationBean<>(
				new ApiErrorDispatchFilter());
		registration.setDispatcherTypes(DispatcherType.ERROR);
		// Before Spring Security's filter: the error of an API request is answered here,
		// whoever made it.
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		registration.addUrlPatterns("/*");
		return registration;
	}

	/**
	 * Replaces the host's {@link ErrorReportValve}, the one Spring Boot adds and the one
	 * Tomcat would add when the host starts without it, by {@link ApiErrorReportValve}.
	 * Ordered last so that Spring Boot's own customizer has added its valve already.
	 */
	static final class ApiErrorReportValveCustomizer
			implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

		@Override
		public void customize(TomcatServletWebServerFactory factory) {
			factory.addContextCustomizers((context) -> {
				Host host = (Host) context.getParent();
				for (Valve valve : host.getPipeline().getValves()) {
					if (valve instanceof ErrorReportValve) {
						host.getPipeline().removeValve(valve);
					}
				}
				host.getPipeline().addValve(new ApiErrorReportValve());
				if (host instanceof StandardHost standardHost) {
					standardHost.setErrorReportValveClass(ApiErrorReportValve.class.getName());
				}
			});
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}

	}

	/**
	 * Answers the error dispatch of an API request itself, with {@link ApiError} JSON
	 * whatever the {@code Accept} header says; other requests go on to Spring Boot's
	 * error controller.
	 */
	static final class ApiErrorDispatchFilter implements Filter {

		@Override
		public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
				throws IOException, ServletException {
			Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
			if (!(path instanceof String requestPath) || !ApiErrors.isApiPath(requestPath)
					|| !(response instanceof HttpServletResponse http) || http.isCommitted()) {
				chain.doFilter(request, response);
				return;
			}
			int status = (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code) ? code
					: HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
			ApiErrors.write(http, status, message(status, requestPath, (HttpServletRequest) request));
		}

		private static String message(int status, String path, HttpServletRequest request) {
			Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
			if (status == HttpServletResponse.SC_INTERNAL_SERVER_ERROR || exception != null) {
				String reference = UUID.randomUUID().toString();
				logger.error("API request " + request.getMethod() + " " + ApiErrors.abbreviated(path) + " failed with "
						+ status + ", reference " + reference, (exception instanceof Throwable ex) ? ex : null);
				return "Internal error; the server log has the details under reference " + reference;
			}
			Object reason = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
			if (status == HttpServletResponse.SC_BAD_REQUEST && reason instanceof String text && !text.isBlank()) {
				return "Bad request: " + ApiErrors.abbreviated(text);
			}
			return ApiErrors.describe(status, path);
		}

	}

}
