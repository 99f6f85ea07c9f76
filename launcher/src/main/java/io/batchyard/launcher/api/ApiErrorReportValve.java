package io.batchyard.launcher.api;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's error report for requests refused before they reach the application: a path
 * the connector will not decode or normalise ({@code %2F}, {@code %5C}, {@code %00},
 * {@code /blobs/../..}, a malformed escape), a request line or header it cannot parse, is
 * answered by the host's error report valve, never by Spring. On an API path, and when
 * not even the path could be read (no browser sends such a request), this writes
 * {@link ApiError} JSON instead of Tomcat's HTML page; elsewhere it is Tomcat's page
 * without report or server details, as Spring Boot configures it.
 */
public class ApiErrorReportValve extends ErrorReportValve {

	static final String INVALID_PATH = "Invalid request path: an encoded '/' or '\\', a NUL or control"
			+ " character, a '..' above the root or a malformed %-escape is not accepted";

	static final String MALFORMED_REQUEST = "Bad request: the request line or a header is malformed or too large";

	public ApiErrorReportValve() {
		setShowReport(false);
		setShowServerInfo(false);
	}

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		String path = request.getRequestURI();
		boolean unread = path == null || path.isEmpty();
		if (!unread && !ApiErrors.isApiPath(path)) {
			super.report(request, response, throwable);
			return;
		}
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean(true);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return;
		}
		String message = ApiErrors.describe(status, path);
		if (status == 400) {
			message = (!unread && ApiErrors.isInvalidPath(path)) ? INVALID_PATH : MALFORMED_REQUEST;
		}
		try {
			response.setContentType("application/json");
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(ApiErrors.json(status, message));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client went away, or the response cannot take a body: nothing to
			// report to.
		}
	}

}
