package io.batchyard.launcher.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell commands of README.md, read from its fenced {@code bash} blocks by the
 * heading they stand under, so that a test runs what the README says. A command is a list
 * of words as a shell would split them: backslash-newline continues a line, {@code #}
 * starts a comment, single quotes are literal, double quotes and bare words expand
 * {@code $NAME} from the given variables (an unset one fails, where a shell would
 * silently expand it to nothing), a placeholder such as {@code <job_id>} is filled in
 * from the same variables (the value an earlier command answered), and {@code &&}
 * separates commands. Anything else a shell would treat specially ({@code |}, {@code ;},
 * {@code >}, backquotes, {@code $(}) is refused, so that a README command this reader
 * cannot run as written fails the test instead of running as something else.
 */
final class ReadmeCommands {

	/** A placeholder such as {@code <job_id>}, filled in from the variables. */
	private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Za-z_][A-Za-z0-9_]*)>");

	/** What a shell treats specially and this reader refuses. */
	private static final String SPECIAL = "|;<>`(){}&\\";

	private final List<Block> blocks;

	private ReadmeCommands(List<Block> blocks) {
		this.blocks = blocks;
	}

	/**
	 * Reads a README.
	 * @param readme the file
	 * @return its fenced blocks
	 */
	static ReadmeCommands read(Path readme) {
		List<String> lines;
		try {
			lines = Files.readAllLines(readme);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<Block> blocks = new ArrayList<>();
		String heading = "";
		String language = null;
		StringBuilder text = null;
		for (String line : lines) {
			if (text == null) {
				if (line.startsWith("```")) {
					language = line.substring(3).trim();
					text = new StringBuilder();
				}
				else if (line.startsWith("#")) {
					heading = line.replaceFirst("^#+\\s*", "").trim();
				}
			}
			else if (line.startsWith("```")) {
				blocks.add(new Block(heading, language, text.toString()));
				text = null;
			}
			else {
				text.append(line).append('\n');
			}
		}
		if (text != null) {
			throw new IllegalStateException("Unclosed code block under '" + heading + "' in " + readme);
		}
		return new ReadmeCommands(blocks);
	}

	/**
	 * The commands of the {@code bash} blocks under a heading, in order.
	 * @param heading the heading's text, without its {@code #}
	 * @param variables the values of {@code $NAME} and {@code <name>}
	 * @return the commands, each a list of words
	 * @throws IllegalStateException if the heading has no bash block, or a command cannot
	 * be read
	 */
	List<List<String>> commands(String heading, Map<String, String> variables) {
		List<List<String>> commands = new ArrayList<>();
		for (String line : lines(heading)) {
			commands.addAll(split(line, variables));
		}
		return commands;
	}

	/**
	 * The only command under a heading whose words start with the given ones; lines that
	 * cannot be read as a command (a synopsis such as {@code restart|stop <id>}) are not
	 * candidates.
	 * @param heading the heading
	 * @param variables the values of {@code $NAME} and {@code <name>}
	 * @param start the first words
	 * @return the command
	 */
	List<String> command(String heading, Map<String, String> variables, String... start) {
		List<List<String>> matching = new ArrayList<>();
		List<String> unreadable = new ArrayList<>();
		for (String line : lines(heading)) {
			try {
				split(line, variables).stream()
					.filter((command) -> command.size() >= start.length
							&& command.subList(0, start.length).equals(List.of(start)))
					.forEach(matching::add);
			}
			catch (IllegalStateException ex) {
				unreadable.add(ex.getMessage());
			}
		}
		if (matching.size() != 1) {
			throw new IllegalStateException("README.md has " + matching.size() + " commands starting with "
					+ List.of(start) + " under '" + heading + "', not one (unreadable lines: " + unreadable + ")");
		}
		return matching.get(0);
	}

	/**
	 * The command lines of the bash blocks under a heading, continuation lines joined,
	 * comment lines left out; {@link #split} reads one, for a line that needs the answer
	 * of an earlier one.
	 * @param heading the heading
	 * @return the lines
	 */
	List<String> lines(String heading) {
		List<String> lines = new ArrayList<>();
		for (Block block : this.blocks) {
			if (block.heading().equals(heading) && block.language().equals("bash")) {
				for (String line : block.text().replace("\\\n", " ").split("\n")) {
					if (!line.isBlank() && !line.strip().startsWith("#")) {
						lines.add(line);
					}
				}
			}
		}
		if (lines.isEmpty()) {
			throw new IllegalStateException("README.md has no bash block with a command under '" + heading + "'");
		}
		return lines;
	}

	/**
	 * Splits a line into commands and words.
	 * @param line the line
	 * @param variables the values of {@code $NAME} and {@code <name>}
	 * @return its commands
	 */
	static List<List<String>> split(String line, Map<String, String> variables) {
		List<List<String>> commands = new ArrayList<>();
		List<String> words = new ArrayList<>();
		StringBuilder word = null;
		int i = 0;
		while (i < line.length()) {
			char c = line.charAt(i);
			if (c == ' ' || c == '\t') {
				if (word != null) {
					words.add(word.toString());
					word = null;
				}
				i++;
			}
			else if (c == '#' && word == null) {
				break;
			}
			else if (c == '&' && word == null && line.startsWith("&&", i)) {
				endCommand(commands, words);
				i += 2;
			}
			else if (c == '\'') {
				int end = line.indexOf('\'', i + 1);
				if (end < 0) {
					throw new IllegalStateException("Unclosed ' in: " + line);
				}
				word = (word != null) ? word : new StringBuilder();
				word.append(line, i + 1, end);
				i = end + 1;
			}
			else if (c == '"') {
				int end = line.indexOf('"', i + 1);
				if (end < 0) {
					throw new IllegalStateException("Unclosed \" in: " + line);
				}
				word = (word != null) ? word : new StringBuilder();
				word.append(expand(line.substring(i + 1, end), variables, line));
				i = end + 1;
			}
			else if (c == '<' && PLACEHOLDER.matcher(line).region(i, line.length()).lookingAt()) {
				Matcher placeholder = PLACEHOLDER.matcher(line).region(i, line.length());
				placeholder.lookingAt();
				word = (word != null) ? word : new StringBuilder();
				word.append(value(placeholder.group(1), variables, line));
				i = placeholder.end();
			}
			else if (SPECIAL.indexOf(c) >= 0) {
				throw new IllegalStateException(
						"README command uses '" + c + "', which this reader does not run: " + line);
			}
			else {
				int end = i;
				while (end < line.length() && (" \t'\"" + SPECIAL).indexOf(line.charAt(end)) < 0) {
					end++;
				}
				word = (word != null) ? word : new StringBuilder();
				word.append(expand(line.substring(i, end), variables, line));
				i = end;
			}
		}
		if (word != null) {
			words.add(word.toString());
		}
		endCommand(commands, words);
		return commands;
	}

	private static void endCommand(List<List<String>> commands, List<String> words) {
		if (!words.isEmpty()) {
			commands.add(List.copyOf(words));
			words.clear();
		}
	}

	private static String expand(String text, Map<String, String> variables, String line) {
		StringBuilder expanded = new StringBuilder();
		int i = 0;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (c != '$') {
				expanded.append(c);
				i++;
				continue;
			}
			int end = i + 1;
			while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
				end++;
			}
			expanded.append(value(text.substring(i + 1, end), variables, line));
			i = end;
		}
		return expanded.toString();
	}

	private static String value(String name, Map<String, String> variables, String line) {
		if (name.isEmpty() || !variables.containsKey(name)) {
			throw new IllegalStateException("README command uses '" + name + "', which the test does not set: " + line);
		}
		return variables.get(name);
	}

	private record Block(String heading, String language, String text) {
	}

}
