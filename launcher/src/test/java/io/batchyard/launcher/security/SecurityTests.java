package io.batchyard.launcher.security;

import io.batchyard.launcher.support.BatchyardTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithAnonymousUser;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Who may do what, with the users and tokens of the test configuration: {@code operator}
 * and {@code viewer} (Basic or form login), bearer tokens {@code api-token-operator} and
 * {@code api-token-viewer}. Anonymous unless a test says otherwise (a method-level
 * annotation overrides {@code @BatchyardTest}'s mock operator).
 */
@BatchyardTest
class SecurityTests {

	@Autowired
	MockMvc mvc;

	@Test
	@WithAnonymousUser
	void theApiAnswers401WithoutCredentialsAndCreatesNoSession() throws Exception {
		this.mvc.perform(get("/api/executions"))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", containsString("Basic")))
			.andExpect(header().doesNotExist("Set-Cookie"))
			.andExpect(jsonPath("$.status").value(401))
			.andExpect(jsonPath("$.error").value(containsString("Authentication required")));
		this.mvc.perform(get("/api/executions").with(httpBasic("operator", "wrong")))
			.andExpect(status().isUnauthorized());
		this.mvc.perform(get("/api/executions").with(httpBasic("operator", "operator-secret")))
			.andExpect(status().isOk())
			.andExpect(header().doesNotExist("Set-Cookie"));
	}

	@Test
	@WithAnonymousUser
	void aViewerReadsTheApiButCannotActOrLaunch() throws Exception {
		this.mvc.perform(get("/api/jobs").with(httpBasic("viewer", "viewer-secret"))).andExpect(status().isOk());
		this.mvc
			.perform(post("/api/jobs/repositoryPurgeJob/executions").with(httpBasic("viewer", "viewer-secret"))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"parameters\": {\"asOf\": \"2026-11-23T03:30:00Z\"}}"))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.status").value(403));
		this.mvc.perform(post("/api/executions/1/restart").with(httpBasic("viewer", "viewer-secret")))
			.andExpect(status().isForbidden());
		this.mvc.perform(post("/api/schedules/repository-purge/trigger").with(httpBasic("viewer", "viewer-secret")))
			.andExpect(status().isForbidden());
	}

	@Test
	@WithAnonymousUser
	void anOperatorActsThroughTheApiWithoutACsrfToken() throws Exception {
		// Reaches the launch service (404: no such execution), not a CSRF refusal.
		this.mvc.perform(post("/api/executions/4242/restart").with(httpBasic("operator", "operator-secret")))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.error").value("No job execution with id 4242"));
	}

	@Test
	@WithAnonymousUser
	void bearerTokensAuthenticateWithTheirOwnRoles() throws Exception {
		this.mvc.perform(get("/api/jobs").header("Authorization", "Bearer api-token-viewer"))
			.andExpect(status().isOk());
		this.mvc.perform(post("/api/executions/4242/stop").header("Authorization", "Bearer api-token-viewer"))
			.andExpect(status().isForbidden());
		this.mvc.perform(post("/api/executions/4242/stop").header("Authorization", "Bearer api-token-operator"))
			.andExpect(status().isNotFound());
		this.mvc.perform(get("/api/jobs").header("Authorization", "Bearer not-a-token"))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.status").value(401));
	}

	@Test
	@WithAnonymousUser
	void healthIsOpenAndTheOtherActuatorEndpointsNeedAnOperator() throws Exception {
		this.mvc.perform(get("/actuator/health")).andExpect(status().isOk());
		this.mvc.perform(get("/actuator/health/liveness")).andExpect(status().isOk());
		this.mvc.perform(get("/actuator/prometheus")).andExpect(status().isUnauthorized());
		this.mvc.perform(get("/actuator/metrics").with(httpBasic("viewer", "viewer-secret")))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/actuator/prometheus").with(httpBasic("operator", "operator-secret")))
			.andExpect(status().isOk())
			.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
				.string(containsString("# HELP")));
	}

	@Test
	@WithAnonymousUser
	void theDashboardSendsAnonymousVisitorsToTheLoginForm() throws Exception {
		this.mvc.perform(get("/executions")).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
		this.mvc.perform(get("/login"))
			.andExpect(status().isOk())
			.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
				.string(containsString("name=\"_csrf\"")));
		this.mvc.perform(get("/dashboard.css")).andExpect(status().isOk());
	}

	@Test
	@WithAnonymousUser
	void formLoginNeedsTheRightPasswordAndACsrfToken() throws Exception {
		this.mvc.perform(formLogin("/login").user("operator").password("operator-secret"))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/"));
		this.mvc.perform(formLogin("/login").user("operator").password("wrong"))
			.andExpect(redirectedUrl("/login?error"));
		this.mvc
			.perform(post("/login").param("username", "operator")
				.param("password", "operator-secret")
				.contentType(MediaType.APPLICATION_FORM_URLENCODED))
			.andExpect(status().isForbidden());
	}

	@Test
	@WithMockUser(roles = "OPERATOR")
	void dashboardFormsNeedACsrfToken() throws Exception {
		this.mvc.perform(post("/executions/4242/restart")).andExpect(status().isForbidden());
		this.mvc.perform(post("/executions/4242/restart").with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/executions/4242"));
		this.mvc.perform(post("/jobs/repositoryPurgeJob/launch")).andExpect(status().isForbidden());
	}

	@Test
	@WithMockUser(roles = "VIEWER")
	void aViewerSeesTheDashboardButCannotAct() throws Exception {
		this.mvc.perform(get("/executions")).andExpect(status().isOk());
		this.mvc.perform(get("/nodes")).andExpect(status().isOk());
		this.mvc.perform(post("/executions/4242/restart").with(csrf())).andExpect(status().isForbidden());
		this.mvc.perform(post("/jobs/repositoryPurgeJob/launch").with(csrf())).andExpect(status().isForbidden());
		this.mvc.perform(post("/schedules/repository-purge/trigger").with(csrf())).andExpect(status().isForbidden());
	}

}
