package io.batchyard.launcher.api;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A database lost while a request is served (crash campaign finding 8: a connection
 * dropped during a launch's first write answered 500 "Internal error") is a transient
 * condition: 503 with {@code Retry-After}, naming the database, never the driver's text.
 */
class DatabaseUnavailableAnswerTests {

	private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new FailingController())
		.setControllerAdvice(new ApiExceptionHandler())
		.build();

	@Test
	void aLostConnectionAnswers503WithRetryAfter() throws Exception {
		this.mvc.perform(post("/lost"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(header().string("Retry-After", "5"))
			.andExpect(jsonPath("$.status").value(503))
			.andExpect(jsonPath("$.error").value(containsString("The database is unavailable")))
			.andExpect(jsonPath("$.error").value(not(containsString("terminating connection"))));
	}

	@Test
	void noTransactionAnswers503() throws Exception {
		this.mvc.perform(post("/no-transaction"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.error").value(containsString("CannotCreateTransactionException")));
	}

	@Test
	void otherFailuresStay500() throws Exception {
		this.mvc.perform(post("/bug"))
			.andExpect(status().isInternalServerError())
			.andExpect(jsonPath("$.error").value(containsString("Internal error")));
	}

	@RestController
	static class FailingController {

		@PostMapping("/lost")
		void lost() {
			throw new DataAccessResourceFailureException(
					"FATAL: terminating connection due to administrator command at 10.0.0.7");
		}

		@PostMapping("/no-transaction")
		void noTransaction() {
			throw new CannotCreateTransactionException("Could not open JDBC Connection for transaction");
		}

		@PostMapping("/bug")
		void bug() {
			throw new IllegalStateException("a bug");
		}

	}

}
