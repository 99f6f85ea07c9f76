package io.batchyard.jobs.enhancement;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.batchyard.readers.jsonl.JsonlLine;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parses the lines of a robot's result file as {@code Enhancement | LinkedRobotError}
 * (DESTINY SDK schemas, the seed-003 enhancement types and those added since), with a
 * message naming the field for every line that is neither. Also validates the
 * {@code Reference} lines of a reference file. Stateless and thread-safe.
 */
public final class EnhancementLineParser {

	static final Set<String> VISIBILITIES = Set.of("public", "restricted", "hidden");

	static final Set<String> ENHANCEMENT_TYPES = Set.of("bibliographic", "abstract", "annotation", "location",
			"full_text", "reference_association", "linked_data", "raw");

	private static final Set<String> AUTHOR_POSITIONS = Set.of("first", "middle", "last");

	private static final Set<String> ABSTRACT_PROCESSES = Set.of("uninverted", "closed_api", "other");

	private static final Set<String> LOCATION_VERSIONS = Set.of("publishedVersion", "acceptedVersion",
			"submittedVersion", "other");

	private static final Pattern DOI = Pattern.compile("^10\\.\\d{4,9}/[-._;()/:a-zA-Z0-9%<>\\[\\]+&]+$");

	private static final Pattern OPEN_ALEX = Pattern.compile("^W\\d+$");

	private static final Pattern DATE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}([T ].*)?$");

	private final JsonMapper mapper;

	private final int maxLineLength;

	public EnhancementLineParser(JsonMapper mapper, int maxLineLength) {
		this.mapper = mapper;
		this.maxLineLength = maxLineLength;
	}

	/**
	 * Parses one line of a result file.
	 * @param line the line
	 * @return the entry, or {@code null} for a blank line
	 */
	public ResultEntry parse(JsonlLine line) {
		long n = line.number();
		if (line.defect() != null) {
			return new ResultEntry.Unparseable(n, defect(line));
		}
		if (line.isBlank()) {
			return null;
		}
		try {
			JsonNode node = tree(line.text());
			if (!node.has("content") && node.has("message")) {
				UUID reference = uuid(node, "reference_id", true);
				String message = string(node, "message", true);
				return new ResultEntry.RobotError(n, reference, message);
			}
			return new ResultEntry.Added(n, enhancement(node, "", null));
		}
		catch (Invalid ex) {
			return new ResultEntry.Unparseable(n, ex.getMessage());
		}
	}

	/**
	 * Parses one line of a reference file.
	 * @param line the line
	 * @return the reference, {@code null} for a blank line
	 * @throws Invalid naming the field when it is not a valid {@code Reference}
	 */
	public Reference parseReference(JsonlLine line) {
		if (line.defect() != null) {
			throw new Invalid(defect(line));
		}
		if (line.isBlank()) {
			return null;
		}
		JsonNode node = tree(line.text());
		UUID id = uuid(node, "id", true);
		String visibility = oneOf(node, "visibility", VISIBILITIES, true);
		JsonNode identifiers = node.get("identifiers");
		String identifiersJson = null;
		if (identifiers != null && !identifiers.isNull()) {
			if (!identifiers.isArray()) {
				throw new Invalid("field 'identifiers' must be a list");
			}
			for (int i = 0; i < identifiers.size(); i++) {
				identifier(identifiers.get(i), "identifiers[" + i + "]");
			}
			identifiersJson = canonical(identifiers);
		}
		List<Enhancement> enhancements = new ArrayList<>();
		JsonNode list = node.get("enhancements");
		if (list != null && !list.isNull()) {
			if (!list.isArray()) {
				throw new Invalid("field 'enhancements' must be a list");
			}
			for (int i = 0; i < list.size(); i++) {
				enhancements.add(enhancement(list.get(i), "enhancements[" + i + "].", id));
			}
		}
		return new Reference(id, visibility, identifiersJson, enhancements, line.number());
	}

	private String defect(JsonlLine line) {
		return switch (line.defect()) {
			case TOO_LONG ->
				"the line is " + line.length() + " bytes long, more than the maximum of " + this.maxLineLength;
			case INVALID_UTF8 -> "the line is not valid UTF-8";
		};
	}

	private JsonNode tree(String text) {
		JsonNode node;
		try {
			node = this.mapper.readTree(text);
		}
		catch (JacksonException ex) {
			String reason = ex.getOriginalMessage();
			int newline = (reason != null) ? reason.indexOf('\n') : -1;
			throw new Invalid(
					"invalid JSON: " + ((newline >= 0) ? reason.substring(0, newline) : String.valueOf(reason)));
		}
		if (node == null || !node.isObject()) {
			throw new Invalid("a JSON object is required");
		}
		return node;
	}

	private Enhancement enhancement(JsonNode node, String path, UUID owner) {
		if (!node.isObject()) {
			throw new Invalid("field '" + trim(path) + "' must be an object");
		}
		UUID reference;
		if (owner != null && (node.get("reference_id") == null || node.get("reference_id").isNull())) {
			reference = owner;
		}
		else {
			reference = uuid(node, path + "reference_id", "reference_id", true);
		}
		uuid(node, path + "id", "id", false);
		String source = string(node, path + "source", "source", true);
		String visibility = oneOf(node, path + "visibility", "visibility", VISIBILITIES, true);
		String robotVersion = string(node, path + "robot_version", "robot_version", false);
		JsonNode derived = node.get("derived_from");
		String derivedFrom = null;
		if (derived != null && !derived.isNull()) {
			if (!derived.isArray()) {
				throw new Invalid("field '" + path + "derived_from' must be a list of UUIDs");
			}
			for (int i = 0; i < derived.size(); i++) {
				if (!derived.get(i).isString() || !isUuid(derived.get(i).asString())) {
					throw new Invalid("field '" + path + "derived_from[" + i + "]' must be a UUID");
				}
			}
			derivedFrom = canonical(derived);
		}
		JsonNode content = node.get("content");
		if (content == null || content.isNull()) {
			throw new Invalid("field '" + path + "content' is required");
		}
		if (!content.isObject()) {
			throw new Invalid("field '" + path + "content' must be an object");
		}
		String type = oneOf(content, path + "content.enhancement_type", "enhancement_type", ENHANCEMENT_TYPES, true);
		content(type, content, path + "content.");
		String canonicalContent = canonical(content);
		ObjectNode identity = JsonNodeFactory.instance.objectNode();
		identity.put("reference_id", reference.toString());
		identity.put("source", source);
		identity.put("visibility", visibility);
		identity.put("robot_version", robotVersion);
		identity.put("derived_from", derivedFrom);
		identity.put("content", canonicalContent);
		String fingerprint = sha256(this.mapper.writeValueAsString(identity));
		UUID id = UUID.nameUUIDFromBytes((reference + ":" + fingerprint).getBytes(StandardCharsets.US_ASCII));
		return new Enhancement(id, reference, type, source, visibility, robotVersion, derivedFrom, canonicalContent,
				fingerprint);
	}

	private void content(String type, JsonNode content, String path) {
		switch (type) {
			case "bibliographic" -> {
				JsonNode authorship = content.get("authorship");
				if (authorship != null && !authorship.isNull()) {
					list(authorship, path + "authorship", 0);
					for (int i = 0; i < authorship.size(); i++) {
						String at = path + "authorship[" + i + "].";
						JsonNode author = object(authorship.get(i), at);
						string(author, at + "display_name", "display_name", true);
						string(author, at + "orcid", "orcid", false);
						oneOf(author, at + "position", "position", AUTHOR_POSITIONS, true);
					}
				}
				integer(content, path + "cited_by_count", "cited_by_count");
				integer(content, path + "publication_year", "publication_year");
				date(content, path + "created_date", "created_date");
				date(content, path + "publication_date", "publication_date");
				string(content, path + "publisher", "publisher", false);
				string(content, path + "title", "title", false);
			}
			case "abstract" -> {
				oneOf(content, path + "process", "process", ABSTRACT_PROCESSES, true);
				string(content, path + "abstract", "abstract", true);
			}
			case "annotation" -> {
				JsonNode annotations = content.get("annotations");
				required(annotations, path + "annotations");
				list(annotations, path + "annotations", 1);
				for (int i = 0; i < annotations.size(); i++) {
					String at = path + "annotations[" + i + "].";
					JsonNode annotation = object(annotations.get(i), at);
					String kind = oneOf(annotation, at + "annotation_type", "annotation_type",
							Set.of("boolean", "score"), true);
					string(annotation, at + "scheme", "scheme", true);
					string(annotation, at + "label", "label", true);
					if (kind.equals("boolean")) {
						JsonNode value = annotation.get("value");
						required(value, at + "value");
						if (!value.isBoolean()) {
							throw new Invalid("field '" + at + "value' must be a boolean");
						}
						number(annotation, at + "score", "score", false);
					}
					else {
						number(annotation, at + "score", "score", true);
					}
					JsonNode data = annotation.get("data");
					if (data != null && !data.isNull() && !data.isObject()) {
						throw new Invalid("field '" + at + "data' must be an object");
					}
				}
			}
			case "location" -> {
				JsonNode locations = content.get("locations");
				required(locations, path + "locations");
				list(locations, path + "locations", 1);
				for (int i = 0; i < locations.size(); i++) {
					String at = path + "locations[" + i + "].";
					JsonNode location = object(locations.get(i), at);
					JsonNode oa = location.get("is_oa");
					if (oa != null && !oa.isNull() && !oa.isBoolean()) {
						throw new Invalid("field '" + at + "is_oa' must be a boolean");
					}
					oneOf(location, at + "version", "version", LOCATION_VERSIONS, false);
					string(location, at + "landing_page_url", "landing_page_url", false);
					string(location, at + "pdf_url", "pdf_url", false);
					string(location, at + "license", "license", false);
				}
			}
			default -> {
				// full_text and the later types: no content model checked here
			}
		}
	}

	private void identifier(JsonNode node, String path) {
		JsonNode identifier = object(node, path + ".");
		String at = path + ".";
		String type = oneOf(identifier, at + "identifier_type", "identifier_type",
				Set.of("doi", "pm_id", "open_alex", "other"), true);
		JsonNode value = identifier.get("identifier");
		required(value, at + "identifier");
		switch (type) {
			case "pm_id" -> {
				if (!value.isIntegralNumber()) {
					throw new Invalid("field '" + at + "identifier' must be an integer");
				}
			}
			case "doi" -> matches(value, at + "identifier", DOI);
			case "open_alex" -> matches(value, at + "identifier", OPEN_ALEX);
			default -> {
				string(identifier, at + "identifier", "identifier", true);
				string(identifier, at + "other_identifier_name", "other_identifier_name", true);
			}
		}
	}

	private static void matches(JsonNode value, String path, Pattern pattern) {
		if (!value.isString() || !pattern.matcher(value.asString()).matches()) {
			throw new Invalid("field '" + path + "' must match " + pattern.pattern());
		}
	}

	private static JsonNode object(JsonNode node, String path) {
		if (node == null || !node.isObject()) {
			throw new Invalid("field '" + trim(path) + "' must be an object");
		}
		return node;
	}

	private static void required(JsonNode node, String path) {
		if (node == null || node.isNull()) {
			throw new Invalid("field '" + path + "' is required");
		}
	}

	private static void list(JsonNode node, String path, int min) {
		if (!node.isArray()) {
			throw new Invalid("field '" + path + "' must be a list");
		}
		if (node.size() < min) {
			throw new Invalid("field '" + path + "' must have at least " + min + " item");
		}
	}

	private static void integer(JsonNode node, String path, String name) {
		JsonNode value = node.get(name);
		if (value != null && !value.isNull() && !value.isIntegralNumber()) {
			throw new Invalid("field '" + path + "' must be an integer");
		}
	}

	private static void number(JsonNode node, String path, String name, boolean required) {
		JsonNode value = node.get(name);
		if (value == null || value.isNull()) {
			if (required) {
				throw new Invalid("field '" + path + "' is required");
			}
			return;
		}
		if (!value.isNumber()) {
			throw new Invalid("field '" + path + "' must be a number");
		}
	}

	private static void date(JsonNode node, String path, String name) {
		JsonNode value = node.get(name);
		if (value != null && !value.isNull() && (!value.isString() || !DATE.matcher(value.asString()).matches())) {
			throw new Invalid("field '" + path + "' must be a date (YYYY-MM-DD)");
		}
	}

	private static UUID uuid(JsonNode node, String name, boolean required) {
		return uuid(node, name, name, required);
	}

	private static UUID uuid(JsonNode node, String path, String name, boolean required) {
		String value = string(node, path, name, required);
		if (value == null) {
			return null;
		}
		if (!isUuid(value)) {
			throw new Invalid("field '" + path + "' must be a UUID, not " + quote(value));
		}
		return UUID.fromString(value);
	}

	private static boolean isUuid(String value) {
		if (value.length() != 36) {
			return false;
		}
		try {
			UUID.fromString(value);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static String string(JsonNode node, String name, boolean required) {
		return string(node, name, name, required);
	}

	private static String string(JsonNode node, String path, String name, boolean required) {
		JsonNode value = node.get(name);
		if (value == null || value.isNull()) {
			if (required) {
				throw new Invalid("field '" + path + "' is required");
			}
			return null;
		}
		if (!value.isString()) {
			throw new Invalid("field '" + path + "' must be a string");
		}
		return value.asString();
	}

	private static String oneOf(JsonNode node, String name, Set<String> values, boolean required) {
		return oneOf(node, name, name, values, required);
	}

	private static String oneOf(JsonNode node, String path, String name, Set<String> values, boolean required) {
		String value = string(node, path, name, required);
		if (value != null && !values.contains(value)) {
			throw new Invalid("field '" + path + "' must be one of "
					+ String.join(", ", values.stream().sorted().toList()) + ", not " + quote(value));
		}
		return value;
	}

	private static String quote(String value) {
		String shown = (value.length() > 60) ? value.substring(0, 60) + "…" : value;
		return "\"" + shown + "\"";
	}

	private static String trim(String path) {
		return path.endsWith(".") ? path.substring(0, path.length() - 1) : path;
	}

	/**
	 * JSON with the properties of every object sorted by name.
	 * @param node the node
	 * @return the canonical JSON
	 */
	String canonical(JsonNode node) {
		return this.mapper.writeValueAsString(sorted(node));
	}

	private static JsonNode sorted(JsonNode node) {
		if (node.isObject()) {
			ObjectNode copy = JsonNodeFactory.instance.objectNode();
			List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(node.properties());
			entries.sort(Map.Entry.comparingByKey());
			for (Map.Entry<String, JsonNode> entry : entries) {
				copy.set(entry.getKey(), sorted(entry.getValue()));
			}
			return copy;
		}
		if (node.isArray()) {
			var copy = JsonNodeFactory.instance.arrayNode();
			for (JsonNode item : node) {
				copy.add(sorted(item));
			}
			return copy;
		}
		return node;
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A line that is not valid; the message names the field.
	 */
	public static final class Invalid extends RuntimeException {

		private static final long serialVersionUID = 1L;

		Invalid(String message) {
			// No stack trace: a bad line is an expected outcome, not a fault.
			super(message, null, false, false);
		}

	}

}
